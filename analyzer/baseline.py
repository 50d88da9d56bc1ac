"""Baselines: accept the findings a project has today, fail only on new ones.

``mcpleaks scan --write-baseline FILE`` records every current finding; ``--baseline FILE``
then leaves out the findings recorded there, so that a pre-commit hook or a CI job only
fails on what is new. The file is stable, sorted, pretty JSON meant to be committed::

    {
      "version": 1,
      "findings": [
        {"rule_id": "hidden-email-recipient", "path": "src/server.js",
         "fingerprint": "3f0c...", "message": "<the rule's short message>"}
      ]
    }

An entry holds no line number (``Finding.fingerprint()`` hashes the rule, the path and the
whitespace-normalized code, or a hash of the secret for secret rules), so it survives edits
above the finding. It never holds what was found: ``message`` is the rule's one-line
message, not the finding's (which may quote a secret). Identical findings in one file need
one entry each: the baseline is a multiset, and a third copy of a twice-baselined line is new.

Paths are relative to the baseline file's directory, so the same file works whatever
directory the scan is run from (the repository root under pre-commit, a subfolder by hand).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzer.model import Finding, Suppression
from analyzer.safeio import UnsafeFile, read_regular, write_replacing

VERSION = 1
_FINGERPRINT = re.compile(r"[0-9a-f]{16,64}")
_MAX_BYTES = 64 << 20

Key = tuple[str, str, str]  # rule id, path, fingerprint


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Baseline:
    path: Path  # the baseline file
    counts: Counter[Key]

    @property
    def base(self) -> Path:
        return _base_dir(self.path)

    def __len__(self) -> int:
        return sum(self.counts.values())

    def split(self, findings: Sequence[Finding], root: Path) -> tuple[list[Finding], list[Finding]]:
        """(new findings, baselined findings); each entry absorbs at most one finding. Baselined
        findings carry an ``external`` :class:`Suppression` naming the baseline file."""
        left = Counter(self.counts)
        root = root.resolve()
        new: list[Finding] = []
        known: list[Finding] = []
        suppression = Suppression("external", f"recorded in the baseline {self.path.name}")
        for finding in findings:
            key = entry_key(finding, root, self.base)
            if left[key] > 0:
                left[key] -= 1
                known.append(dataclasses.replace(finding, suppressed=True, suppression=suppression))
            else:
                new.append(finding)
        return new, known


def entry_key(finding: Finding, root: Path, base: Path) -> Key:
    """The finding's identity in a baseline kept in directory ``base`` (resolved, as is
    ``root``): its path is made relative to ``base`` (when it lies inside it) and the
    fingerprint computed with it."""
    path = _rebase(finding.path, root, base)
    if path != finding.path:
        finding = dataclasses.replace(finding, path=path)
    return finding.rule_id, path, finding.fingerprint()


def render(findings: Iterable[Finding], root: Path, baseline_file: Path, messages: dict[str, str] | None = None) -> str:
    """The baseline file's text for ``findings``: sorted entries, one per finding."""
    base, root = _base_dir(baseline_file), root.resolve()
    keys = sorted(entry_key(f, root, base) for f in findings)
    entries = []
    for rule_id, path, fingerprint in keys:
        entry = {"rule_id": rule_id, "path": path, "fingerprint": fingerprint}
        if messages and rule_id in messages:
            entry["message"] = messages[rule_id]
        entries.append(entry)
    return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write(baseline_file: Path, findings: Sequence[Finding], root: Path, messages: dict[str, str] | None = None) -> int:
    """Write ``findings`` as the baseline (atomically, see ``safeio.write_replacing``: a
    symlink at ``baseline_file`` is refused); returns the number of entries."""
    text = render(findings, root, baseline_file, messages)
    try:
        write_replacing(baseline_file, text)
    except UnsafeFile as e:
        raise BaselineError(f"{baseline_file}: {e}") from None
    except OSError as e:
        raise BaselineError(f"{baseline_file}: cannot write the baseline: {e.strerror or e}") from None
    return len(findings)


def load(baseline_file: Path) -> Baseline:
    """Read and check a baseline file; raises :class:`BaselineError` with a clear message."""
    name = str(baseline_file)
    try:
        raw = read_regular(baseline_file, _MAX_BYTES)
    except UnsafeFile as e:
        raise BaselineError(f"{name}: {e}") from None
    except FileNotFoundError:
        raise BaselineError(f"{name}: baseline file not found (create it with `mcpleaks scan --write-baseline {name}`)") from None
    except IsADirectoryError:
        raise BaselineError(f"{name}: is a directory, not a baseline file") from None
    except OSError as e:
        raise BaselineError(f"{name}: cannot read the baseline: {e.strerror or e}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BaselineError(f"{name}: not a baseline file (not UTF-8 text)") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"{name}: not a baseline file (invalid JSON at line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise BaselineError(f"{name}: not a baseline file (JSON nested too deep)") from None
    except MemoryError:
        raise BaselineError(f"{name}: not a baseline file (too large to read)") from None
    except ValueError as e:  # e.g. an integer with too many digits
        raise BaselineError(f"{name}: not a baseline file ({e})") from None
    if not isinstance(data, dict) or "findings" not in data:
        raise BaselineError(f'{name}: not a baseline file (expected an object with "version" and "findings")')
    version = data.get("version")
    if version != VERSION:
        raise BaselineError(f"{name}: unsupported baseline version {version!r} (this mcpleaks reads version {VERSION})")
    entries = data["findings"]
    if not isinstance(entries, list):
        raise BaselineError(f'{name}: "findings" must be a list')
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        counts[_entry(entry, f"{name}: findings[{i}]")] += 1
    return Baseline(baseline_file, counts)


def _entry(entry: object, where: str) -> Key:
    if not isinstance(entry, dict):
        raise BaselineError(f"{where}: must be an object with rule_id, path and fingerprint")
    values = []
    for key in ("rule_id", "path", "fingerprint"):
        value = entry.get(key)
        if not isinstance(value, str) or not value:
            raise BaselineError(f"{where}: {key!r} must be a non-empty string")
        values.append(value)
    if not _FINGERPRINT.fullmatch(values[2]):
        raise BaselineError(f"{where}: 'fingerprint' is not a fingerprint written by mcpleaks")
    return values[0], values[1], values[2]


def _base_dir(baseline_file: Path) -> Path:
    return baseline_file.absolute().parent.resolve()


def _rebase(path: str, root: Path, base: Path) -> str:
    """``path`` (relative to the resolved ``root``) made relative to ``base`` when it lies inside it."""
    if root == base:
        return path
    absolute = Path(os.path.normpath(root / path))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return path


