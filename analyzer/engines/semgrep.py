"""The Semgrep engine: runs mcpleaks' Semgrep rule pack (``rules/``) through the Semgrep CLI,
for ``mcpleaks scan --semgrep``.

One ``semgrep scan`` invocation runs every selected pack rule over the files mcpleaks itself
discovered (passed explicitly, so mcpleaks' excludes, symlink rules and size guards decide what
is scanned, not Semgrep's ignore files). Semgrep always runs offline: ``--metrics=off
--disable-version-check`` and ``SEMGREP_ENABLE_VERSION_CHECK=0``. Its ``nosemgrep`` comments are
disabled (``--disable-nosem``): suppressions are mcpleaks' own (inline ``mcpleaks: ignore``,
config, baseline) and apply to both engines alike.

Results become :class:`~analyzer.model.Finding` objects with positions computed from Semgrep's
byte offsets (columns in code points, as the native engines give them) and snippets cut from
the file and masked like native snippets: Semgrep's matched text may be a secret. Anything that
goes wrong in Semgrep (a file it cannot parse, a timeout, a crash) becomes a scan note, never an
exception out of :func:`scan_files`.

The pack ships inside the package (``analyzer/semgrep_rules/`` in a wheel, mapped from
``rules/`` by ``pyproject.toml``); in a source checkout or an editable install ``rules/`` next to
the package is used.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyzer import secrets, suppress
from analyzer.model import Finding, Note

ENGINE = "semgrep"
BINARY_ENV = "MCPLEAKS_SEMGREP"  # path of the semgrep executable to use
TIMEOUT_ENV = "MCPLEAKS_SEMGREP_TIMEOUT"  # seconds for the whole Semgrep run
DEFAULT_TIMEOUT = 900.0
INSTALL_HINT = "pip install 'mcpleaks[semgrep]'"
OFFLINE_FLAGS = ("--metrics=off", "--disable-version-check")
OFFLINE_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
# Extensions Semgrep gives a language to. Files mcpleaks scans by other names (.mts, .cts,
# extension-less scripts with a shebang) are left to the native engines.
SEMGREP_EXTENSIONS = frozenset({".py", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".json"})
SEVERITIES = {"ERROR": "error", "WARNING": "warning", "INFO": "note"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"
# Rules whose match is a credential literal: the whole matched value is masked in snippets,
# also when it has no provider format (a password under a password-like name).
_SECRET_VALUE_RULES = frozenset({"hardcoded-secret", "mcp-config-secret"})


class SemgrepNotFound(Exception):
    """Semgrep is not installed where mcpleaks looks for it."""

    def __init__(self) -> None:
        super().__init__(f"--semgrep needs the Semgrep CLI, which is not installed: {INSTALL_HINT} "
                         f"(or set {BINARY_ENV} to the semgrep executable)")


def find_semgrep() -> str | None:
    """The semgrep executable: ``$MCPLEAKS_SEMGREP``, else ``semgrep`` on PATH, else the one
    installed next to this Python (same virtualenv, not activated)."""
    override = os.environ.get(BINARY_ENV, "").strip()
    if override:
        return shutil.which(override)
    found = shutil.which("semgrep")
    if found:
        return found
    beside = Path(sys.executable).parent / ("semgrep.exe" if os.name == "nt" else "semgrep")
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def require_semgrep() -> str:
    binary = find_semgrep()
    if binary is None:
        raise SemgrepNotFound()
    return binary


def rules_dir() -> Path:
    """The rule pack: package data in an installed wheel, ``rules/`` in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "semgrep_rules", package.parent / "rules"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise FileNotFoundError(f"the Semgrep rule pack is missing (looked in {package / 'semgrep_rules'} "
                            f"and {package.parent / 'rules'})")


def rule_files(directory: Path | None = None) -> dict[str, Path]:
    """Pack rule id -> its file: one rule id per file, named ``<rule-id>.yaml``."""
    directory = directory or rules_dir()
    return {path.stem: path for path in sorted(directory.glob("*.yaml"))}


