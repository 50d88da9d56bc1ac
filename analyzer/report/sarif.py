"""SARIF 2.1.0 output, carrying everything GitHub code scanning reads.

Paths are relative URIs under ``%SRCROOT%``; ``primaryLocationLineHash`` is computed as GitHub's
``upload-sarif`` would, from the file on disk, so alerts keep their identity across edits.
Related locations are linked from the result message (``[text](id)``), the only way GitHub shows
them. The output is pure ASCII (non-ASCII escaped), so writing it can never fail on encoding.

Suppressed findings are results too, with ``suppressions``: ``[{"kind": "inSource",
"justification": <the ignore comment, masked>, "location": <the comment's line>}]`` for an inline
``mcpleaks: ignore``, ``[{"kind": "external", "justification": "recorded in the baseline <file>"}]``
for a baseline; GitHub code scanning shows them as dismissed. The configuration file that
applied is named in ``invocations[0].properties.config`` (a path relative to the scan root, or
null) and, when there is one, in a ``config`` tool configuration notification.

GitHub's upload limits are kept: one run per log, at most 25,000 results per run (the most
severe are kept, and a tool notification says how many were left out), 1,000 rules, 20 tags
per rule and 1,000 related locations per result.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from analyzer import __version__
from analyzer.model import Finding, Location, Note, Rule, ScanResult
from analyzer.report.fingerprints import line_hashes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mcpleaks/mcpleaks"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mcpleaks/v1"
MAX_TAGS = 20  # GitHub reads no more
MAX_RESULTS = 25_000  # GitHub rejects a run with more
MAX_RULES = 1_000
MAX_RELATED = 1_000  # locations per result
RULE_DOCS_URL = INFORMATION_URI + "/blob/main/docs/rules/{id}.md"
_LEVEL_RANK = {"error": 0, "warning": 1, "note": 2}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_LINK_LIKE = re.compile(r"\[([^\[\]]*)\]\(")
_NOTE_ORDER = attrgetter("path", "kind", "message")

LineHashes = dict[tuple[str, int], str]


def render(
    result: ScanResult,
    rules: Sequence[Rule],
    root: Path,
    *,
    automation_id: str = "mcpleaks/",
    **_: object,
) -> str:
    everything = [*result.findings, *result.suppressed]
    ordered = _rule_subset({rule.id: rule for rule in rules}, everything)
    catalog = {rule.id: (i, rule) for i, rule in enumerate(ordered)}
    findings, dropped = _most_severe(everything, catalog)
    hashes = _line_hashes(findings, root)
    notifications = [_notification(note) for note in sorted(result.notes, key=_NOTE_ORDER)]
    if dropped:
        notifications.append(_truncation_notice(dropped, len(everything)))
    invocation: dict[str, Any] = {"executionSuccessful": True, "toolExecutionNotifications": notifications}
    if result.config is not None:
        invocation["toolConfigurationNotifications"] = [_config_notice(result.config)]
    invocation["properties"] = {"config": result.config, "testCodeFindings": result.test_code_findings}
    run = {
        "tool": {"driver": _driver(ordered)},
        "automationDetails": {"id": automation_id},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(root)}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, catalog.get(finding.rule_id), hashes) for finding in findings],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def _rule_subset(rules: dict[str, Rule], findings: Sequence[Finding]) -> list[Rule]:
    """The rules to describe, by id: all of them, or when there are more than GitHub takes,
    the ones with results first."""
    ordered = sorted(rules.values(), key=attrgetter("id"))
    if len(ordered) <= MAX_RULES:
        return ordered
    used = {finding.rule_id for finding in findings}
    keep = {rule.id for rule in sorted(ordered, key=lambda r: (r.id not in used, r.id))[:MAX_RULES]}
    return [rule for rule in ordered if rule.id in keep]


def _most_severe(findings: Sequence[Finding], catalog: dict[str, tuple[int, Rule]]) -> tuple[list[Finding], int]:
    """At most ``MAX_RESULTS`` findings, the most severe first to be kept (unsuppressed ones,
    then level, then the rule's security-severity), in their original order; and how many were
    left out."""
    if len(findings) <= MAX_RESULTS:
        return list(findings), 0

    def rank(item: tuple[int, Finding]) -> tuple[bool, int, float, int]:
        index, finding = item
        rule = catalog.get(finding.rule_id)
        return (finding.suppressed, _LEVEL_RANK.get(finding.severity, 3),
                -(rule[1].security_severity if rule else 0.0), index)

    kept = sorted(sorted(enumerate(findings), key=rank)[:MAX_RESULTS])
    return [finding for _, finding in kept], len(findings) - MAX_RESULTS


def _truncation_notice(dropped: int, total: int) -> dict[str, Any]:
    return {
        "level": "warning",
        "message": {
            "text": f"{dropped:,} of {total:,} results were left out: GitHub code scanning accepts at most "
                    f"{MAX_RESULTS:,} results per run. The most severe are kept; scan fewer paths, or narrow "
                    f"the rules with --select or --category, to see the rest."
        },
        "descriptor": {"id": "results-truncated"},
    }


def _config_notice(config: str) -> dict[str, Any]:
    """Which configuration file applied: a note-level tool configuration notification."""
    notice: dict[str, Any] = {
        "level": "note",
        "message": {"text": f"configuration: [tool.mcpleaks] in {config}"},
        "descriptor": {"id": "config"},
    }
    if not Path(config).is_absolute():  # relative to the scan root
        notice["locations"] = [{"physicalLocation": {"artifactLocation": _artifact_location(config)}}]
    return notice


def _driver(rules: Sequence[Rule]) -> dict[str, Any]:
    return {
        "name": "mcpleaks",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule) for rule in rules],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.docs_section("What it finds") or rule.message},
        "help": {"text": rule.docs, "markdown": rule.docs},
        "helpUri": RULE_DOCS_URL.format(id=quote(rule.id)),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {
            "tags": _tags(rule),
            "security-severity": f"{rule.security_severity:.1f}",
            "precision": rule.confidence,
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
            "category": rule.category,
        },
    }


def _tags(rule: Rule) -> list[str]:
    """``security`` first (GitHub needs it to read security-severity), distinct, at most 20."""
    tags = [
        "security",
        *(f"external/cwe/{cwe.lower()}" for cwe in rule.cwe),
        *(f"owasp-mcp/{owasp}" for owasp in rule.owasp),
        rule.category,
    ]
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def _result(finding: Finding, rule: tuple[int, Rule] | None, hashes: LineHashes) -> dict[str, Any]:
    """One result; ``rule`` is the rule's index in the driver and the rule itself, if known."""
    result: dict[str, Any] = {"ruleId": finding.rule_id}
    if rule:
        result["ruleIndex"] = rule[0]
    result |= {
        "level": finding.severity,
        "message": {"text": _message(finding)},
        "locations": [{"physicalLocation": _physical_location(finding, finding.snippet)}],
    }
    if finding.related:
        related = finding.related[:MAX_RELATED]
        result["relatedLocations"] = [_related(i, loc) for i, loc in enumerate(related, start=1)]
    if finding.flow:  # GitHub code scanning's "Show paths": one thread flow, source first
        result["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": {"physicalLocation": _physical_location(loc), "message": {"text": loc.message or "step"}}}
            for loc in finding.flow[:MAX_RELATED]]}]}]
    fingerprints = {FINGERPRINT_KEY: finding.fingerprint()}
    if (finding.path, finding.line) in hashes:
        fingerprints = {"primaryLocationLineHash": hashes[finding.path, finding.line], **fingerprints}
    result["partialFingerprints"] = fingerprints
    if finding.suppressed:
        result["suppressions"] = [_suppression(finding)]
    properties: dict[str, Any] = {"category": rule[1].category} if rule else {}
    if finding.engines:  # which engines found it, when more than one ran (scan --semgrep)
        properties["engines"] = list(finding.engines)
    if properties:
        result["properties"] = properties
    return result


