"""The JavaScript/TypeScript engine's face (see analyzer.engines)."""
from __future__ import annotations

from analyzer.engines import javascript_ts
from analyzer.model import Finding, Note
from analyzer.rules import checkers

LANGUAGES = javascript_ts.LANGUAGES
CHECKER_PACKAGE = "javascript"


def rule_ids() -> frozenset[str]:
    return frozenset(c.rule_id for c in checkers(CHECKER_PACKAGE))


def scan(path: str, text: str, language: str, rule_ids: frozenset[str]) -> tuple[list[Finding], list[Note]]:
    active = [c for c in checkers(CHECKER_PACKAGE) if c.rule_id in rule_ids]
    if not active:
        return [], []
    return javascript_ts.scan_text(path, text, language, active)
