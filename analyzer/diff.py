"""``mcpleaks diff OLD NEW``: what a release adds.

Both releases are scanned like ``scan`` does (every rule; dependency folders, bundles and minified
files included: what ships is what runs) and their findings compared by the line-free
fingerprint (``Finding.fingerprint``: rule, path and code, no line number), so code that moved
within a file is not new. A finding that moved to another file (a rename, ``src/`` rebuilt into
``dist/``) is matched in a second pass by rule and code alone. Each finding of NEW is then
``new`` or ``unchanged``; a finding only OLD has is ``absent`` (SARIF ``baselineState``).

Beside the findings, the capability diff (:mod:`analyzer.capabilities`): the outbound hosts,
e-mail recipients, environment reads, file reads, processes, dependencies and install scripts
that NEW has and OLD has not.

OLD and NEW are folders, archives (:mod:`analyzer.archive`) or registry specs; archives are
unpacked into temporary folders that are removed afterwards.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer import archive, capabilities
from analyzer.model import Finding, Note, Rule, ScanResult
from analyzer.report import render
from analyzer.report import text as text_report
from analyzer.secrets import redact_text

NEW, UNCHANGED, ABSENT = "new", "unchanged", "absent"


@dataclass
class Release:
    spec: str  # as given
    root: Path
    name: str | None = None
    version: str | None = None
    unpacked: archive.Unpacked | None = None
    notes: list[Note] = field(default_factory=list)

    def cleanup(self) -> None:
        if self.unpacked is not None:
            self.unpacked.cleanup()

    def describe(self) -> dict[str, Any]:
        return {"source": self.spec, "package": self.name, "version": self.version}


def open_release(spec: str) -> Release:
    """A folder, an archive or a registry spec, as a folder to scan."""
    if archive.is_registry_spec(spec):
        unpacked = archive.fetch(spec)
    else:
        path = Path(spec)
        if path.is_dir():
            return _identify(Release(spec, path.absolute()))
        if not path.exists():
            raise archive.ArchiveError(f"{spec}: no such file or directory")
        if not archive.is_archive(path):
            raise archive.ArchiveError(f"{spec}: not a folder, an archive ({', '.join(archive.ARCHIVE_SUFFIXES)}) "
                                       "or a registry spec (npm:NAME@VERSION, pypi:NAME==VERSION)")
        unpacked = archive.unpack(path)
    release = Release(spec, unpacked.root, unpacked=unpacked)
    release.notes = [Note("", f"{spec}: {message}", "warning", "skipped") for message in unpacked.skipped]
    return _identify(release)


def _identify(release: Release) -> Release:
    """Name and version from package.json, pyproject.toml, PKG-INFO or a wheel's METADATA."""
    from analyzer.capabilities import _read_json, _read_text, _read_toml

    pkg = _read_json(release.root / "package.json")
    if isinstance(pkg, dict) and isinstance(pkg.get("name"), str):
        release.name, release.version = pkg["name"], str(pkg.get("version") or "") or None
        return release
    project = _read_toml(release.root / "pyproject.toml").get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        release.name, release.version = project["name"], project.get("version") if isinstance(project.get("version"), str) else None
    for meta in [release.root / "PKG-INFO", *sorted(release.root.glob("*.dist-info/METADATA"))]:
        text = _read_text(meta)
        if text:
            fields = dict(line.split(": ", 1) for line in text.splitlines()[:40] if ": " in line)
            release.name = release.name or fields.get("Name")
            release.version = release.version or fields.get("Version")
            break
    return release


@dataclass
class DiffResult:
    old: Release
    new: Release
    new_findings: list[Finding]
    unchanged: list[Finding]
    absent: list[Finding]
    notes: list[Note]
    files_scanned: int
    added: list[capabilities.Change]
    removed: list[capabilities.Change]

    @property
    def anything_new(self) -> bool:
        return bool(self.new_findings or self.added)


def _scan(root: Path, rules: Sequence[Rule], jobs: int | None) -> ScanResult:
    from analyzer.scanner import Selection, scan_paths

    selection = Selection(frozenset(r.id for r in rules))
    return scan_paths([root], root, selection, include_minified=True, jobs=jobs, inline_ignores=False, include_tests=True,
                      include_folders=("dependencies", "virtualenvs"))


def _code_key(finding: Finding) -> str:
    key = finding.fingerprint_key or " ".join(finding.snippet.split())
    return hashlib.sha256("\0".join((finding.rule_id, key)).encode("utf-8", "surrogatepass")).hexdigest()


