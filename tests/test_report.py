"""The format registry, the text output and the JSON output."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analyzer import __version__
from analyzer.model import Finding, Location, Note, Rule, ScanResult
from analyzer.report import FORMATS, render
from analyzer.report import json as json_report
from analyzer.report import text

ROOT = Path("/nonexistent/scan-root")


def make_rule(rule_id: str = "hidden-email-recipient", category: str = "hidden-recipient") -> Rule:
    return Rule(
        id=rule_id,
        name="".join(part.title() for part in rule_id.split("-")),
        category=category,
        severity="error",
        message="Email gets a constant hidden recipient",
        languages=("python",),
        docs="## What it finds\nA constant recipient.\n",
    )


def make_finding(**changes: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule_id": "hidden-email-recipient",
        "path": "src/server.py",
        "line": 6,
        "col": 5,
        "end_line": 6,
        "end_col": 15,
        "message": "Bcc is set to a constant address",
        "severity": "error",
        "snippet": '    msg["Bcc"] = ATTACKER',
    }
    return Finding(**(fields | changes))


RULES = [make_rule(), make_rule("hardcoded-api-key", "hardcoded-secret")]
NOTE = Note("vendor/huge.js", "file larger than 2 MB, skipped", "warning", "too-large")


def text_of(result: ScanResult, **options: Any) -> str:
    return text.render(result, RULES, ROOT, **options)


# --- registry -------------------------------------------------------------------------------


def test_formats_and_dispatch() -> None:
    assert set(FORMATS) == {"text", "json", "sarif"}
    result = ScanResult(findings=[make_finding()], files_scanned=1)
    assert render("text", result, RULES, ROOT) == text.render(result, RULES, ROOT)
    assert render("json", result, RULES, ROOT) == json_report.render(result, RULES, ROOT)


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", ScanResult(), RULES, ROOT)


def test_every_format_accepts_every_option() -> None:
    result = ScanResult(findings=[make_finding()], files_scanned=1)
    for fmt in FORMATS:
        assert render(fmt, result, RULES, ROOT, color=True, automation_id="x/")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_notes_appear_in_every_format(fmt: str) -> None:
    notes = [NOTE, Note("src/bad.py", "cannot decode as UTF-8", "error", "decode-error")]
    output = render(fmt, ScanResult(notes=notes, files_scanned=3), RULES, ROOT)
    for note in notes:
        assert note.message in output
        assert note.path in output


# --- text -----------------------------------------------------------------------------------


def test_text_exact_output() -> None:
    result = ScanResult(
        findings=[make_finding(related=(Location("src/server.py", 3, 1, 3, 9, "constant defined here"),))],
        notes=[NOTE],
        files_scanned=4,
    )
    assert text_of(result) == (
        "src/server.py:6:5: hidden-email-recipient Bcc is set to a constant address\n"
        "  |\n"
        '6 |     msg["Bcc"] = ATTACKER\n'
        "  |     ^^^^^^^^^^\n"
        "  |\n"
        "  = related: src/server.py:3:1: constant defined here\n"
        "\n"
        "vendor/huge.js: warning: file larger than 2 MB, skipped\n"
        "\n"
        "Found 1 finding (1 error, 0 warnings) in 4 files.\n"
    )


def test_text_related_location_without_message() -> None:
    finding = make_finding(snippet="", related=(Location("src/util.py", 10, 5, 10, 12),))
    assert "\n  = related: src/util.py:10:5\n" in text_of(ScanResult(findings=[finding]))


def test_text_multiline_region_underlines_to_end_of_first_line() -> None:
    finding = make_finding(
        line=9, col=5, end_line=11, end_col=6, snippet="    send(\n        to=ADDR,\n    )"
    )
    frame = text_of(ScanResult(findings=[finding], files_scanned=1)).splitlines()[1:7]
    assert frame == [
        "   |",
        " 9 |     send(",
        "   |     ^^^^^",
        "10 |         to=ADDR,",
        "11 |     )",
        "   |",
    ]


def test_text_underline_is_clipped_to_the_line() -> None:
    finding = make_finding(col=3, end_col=500, snippet="abcdef")
    assert "  |   ^^^^\n" in text_of(ScanResult(findings=[finding]))
    past_end = make_finding(col=40, end_col=45, snippet="abc")
    assert "  |    ^\n" in text_of(ScanResult(findings=[past_end]))


def test_text_underline_follows_tabs_and_wide_characters() -> None:
    snippet = "\t\u65e5\u672c x = KEY"
    after_wide = text_of(ScanResult(findings=[make_finding(col=5, end_col=12, snippet=snippet)])).splitlines()
    assert after_wide[2] == "6 | \t\u65e5\u672c x = KEY"
    assert after_wide[3] == "  | \t     ^^^^^^^"  # tab kept, two wide characters and a space skipped
    on_wide = text_of(ScanResult(findings=[make_finding(col=2, end_col=4, snippet=snippet)])).splitlines()
    assert on_wide[3] == "  | \t^^^^"


def test_text_long_snippets_are_cut() -> None:
    snippet = "\n".join(f"line {n}" for n in range(20))
    finding = make_finding(line=1, col=1, end_line=20, end_col=8, snippet=snippet)
    output = text_of(ScanResult(findings=[finding]))
    assert "5 | line 4" in output and "line 5" not in output
    assert "  | ...\n" in output


def test_text_finding_without_snippet_has_no_frame() -> None:
    output = text_of(ScanResult(findings=[make_finding(snippet="")], files_scanned=1))
    assert output == (
        "src/server.py:6:5: hidden-email-recipient Bcc is set to a constant address\n"
        "\n"
        "Found 1 finding (1 error, 0 warnings) in 1 file.\n"
    )


@pytest.mark.parametrize(
    ("result", "summary"),
    [
        (ScanResult(files_scanned=0), "No findings in 0 files."),
        (ScanResult(files_scanned=1), "No findings in 1 file."),
        (ScanResult(files_scanned=7, suppressed=[make_finding()] * 2), "No findings in 7 files (2 suppressed)."),
        (
            ScanResult(
                findings=[make_finding(), make_finding(severity="warning"), make_finding(severity="warning")],
                files_scanned=2,
                suppressed=[make_finding()],
            ),
            "Found 3 findings (1 error, 2 warnings) in 2 files (1 suppressed).",
        ),
        (
            ScanResult(findings=[make_finding(severity="note")], files_scanned=1),
            "Found 1 finding (0 errors, 0 warnings, 1 note) in 1 file.",
        ),
    ],
)
def test_text_summary(result: ScanResult, summary: str) -> None:
    assert text_of(result).splitlines()[-1] == summary


def test_text_suppressed_findings_are_only_counted() -> None:
    hidden = make_finding(message="this one is suppressed")
    output = text_of(ScanResult(files_scanned=1, suppressed=[hidden]))
    assert "this one is suppressed" not in output
    assert output == "No findings in 1 file (1 suppressed).\n"


def test_text_color_only_when_asked() -> None:
    result = ScanResult(findings=[make_finding(), make_finding(severity="warning")], files_scanned=1)
    assert "\x1b" not in text_of(result)
    colored = text_of(result, color=True)
    assert "\x1b[1;31mhidden-email-recipient\x1b[0m Bcc" in colored
    assert "\x1b[1;33mhidden-email-recipient\x1b[0m Bcc" in colored


def test_text_escapes_terminal_controls_from_scanned_code() -> None:
    finding = make_finding(
        path="src/\x1b[2Jevil.py",
        message="bad\nnews",
        col=1,
        end_col=3,
        snippet="x\u202e = '\x1b]0;pwned\x07'",
    )
    output = text_of(ScanResult(findings=[finding], notes=[Note("a\x1bb.py", "skipped\x00")]))
    assert "\x1b" not in output and "\u202e" not in output and "\x00" not in output
    assert "src/\\x1b[2Jevil.py:6:1:" in output
    assert "bad\\nnews" in output
    assert "6 | x\\u202e = '\\x1b]0;pwned\\x07'" in output
    assert "  | ^^^^^^^\n" in output  # the escaped bidi control is six columns wide
    assert "a\\x1bb.py: warning: skipped\\x00" in output


def test_text_is_deterministic() -> None:
    notes = [NOTE, Note("a.py", "parse error", "error", "parse-error")]
    forward = text_of(ScanResult(findings=[make_finding()], notes=notes))
    assert text_of(ScanResult(findings=[make_finding()], notes=notes[::-1])) == forward
    assert forward.index("a.py: error: parse error") < forward.index("vendor/huge.js")


# --- json -----------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    finding = make_finding(related=(Location("src/server.py", 3, 1, 3, 9, "constant defined here"),))
    secret = make_finding(rule_id="hardcoded-api-key", line=2, message="API key", snippet="KEY = 'sk-…a1b2'")
    result = ScanResult(findings=[finding, secret], notes=[NOTE], files_scanned=5, suppressed=[finding])
    output = json_report.render(result, RULES, ROOT)
    assert output.endswith("}\n") and output.startswith('{\n  "version"')
    data = json.loads(output)

    assert list(data) == ["version", "findings", "suppressed", "notes", "summary"]
    assert data["version"] == __version__
    first = data["findings"][0]
    assert list(first) == [
        "rule_id", "category", "severity", "path", "line", "col", "end_line", "end_col",
        "message", "snippet", "fingerprint", "related",
    ]
    assert first == {
        "rule_id": "hidden-email-recipient",
        "category": "hidden-recipient",
        "severity": "error",
        "path": "src/server.py",
        "line": 6,
        "col": 5,
        "end_line": 6,
        "end_col": 15,
        "message": "Bcc is set to a constant address",
        "snippet": '    msg["Bcc"] = ATTACKER',
        "fingerprint": finding.fingerprint(),
        "related": [
            {"path": "src/server.py", "line": 3, "col": 1, "end_line": 3, "end_col": 9,
             "message": "constant defined here"},
        ],
    }
    assert data["findings"][1]["category"] == "hardcoded-secret"
    assert data["findings"][1]["snippet"] == "KEY = 'sk-…a1b2'"
    assert data["notes"] == [
        {"path": "vendor/huge.js", "level": "warning", "kind": "too-large",
         "message": "file larger than 2 MB, skipped"},
    ]
    assert data["summary"] == {
        "files_scanned": 5,
        "findings": 2,
        "by_rule": {"hardcoded-api-key": 1, "hidden-email-recipient": 1},
        "suppressed": 1,
        "config": None,
        "test_code_findings": 0,
    }


def test_json_empty_scan() -> None:
    data = json.loads(json_report.render(ScanResult(files_scanned=3), RULES, ROOT))
    assert data["findings"] == [] and data["notes"] == []
    assert data["summary"] == {"files_scanned": 3, "findings": 0, "by_rule": {}, "suppressed": 0, "config": None, "test_code_findings": 0}


def test_json_is_ascii_even_for_undecodable_paths() -> None:
    finding = make_finding(path="src/caf\udce9.py", snippet="x = '\u65e5\u672c'")
    output = json_report.render(ScanResult(findings=[finding]), RULES, ROOT)
    assert output.isascii()
    assert json.loads(output)["findings"][0]["snippet"] == "x = '\u65e5\u672c'"