def _suppression(finding: Finding) -> dict[str, Any]:
    how = finding.suppression
    if how is None:
        return {"kind": "inSource"}
    suppression: dict[str, Any] = {"kind": how.kind}
    if how.justification:
        suppression["justification"] = how.justification
    if how.kind == "inSource" and how.line:
        region = {"startLine": how.line}
        suppression["location"] = {"physicalLocation": {"artifactLocation": _artifact_location(finding.path),
                                                        "region": region}}
    return suppression


def _message(finding: Finding) -> str:
    """The message, with links to the related locations appended (``[text](id)``)."""
    text = _escape_links(finding.message)
    if not finding.related:
        return text
    links = [f"[{_link_text(loc)}]({i})" for i, loc in enumerate(finding.related[:MAX_RELATED], start=1)]
    return f"{text} Related: {', '.join(links)}."


def _escape_links(text: str) -> str:
    """Escape brackets that would otherwise read as a SARIF embedded link."""
    return _LINK_LIKE.sub(r"\\[\1\\](", text)


def _link_text(loc: Location) -> str:
    text = loc.message or f"{loc.path}:{loc.line}"
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _related(location_id: int, loc: Location) -> dict[str, Any]:
    related: dict[str, Any] = {"id": location_id, "physicalLocation": _physical_location(loc)}
    if loc.message:
        related["message"] = {"text": loc.message}
    return related


def _physical_location(at: Finding | Location, snippet: str = "") -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": at.line,
        "startColumn": at.col,
        "endLine": at.end_line,
        "endColumn": at.end_col,
    }
    if snippet:
        region["snippet"] = {"text": snippet}
    return {"artifactLocation": _artifact_location(at.path), "region": region}


def _artifact_location(path: str) -> dict[str, str]:
    """A relative POSIX path as a percent-encoded URI reference under ``%SRCROOT%``."""
    uri = quote(path.encode("utf-8", "surrogateescape"), safe="/")
    return {"uri": uri, "uriBaseId": SRCROOT}


def _root_uri(root: Path) -> str:
    uri = root.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _notification(note: Note) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": note.level,
        "message": {"text": note.message},
        "descriptor": {"id": note.kind},
    }
    if note.path:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact_location(note.path)}}]
    return notification


def _line_hashes(findings: Sequence[Finding], root: Path) -> LineHashes:
    """GitHub's line hash of each finding's first line, for the files that can be read."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        wanted[finding.path].add(finding.line)
    hashes: LineHashes = {}
    for path, lines in wanted.items():
        text = _read_source(root, path)
        if text is not None:
            hashes |= {(path, line): digest for line, digest in line_hashes(text, lines).items()}
    return hashes


def _read_source(root: Path, path: str) -> str | None:
    """The file's text as GitHub decodes it, or None if it is unreadable or outside ``root``."""
    try:
        base = root.resolve()
        source = (base / path).resolve(strict=True)
        if not source.is_relative_to(base) or not source.is_file():
            return None
        return source.read_bytes().decode("utf-8", "replace")
    except (OSError, RuntimeError, ValueError):
        return None
