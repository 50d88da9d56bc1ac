"""GitHub's primaryLocationLineHash, checked against the vectors GitHub publishes.

Vectors: github/codeql-action, ``src/fingerprints.test.ts`` (the ``hash`` test) and the
end-to-end fixtures ``src/testdata/testFile1.js``, ``testFile2.js`` with
``src/testdata/fingerprinting.expected.sarif``.
"""
from __future__ import annotations

import re

import pytest

from analyzer.report.fingerprints import iter_line_hashes, line_hashes

EMPTY_LINE = "c129715d7a2bc9a3:1"
HELLO_WITH_FINAL_NEWLINE = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    EMPTY_LINE,
]

GITHUB_VECTORS = [
    ("", [EMPTY_LINE]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", HELLO_WITH_FINAL_NEWLINE),
    (" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", HELLO_WITH_FINAL_NEWLINE),
    (" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", HELLO_WITH_FINAL_NEWLINE),
    (" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", HELLO_WITH_FINAL_NEWLINE),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            EMPTY_LINE,
        ],
    ),
    (
        "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
        [
            "e54938cc54b302f1:1",
            "bb609acbe9138d60:1",
            "1131fd5871777f34:1",
            "5c482a0f8b35ea28:1",
            "54517377da7028d2:1",
            "2c644846cb18d53e:1",
            "f1b89f20de0d133:1",
            EMPTY_LINE,
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GITHUB_VECTORS)
def test_matches_github_vectors(text: str, expected: list[str]) -> None:
    hashes = list(iter_line_hashes(text))
    assert hashes == list(enumerate(expected, start=1))
    # As in GitHub's test: one hash per line, lines split on CRLF, CR or LF.
    assert len(hashes) == len(re.split(r"\r\n|\r|\n", text))


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("var a = 0;\nvar b = 0;\nvar c = 0;\nvar d = 0;\n", 1, "5e4d5a9cf1294ad9:1"),
        ("var foo = 0;\nvar bar = 0;\nvar baz = 0;\nvar qux = 0;\n", 2, "f7592a95a9381ac0:1"),
    ],
)
def test_matches_github_end_to_end_fixtures(text: str, line: int, expected: str) -> None:
    assert line_hashes(text, {line}) == {line: expected}


def test_selected_lines_agree_with_the_full_map() -> None:
    text = "".join(f"line {n % 3}\n" for n in range(300))
    full = line_hashes(text)
    assert len(full) == 301
    assert line_hashes(text, {2, 5, 250}) == {n: full[n] for n in (2, 5, 250)}
    assert line_hashes(text, set()) == {}


def test_repeated_windows_are_numbered_by_occurrence() -> None:
    hashes = line_hashes("same\n" * 30)
    assert hashes[1].endswith(":1") and hashes[2].endswith(":2")
    assert hashes[1].split(":")[0] == hashes[2].split(":")[0]


def test_hashes_utf16_code_units_as_javascript_does() -> None:
    # An astral character is two UTF-16 units in JavaScript's charCodeAt; hashing the text must
    # equal hashing its surrogate pair, and differ from a one-unit character.
    astral = "key = '\U0001F600'\nnext\n"
    pair = "key = '\ud83d\ude00'\nnext\n"
    assert line_hashes(astral) == line_hashes(pair)
    assert line_hashes(astral)[1] != line_hashes("key = '\u00e9'\nnext\n")[1]


def test_only_spaces_and_tabs_are_ignored() -> None:
    assert line_hashes("a = 1\n") == line_hashes("\t a  =\t1\n")
    assert line_hashes("a = 1\n") != line_hashes("a = 1;\n")
