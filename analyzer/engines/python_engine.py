"""The Python engine's face (see analyzer.engines)."""
from __future__ import annotations

from analyzer.engines import python_cst
from analyzer.model import Finding, Note
from analyzer.rules import checkers

LANGUAGES = python_cst.LANGUAGES
CHECKER_PACKAGE = "python"


def rule_ids() -> frozenset[str]:
    return frozenset(c.rule_id for c in checkers(CHECKER_PACKAGE))


def scan(path: str, text: str, language: str, rule_ids: frozenset[str]) -> tuple[list[Finding], list[Note]]:
    active = [c for c in checkers(CHECKER_PACKAGE) if c.rule_id in rule_ids]
    if not active:
        return [], []
    return python_cst.scan_text(path, text, active)