def offline_env() -> dict[str, str]:
    return {**os.environ, **OFFLINE_ENV}


@dataclass
class SemgrepRun:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    version: str = ""


def command(binary: str, configs: Sequence[Path], targets: Sequence[str], jobs: int | None = None) -> list[str]:
    cmd = [binary, "scan", "--json", "--quiet", *OFFLINE_FLAGS, "--disable-nosem", "--no-git-ignore",
           "--max-target-bytes=0"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    for config in configs:
        cmd += ["--config", str(config)]
    return cmd + ["--", *targets]


def scan_files(files: Sequence, rule_ids: frozenset[str], *, binary: str | None = None, jobs: int | None = None,
               timeout: float | None = None, directory: Path | None = None, inline_ignores: bool = True) -> SemgrepRun:
    """Run the pack rules in ``rule_ids`` over ``files`` (:class:`analyzer.discover.SourceFile`
    objects) in one Semgrep invocation. Inline ``mcpleaks: ignore`` comments are applied
    unless ``inline_ignores`` is false."""
    run = SemgrepRun()
    try:
        packs = rule_files(directory)
    except FileNotFoundError as e:
        run.notes.append(Note("", f"semgrep: {e}", "error", ENGINE))
        return run
    wanted = {rid: path for rid, path in packs.items() if rid in rule_ids}
    targets = {str(f.path): f for f in files if Path(f.path).suffix.lower() in SEMGREP_EXTENSIONS}
    left_out = len(files) - len(targets)
    if left_out:
        run.notes.append(Note("", f"semgrep: {left_out} file(s) with an extension Semgrep does not recognise "
                                  f"(.mts, .cts, shebang scripts) were scanned by the native engine only", "note", ENGINE))
    if not wanted or not targets:
        return run
    binary = binary or require_semgrep()
    configs = [directory or rules_dir()] if len(wanted) == len(packs) else list(wanted.values())
    if timeout is None:
        timeout = float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    try:
        done = subprocess.run(command(binary, configs, list(targets), jobs), capture_output=True, env=offline_env(),
                              timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        run.notes.append(Note("", f"semgrep: stopped after {timeout:.0f} s ({TIMEOUT_ENV} sets the limit): "
                                  "no Semgrep results", "error", ENGINE))
        return run
    except OSError as e:
        run.notes.append(Note("", f"semgrep: could not run {binary}: {e.strerror or e}", "error", ENGINE))
        return run
    try:
        output = json.loads(done.stdout.decode("utf-8", "replace"))
        if not isinstance(output, dict):
            raise ValueError("not a JSON object")
    except ValueError:
        tail = " ".join(done.stderr.decode("utf-8", "replace").split())[-400:]
        run.notes.append(Note("", f"semgrep: failed (exit {done.returncode}), no Semgrep results: {tail or 'no output'}",
                              "error", ENGINE))
        return run
    run.version = str(output.get("version") or "")
    run.notes += _notes(output.get("errors") or [], targets)
    found = _findings(output.get("results") or [], targets, frozenset(wanted), inline_ignores)
    run.findings, run.suppressed = found
    return run


# ----------------------------------------------------------------------------- results
class _Source:
    """One scanned file's text, for positions, snippets and suppressions."""

    def __init__(self, data: bytes) -> None:
        self.bom = len(_BOM) if data.startswith(_BOM) else 0
        self.data = data[self.bom:]
        self.text = self.data.decode("utf-8", "replace")
        self.lines = _LINE_BREAK.split(self.text)
        starts = [0]
        for m in _LINE_BREAK.finditer(self.text):
            starts.append(m.end())
        self.starts = starts

    def char_offset(self, byte_offset: int) -> int:
        byte_offset = min(max(byte_offset - self.bom, 0), len(self.data))
        return len(self.data[:byte_offset].decode("utf-8", "replace"))

    def position(self, byte_offset: int) -> tuple[int, int]:
        """1-based line and code-point column of a byte offset."""
        offset = self.char_offset(byte_offset)
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line start <= offset
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.starts[lo] + 1


def _findings(results: list, targets: dict, rule_ids: frozenset[str],
              inline_ignores: bool = True) -> tuple[list[Finding], list[Finding]]:
    sources: dict[str, _Source | None] = {}
    findings: list[Finding] = []
    for result in results:
        finding = _finding(result, targets, rule_ids, sources)
        if finding is not None:
            findings.append(finding)
    by_rel = {targets[key].rel: (src.text, targets[key].language) for key, src in sources.items() if src is not None}
    return suppress.apply(findings, by_rel.__getitem__, enabled=inline_ignores)


def _finding(result: dict, targets: dict, rule_ids: frozenset[str], sources: dict) -> Finding | None:
    try:
        rule_id = str(result["check_id"]).rsplit(".", 1)[-1]
        target = targets.get(result["path"]) or targets.get(str(Path(result["path"]).resolve()))
        start, end = int(result["start"]["offset"]), int(result["end"]["offset"])
    except (KeyError, TypeError, ValueError):
        return None
    if rule_id not in rule_ids or target is None:
        return None
    key = str(target.path)
    if key not in sources:
        try:
            sources[key] = _Source(Path(target.path).read_bytes())
        except OSError:
            sources[key] = None
    source = sources[key]
    if source is None:
        return None
    line, col = source.position(start)
    end_line, end_col = source.position(max(end, start))
    matched = source.text[source.char_offset(start):source.char_offset(end)]
    snippet = "\n".join(l.rstrip("\r") for l in source.lines[line - 1:min(end_line, line + 4)])
    found = secrets.find_secrets(matched) or secrets.find_secrets(snippet)
    hidden = [*found, *secrets.random_runs(snippet), *secrets.random_runs(matched)]
    if rule_id in _SECRET_VALUE_RULES:  # the match is the secret itself, whatever it looks like
        value = matched.strip().strip("\"'`")
        if len(value) >= 6:
            hidden.append(value)
    extra = result.get("extra") or {}
    severity = SEVERITIES.get(str(extra.get("severity", "")).upper(), "warning")
    message = " ".join(str(extra.get("message") or rule_id).split())
    fingerprint = found[0].digest if found else ""
    return Finding(rule_id, target.rel, line, col, end_line, end_col, secrets.redact(message, hidden), severity,
                   secrets.redact(snippet, hidden), fingerprint_key=fingerprint, engines=(ENGINE,))


def _notes(errors: list, targets: dict) -> list[Note]:
    notes = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        path = error.get("path") or ""
        target = targets.get(path) or (targets.get(str(Path(path).resolve())) if path else None)
        rel = target.rel if target is not None else ""
        kind = str(error.get("type") or "error")
        kind = kind[0] if isinstance(error.get("type"), list) and error["type"] else kind
        message = " ".join(str(error.get("message") or kind).split())
        for path_key in (path, str(target.path) if target is not None else ""):
            if path_key:
                message = message.replace(path_key, rel or path_key)
        # a file Semgrep could not parse or finish is still covered by the native engine
        level = "note" if rel else "warning"
        notes.append(Note(rel, f"semgrep: {message[:500]}", level, ENGINE))
    return notes


# ----------------------------------------------------------------------------- merging
def merge(native: list[Finding], extra: list[Finding]) -> list[Finding]:
    """Native and Semgrep findings, deduplicated by (rule id, path, line): where both engines
    report a line the native finding is kept (its message is richer) and records both engines.
    Every finding returned records its engines."""
    by_key: dict[tuple[str, str, int], Finding] = {}
    for f in sorted(extra, key=Finding.sort_key):
        by_key.setdefault((f.rule_id, f.path, f.line), f)  # one Semgrep finding per rule and line
    both = {(f.rule_id, f.path, f.line) for f in native} & set(by_key)
    out = [replace(f, engines=("native", ENGINE) if (f.rule_id, f.path, f.line) in both else ("native",)) for f in native]
    out += [f for key, f in by_key.items() if key not in both]
    return sorted(out, key=Finding.sort_key)
