"""Inline suppressions.

``# mcpleaks: ignore[rule-id, other-id]`` (Python), ``// mcpleaks: ignore[rule-id]`` or
``/* mcpleaks: ignore[rule-id] */`` (JavaScript/TypeScript); without brackets, every rule.
A comment applies to findings that start on its line, or on the next line when the
comment stands alone on its line. The keyword is case-insensitive.

The comment must follow its marker (``#``, ``//``, ``/*``) with only spaces between, and
the marker must sit outside the string literals of its line as far as a one-line scan of
quotes can tell: multi-line strings and regex literals are not tracked.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

from .model import Finding

ALL = frozenset({"*"})  # a bare ``mcpleaks: ignore``

_DIRECTIVE = re.compile(
    r"(?:\#|//|/\*)[ \t]*mcpleaks[ \t]*:[ \t]*ignore(?![\w-])(?:[ \t]*\[(?P<ids>[^\]]*)\])?",
    re.IGNORECASE,
)
_QUOTES = "'\"`"


def suppressed_ids(lines: Sequence[str], line: int) -> frozenset[str] | None:
    """Rule ids suppressed on 1-based ``line``: ``ALL`` for a bare ignore, None for none."""
    found = [ids for ids in (_trailing(lines, line), _standalone(lines, line - 1)) if ids is not None]
    if not found:
        return None
    if any("*" in ids for ids in found):
        return ALL
    return frozenset().union(*found)


def apply(
    findings: list[Finding], source_lines_by_path: Callable[[str], Sequence[str]]
) -> tuple[list[Finding], list[Finding]]:
    """Split ``findings`` into (kept, suppressed); suppressed ones are marked ``suppressed=True``.
    ``source_lines_by_path`` is called once per path."""
    cache: dict[str, Sequence[str]] = {}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if finding.path not in cache:
            cache[finding.path] = source_lines_by_path(finding.path)
        ids = suppressed_ids(cache[finding.path], finding.line)
        if ids is not None and ("*" in ids or finding.rule_id.lower() in ids):
            suppressed.append(dataclasses.replace(finding, suppressed=True))
        else:
            kept.append(finding)
    return kept, suppressed


def _trailing(lines: Sequence[str], line: int) -> frozenset[str] | None:
    """The suppression in a comment anywhere on ``line``."""
    text = _line(lines, line)
    start = _comment_start(text)
    match = None if start is None else _DIRECTIVE.search(text, start)
    return None if match is None else _ids(match)


def _standalone(lines: Sequence[str], line: int) -> frozenset[str] | None:
    """The suppression on ``line`` when the line holds nothing but comments."""
    text = _line(lines, line)
    start = len(text) - len(text.lstrip())
    if not text.startswith(("#", "//", "/*"), start):
        return None
    match = _DIRECTIVE.search(text, start)
    if match is None or _code_after_block_comment(text, match):
        return None
    return _ids(match)


def _code_after_block_comment(text: str, match: re.Match[str]) -> bool:
    if not match[0].startswith("/*"):
        return False
    end = text.find("*/", match.end())
    return end != -1 and bool(text[end + 2 :].strip())


def _line(lines: Sequence[str], line: int) -> str:
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def _ids(match: re.Match[str]) -> frozenset[str] | None:
    if match["ids"] is None:
        return ALL
    ids = frozenset(i.strip().lower() for i in match["ids"].split(",") if i.strip())
    return ids or None


def _comment_start(text: str) -> int | None:
    """Index of the first comment marker outside quotes, None when there is none."""
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in _QUOTES:
            quote = char
        elif char == "#" or text.startswith(("//", "/*"), i):
            return i
        i += 1
    return None
