"""Machine output: one JSON object with findings, scan notes and a summary.

``findings`` holds only the findings that count (they decide the exit code). Suppressed
findings are kept apart, in ``suppressed``: the same objects plus a ``suppression`` object,
``{"kind": "inSource", "justification": <the comment, masked>, "line": <the comment's line>}``
for an inline ``mcpleaks: ignore`` comment, ``{"kind": "external", "justification": "recorded in
the baseline <file>", "line": 0}`` for a baseline (SARIF's words). ``summary.suppressed`` is their
count, ``summary.config`` the configuration file that applied (a path, or null),
``summary.test_code_findings`` how many findings in test code and developer scripts were left out
(``scan --include-tests`` reports them).

The output is pure ASCII (non-ASCII escaped), so writing it can never fail on encoding.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from analyzer import __version__
from analyzer.model import Finding, Location, Note, Rule, ScanResult

_NOTE_ORDER = attrgetter("path", "kind", "message")


def render(result: ScanResult, rules: Sequence[Rule], root: Path, **_: object) -> str:
    categories = {rule.id: rule.category for rule in rules}
    document = {
        "version": __version__,
        "findings": [_finding(finding, categories.get(finding.rule_id)) for finding in result.findings],
        "suppressed": [_suppressed(finding, categories.get(finding.rule_id)) for finding in result.suppressed],
        "notes": [_note(note) for note in sorted(result.notes, key=_NOTE_ORDER)],
        "summary": _summary(result),
    }
    return json.dumps(document, indent=2) + "\n"


def _finding(finding: Finding, category: str | None) -> dict[str, Any]:
    out = {
        "rule_id": finding.rule_id,
        "category": category,
        "severity": finding.severity,
        **_span(finding),
        "message": finding.message,
        "snippet": finding.snippet,
        "fingerprint": finding.fingerprint(),
        "related": [{**_span(loc), "message": loc.message} for loc in finding.related],
    }
    if finding.flow:  # the data flow, source first and sink last
        out["flow"] = [{**_span(loc), "message": loc.message} for loc in finding.flow]
    if finding.engines:  # which engines found it, when more than one ran (scan --semgrep)
        out["engines"] = list(finding.engines)
    return out


def _suppressed(finding: Finding, category: str | None) -> dict[str, Any]:
    how = finding.suppression
    suppression = {"kind": how.kind, "justification": how.justification, "line": how.line} if how else None
    return {**_finding(finding, category), "suppression": suppression}


def _span(at: Finding | Location) -> dict[str, Any]:
    return {"path": at.path, "line": at.line, "col": at.col, "end_line": at.end_line, "end_col": at.end_col}


def _note(note: Note) -> dict[str, str]:
    return {"path": note.path, "level": note.level, "kind": note.kind, "message": note.message}


def _summary(result: ScanResult) -> dict[str, Any]:
    by_rule = Counter(finding.rule_id for finding in result.findings)
    return {
        "files_scanned": result.files_scanned,
        "findings": len(result.findings),
        "by_rule": dict(sorted(by_rule.items())),
        "suppressed": len(result.suppressed),
        "config": result.config,
        "test_code_findings": result.test_code_findings,
    }
