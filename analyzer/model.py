"""The only types every module shares.

Positions are 1-based. Columns count Unicode code points; ``end_col`` is exclusive
(the column just after the last character), as in SARIF regions.
Paths are relative to the scan root, in POSIX form.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "note")
LANGUAGES = ("python", "javascript", "typescript", "json")


@dataclass(frozen=True)
class Rule:
    """A rule's public identity and docs. ``id`` equals the SARIF ruleId, the
    suppression token and the ``corpus/`` folder name."""

    id: str
    name: str  # PascalCase, SARIF ``rule.name``
    category: str  # hidden-recipient | exfiltration | hardcoded-secret | secret-in-prompt | payload-logging
    severity: str  # error | warning | note
    message: str  # one line: SARIF shortDescription
    languages: tuple[str, ...]
    docs: str  # markdown, headings: ## What it finds / ## Why it matters / ## Example / ## Fix
    confidence: str = "high"  # high | medium | low (SARIF precision: high | medium | low)
    cwe: tuple[str, ...] = ()  # e.g. ("CWE-506",)
    owasp: tuple[str, ...] = ()  # e.g. ("MCP04",)
    security_severity: float = 5.0  # 0.0-10.0, GitHub's security-severity

    def docs_section(self, heading: str) -> str:
        """Text under ``## heading`` in the docs (empty when absent)."""
        m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", self.docs, re.M | re.S)
        return m.group(1).strip() if m else ""


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str = ""


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not counted, in SARIF's words: ``kind`` is ``inSource`` (an inline
    ``mcpleaks: ignore`` comment) or ``external`` (a baseline file). ``justification`` is the
    comment's text (masked: a comment may hold a secret) or names the baseline; ``line`` is the
    comment's first line (0 for a baseline)."""

    kind: str  # inSource | external
    justification: str = ""
    line: int = 0


@dataclass(frozen=True)
class Finding:
    rule_id: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    severity: str
    snippet: str = ""  # the source line(s) of the region, already masked where needed
    related: tuple[Location, ...] = ()
    # What the fingerprint hashes besides rule and path. Rules that find secrets put a
    # hash of the secret here, never the secret; others leave it empty and the
    # whitespace-normalized snippet is used (the snippet as shown: redacted by
    # secrets.redact_text, which is a fixed point, so a redacted copy keeps the fingerprint).
    fingerprint_key: str = ""
    suppressed: bool = False
    # Set with ``suppressed``: the comment or baseline that suppresses it. Not part of the fingerprint.
    suppression: Suppression | None = None
    # Which engines found it ("native", "semgrep"); recorded when more than one engine ran
    # (``mcpleaks scan --semgrep``), empty otherwise. Not part of the fingerprint.
    engines: tuple[str, ...] = ()
    # Secret rules: the secret was recognised by a provider's distinctive format (a live-key
    # shape such as ``ghp_…`` or ``sk-ant-…``), not by the name it is stored under or its
    # entropy. In test code and developer scripts only such findings are reported.
    shaped: bool = False
    # Found inside test code of a server file (a test function or class, a pytest fixture, a
    # describe/it/test callback): the test-code policy applies to it as to a file of tests.
    # Not part of the fingerprint.
    test_code: bool = False
    # The steps of the finding's data flow, source first and sink last (each with a message):
    # where the value is read, each variable it is assigned to, where it is written. SARIF
    # codeFlows, numbered steps in the text output. Empty when the flow has one step. Not part
    # of the fingerprint.
    flow: tuple[Location, ...] = ()

    def fingerprint(self) -> str:
        """Stable across edits above the finding: no line numbers in it."""
        key = self.fingerprint_key or " ".join(self.snippet.split())
        data = "\0".join((self.rule_id, self.path, key)).encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.rule_id, self.message)


@dataclass(frozen=True)
class Note:
    """Something the user must know about the scan itself (a file skipped, not parsed)."""

    path: str
    message: str
    level: str = "warning"  # error | warning | note
    kind: str = "skipped"  # one of NOTE_KINDS


# What a note is about. The kinds in NOT_ANALYSED mean some code in the scanned tree was not
# (fully) analysed because of what it contains: `scan --strict` exits 2 on any of them.
NOTE_KINDS = (
    "parse-error",  # the file (or part of it) could not be parsed
    "decode-error",  # the file could not be decoded (an unknown codec, a binary file)
    "decoded-lossy",  # invalid bytes were replaced (U+FFFD) and the file analysed anyway
    "encoding",  # decoded with the codec its coding declaration names (latin-1, utf-7...)
    "budget",  # a rule or the parser ran out of its deterministic budget: results incomplete
    "timeout",  # the wall-clock safety net stopped the analysis: results incomplete
    "internal-error",  # a bug of ours, or a parser crash
    "compiled",  # compiled code (.pyc) without its source: not analysed
    "too-large",  # over --max-file-size
    "minified",  # a minified bundle, skipped by policy
    "skipped-dirs",  # dependency, virtualenv or cache folders skipped by policy (with a count)
    "symlink",  # a link not followed
    "skipped",  # anything else not scanned (unreadable, not a source file)
    "config",  # which configuration applied, or a problem in a configuration or ignore file
)
NOT_ANALYSED = frozenset({"parse-error", "decode-error", "budget", "timeout", "internal-error", "compiled", "too-large"})


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    files_scanned: int = 0
    suppressed: list[Finding] = field(default_factory=list)  # each with its ``suppression``
    # The configuration file that applied (``(.)mcpleaks.toml`` or ``[tool.mcpleaks]`` of a pyproject.toml), as shown to
    # the user: relative to the scan root when inside it, else absolute; None when none applied.
    config: str | None = None
    # Findings left out because they are in test code or developer scripts (see
    # ``analyzer.roles``): counted so that the summary can say so; ``--include-tests`` keeps them.
    test_code_findings: int = 0
