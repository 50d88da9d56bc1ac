"""Every rule ships with an id, a one-line message, docs with the four headings, a
category from the public taxonomy, and checkers for the languages it claims."""
from __future__ import annotations

import re

import pytest

from analyzer.model import LANGUAGES, SEVERITIES
from analyzer.rules import all_rules, checkers

CATEGORIES = {"hidden-recipient", "exfiltration", "hardcoded-secret", "secret-in-prompt", "payload-logging"}
LANGUAGE_PACKAGE = {"python": "python", "javascript": "javascript", "typescript": "javascript", "json": "json"}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_metadata(rule):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.id)
    assert rule.category in CATEGORIES
    assert rule.severity in SEVERITIES
    assert rule.languages and set(rule.languages) <= set(LANGUAGES)
    assert rule.message and "\n" not in rule.message and len(rule.message) <= 120
    assert rule.cwe and all(re.fullmatch(r"CWE-\d+", c) for c in rule.cwe)
    assert rule.owasp and all(re.fullmatch(r"MCP\d\d", o) for o in rule.owasp)
    assert 0.0 < rule.security_severity <= 10.0
    for heading in ("What it finds", "Why it matters", "Example", "Fix"):
        assert rule.docs_section(heading), f"{rule.id}: docs lack '## {heading}'"
    assert "```" in rule.docs_section("Example")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_has_checkers_for_its_languages(rule):
    for language in rule.languages:
        package = LANGUAGE_PACKAGE[language]
        assert any(c.rule_id == rule.id for c in checkers(package)), f"{rule.id}: no {package} checker"
