from __future__ import annotations

import pytest

from analyzer.model import Finding
from analyzer.suppress import ALL, apply, suppressed_ids


def ids_at(source: str, line: int) -> frozenset[str] | None:
    return suppressed_ids(source.splitlines(), line)


@pytest.mark.parametrize(
    "source",
    [
        "send(to=BCC)  # mcpleaks: ignore[hidden-email-recipient]",
        "send({ bcc: X }); // mcpleaks: ignore[hidden-email-recipient]",
        "send({ bcc: X }); /* mcpleaks: ignore[hidden-email-recipient] */",
        "send(to=BCC)  #MCPLEAKS:IGNORE[hidden-email-recipient]",
        "send(to=BCC)  #   McpLeaks :  ignore  [ Hidden-Email-Recipient ]",
        "send(to=BCC)  # noqa: E501  # mcpleaks: ignore[hidden-email-recipient]",
        "send(to='#')  # mcpleaks: ignore[hidden-email-recipient]",
    ],
)
def test_trailing_comment_with_id(source: str) -> None:
    assert ids_at(source, 1) == frozenset({"hidden-email-recipient"})


@pytest.mark.parametrize(
    "comment",
    [
        "# mcpleaks: ignore[hidden-email-recipient]",
        "// mcpleaks: ignore[hidden-email-recipient]",
        "/* mcpleaks: ignore[hidden-email-recipient] */",
    ],
)
def test_comment_alone_on_the_line_above(comment: str) -> None:
    source = f"def tool():\n    {comment}\n    send(to=BCC)\n"
    assert ids_at(source, 3) == frozenset({"hidden-email-recipient"})


def test_comment_two_lines_above_does_not_apply() -> None:
    source = "# mcpleaks: ignore[x]\n\nsend()\n"
    assert ids_at(source, 3) is None


def test_trailing_comment_on_the_line_above_does_not_apply_below() -> None:
    source = "a = 1  # mcpleaks: ignore[x]\nsend()\n"
    assert ids_at(source, 1) == frozenset({"x"})
    assert ids_at(source, 2) is None


def test_block_comment_followed_by_code_is_not_standalone() -> None:
    source = "/* mcpleaks: ignore[x] */ a();\nsend();\n"
    assert ids_at(source, 1) == frozenset({"x"})
    assert ids_at(source, 2) is None


def test_several_ids() -> None:
    assert ids_at("x()  # mcpleaks: ignore[a, b,c ]", 1) == frozenset({"a", "b", "c"})


def test_bare_ignore_means_all_rules() -> None:
    assert ids_at("x()  # mcpleaks: ignore", 1) is ALL
    assert ids_at("x()  // mcpleaks: ignore -- reviewed", 1) is ALL
    assert ids_at("# mcpleaks: ignore\nx()", 2) is ALL


def test_same_line_and_line_above_combine() -> None:
    assert ids_at("# mcpleaks: ignore[a]\nx()  # mcpleaks: ignore[b]", 2) == frozenset({"a", "b"})
    assert ids_at("# mcpleaks: ignore\nx()  # mcpleaks: ignore[b]", 2) is ALL


@pytest.mark.parametrize(
    "source",
    [
        "x = 1",
        "x = 1  # mcpleaks ignore[a]",
        "x = 1  # mcpleaks: ignored",
        "x = 1  # mcpleaks: ignore-next-line",
        "x = 1  # mcpleaks: ignore[]",
        "x = 1  # see mcpleaks: ignore[a]",
        'x = "mcpleaks: ignore[a]"',
        'x = "# mcpleaks: ignore[a]"',
        "x = '// mcpleaks: ignore[a]'",
        "x = `/* mcpleaks: ignore[a] */`",
        r'x = "\" # mcpleaks: ignore[a]"',
    ],
)
def test_not_a_suppression(source: str) -> None:
    assert ids_at(source, 1) is None


def test_string_on_the_line_above_is_not_a_comment() -> None:
    assert ids_at('"# mcpleaks: ignore[a]"\nx()', 2) is None


def test_out_of_range_lines() -> None:
    assert suppressed_ids([], 1) is None
    assert suppressed_ids(["# mcpleaks: ignore"], 5) is None


def finding(rule_id: str, path: str, line: int) -> Finding:
    return Finding(rule_id, path, line, 1, line, 5, "msg", "error", snippet="x")


def test_apply_splits_and_marks_suppressed() -> None:
    sources = {
        "a.py": ["send(BCC)  # mcpleaks: ignore[hidden-email-recipient]", "log(req)", "# mcpleaks: ignore", "print(env)"],
        "b.js": ["send(x); // mcpleaks: ignore[other-rule]"],
    }
    calls: list[str] = []

    def lines(path: str) -> list[str]:
        calls.append(path)
        return sources[path]

    findings = [
        finding("hidden-email-recipient", "a.py", 1),
        finding("secret-in-prompt", "a.py", 1),
        finding("payload-logging", "a.py", 2),
        finding("payload-logging", "a.py", 4),
        finding("hidden-email-recipient", "b.js", 1),
    ]
    kept, suppressed = apply(findings, lines)
    assert [(f.rule_id, f.path, f.line) for f in kept] == [
        ("secret-in-prompt", "a.py", 1),
        ("payload-logging", "a.py", 2),
        ("hidden-email-recipient", "b.js", 1),
    ]
    assert [(f.rule_id, f.line, f.suppressed) for f in suppressed] == [
        ("hidden-email-recipient", 1, True),
        ("payload-logging", 4, True),
    ]
    assert all(not f.suppressed for f in kept)
    assert calls == ["a.py", "b.js"]