def compare(old: Sequence[Finding], new: Sequence[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(new, unchanged, absent) by fingerprint (a multiset), then by rule and code alone."""
    left = Counter(f.fingerprint() for f in old)
    first: list[Finding] = []
    unchanged: list[Finding] = []
    for f in new:
        if left[f.fingerprint()] > 0:
            left[f.fingerprint()] -= 1
            unchanged.append(f)
        else:
            first.append(f)
    old_left = []
    for f in old:
        if left[f.fingerprint()] > 0:
            left[f.fingerprint()] -= 1
            old_left.append(f)
    moved = Counter(_code_key(f) for f in old_left)
    added: list[Finding] = []
    for f in first:
        if moved[_code_key(f)] > 0:
            moved[_code_key(f)] -= 1
            unchanged.append(f)
        else:
            added.append(f)
    absent = []
    for f in old_left:
        key = _code_key(f)
        if moved[key] > 0:
            moved[key] -= 1
            absent.append(f)
    return sorted(added, key=Finding.sort_key), sorted(unchanged, key=Finding.sort_key), sorted(absent, key=Finding.sort_key)


def run(old_spec: str, new_spec: str, rules: Sequence[Rule], jobs: int | None = None) -> tuple[DiffResult, list[Release]]:
    """Open, scan and compare both releases. The caller renders, then cleans the releases up."""
    opened: list[Release] = []
    try:
        old = open_release(old_spec)
        opened.append(old)
        new = open_release(new_spec)
        opened.append(new)
        old_scan, new_scan = _scan(old.root, rules, jobs), _scan(new.root, rules, jobs)
        added_f, unchanged, absent = compare(old_scan.findings, new_scan.findings)
        added, removed = capabilities.diff(capabilities.collect(old.root), capabilities.collect(new.root))
    except BaseException:
        for release in opened:
            release.cleanup()
        raise
    notes = [*old.notes, *new.notes, *(dataclasses.replace(n, path=f"{new_spec}:{n.path}" if n.path else new_spec)
                                        for n in new_scan.notes if n.kind != "skipped-dirs")]
    result = DiffResult(old, new, added_f, unchanged, absent, notes, new_scan.files_scanned, added, removed)
    return result, opened


# ----------------------------------------------------------------------------- reports
def render_diff(fmt: str, result: DiffResult, rules: Sequence[Rule], *, color: bool = False,
                automation_id: str = "mcpleaks/diff/") -> str:
    if fmt == "json":
        return _json(result, rules)
    if fmt == "sarif":
        return _sarif(result, rules, automation_id)
    return _text(result, rules, color)


def _label(release: Release) -> str:
    if release.name:
        return f"{release.name}@{release.version}" if release.version else release.name
    return release.spec


def _text(result: DiffResult, rules: Sequence[Rule], color: bool) -> str:
    head = f"mcpleaks diff {redact_text(result.old.spec)} -> {redact_text(result.new.spec)} " \
           f"({_label(result.old)} -> {_label(result.new)})"
    body = render("text", ScanResult(findings=result.new_findings, notes=result.notes, files_scanned=result.files_scanned),
                  rules, result.new.root, color=color)
    body = body.rstrip("\n").rsplit("\n\n", 1)[0] if result.new_findings or result.notes else ""
    lines = [head, ""]
    if body:
        lines += [body, ""]
    lines.append("Capabilities new in the newer release:" if result.added else "No new capabilities.")
    lines += [f"  + {text_report._clean(capabilities.describe(c))}" for c in result.added]
    if result.removed:
        lines.append("Capabilities gone:")
        lines += [f"  - {text_report._clean(capabilities.KIND_WORDS[c.kind])}: {text_report._clean(c.value)}"
                  for c in result.removed]
    lines.append("")
    counts = f"{len(result.new_findings)} new finding(s), {len(result.unchanged)} unchanged, {len(result.absent)} gone; " \
             f"{len(result.added)} new capabilit{'y' if len(result.added) == 1 else 'ies'}."
    lines.append(counts if result.anything_new else f"Nothing new. {counts}")
    return redact_text("\n".join(lines)) + "\n"


def _json(result: DiffResult, rules: Sequence[Rule]) -> str:
    def findings(items: Sequence[Finding], root: Path) -> list[dict[str, Any]]:
        return json.loads(render("json", ScanResult(findings=list(items)), rules, root))["findings"]

    notes = json.loads(render("json", ScanResult(notes=result.notes), rules, result.new.root))["notes"]
    document = {
        "old": result.old.describe(),
        "new": result.new.describe(),
        "findings": findings(result.new_findings, result.new.root),
        "unchanged": findings(result.unchanged, result.new.root),
        "absent": findings(result.absent, result.old.root),
        "capabilities": {"added": capabilities.changes_json(result.added),
                         "removed": capabilities.changes_json(result.removed)},
        "notes": notes,
        "summary": {"new": len(result.new_findings), "unchanged": len(result.unchanged), "absent": len(result.absent),
                    "new_capabilities": len(result.added), "files_scanned": result.files_scanned},
    }
    return redact_text(json.dumps(document, indent=2)) + "\n"


def _sarif(result: DiffResult, rules: Sequence[Rule], automation_id: str) -> str:
    states = {id(f): NEW for f in result.new_findings} | {id(f): UNCHANGED for f in result.unchanged}
    current = sorted([*result.new_findings, *result.unchanged], key=Finding.sort_key)
    log = json.loads(render("sarif", ScanResult(findings=current, notes=result.notes, files_scanned=result.files_scanned),
                            rules, result.new.root, automation_id=automation_id))
    run = log["runs"][0]
    for finding, sarif_result in zip(current, run["results"]):
        sarif_result["baselineState"] = states[id(finding)]
    if result.absent:
        old_log = json.loads(render("sarif", ScanResult(findings=list(result.absent)), rules, result.old.root))
        for sarif_result in old_log["runs"][0]["results"]:
            sarif_result["baselineState"] = ABSENT
            for loc in sarif_result.get("locations", []) + sarif_result.get("relatedLocations", []):
                loc["physicalLocation"]["artifactLocation"]["uriBaseId"] = "OLDROOT"
            run["results"].append(sarif_result)
        run["originalUriBaseIds"]["OLDROOT"] = old_log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    run.setdefault("properties", {})["capabilities"] = {
        "added": capabilities.changes_json(result.added), "removed": capabilities.changes_json(result.removed)}
    run["properties"]["old"] = result.old.describe()
    run["properties"]["new"] = result.new.describe()
    return redact_text(json.dumps(log, indent=2)) + "\n"


def by_kind(changes: Sequence[capabilities.Change]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for c in changes:
        out[c.kind].append(c.value)
    return dict(out)
