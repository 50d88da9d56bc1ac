"""Inline suppressions.

``# mcpleaks: ignore[rule-id, other-id]`` (Python), ``// mcpleaks: ignore[rule-id]`` or
``/* mcpleaks: ignore[rule-id] */`` (JavaScript/TypeScript, JSONC MCP configs); without
brackets, every rule. The keyword is case-insensitive.

Only real comments count: the comments the language's own lexer finds (Python's
``tokenize`` COMMENT tokens, tree-sitter's ``comment`` nodes, the JSONC parser's comments;
see ``analyzer.engines.comments``). The same words inside a string, a triple-quoted string,
an f-string's text, a regex literal, a template literal or JSX text suppress nothing. In the
comment, the directive follows a comment marker (``#``, ``//``, ``/*``) with only spaces
between, so ``# noqa: E501  # mcpleaks: ignore[x]`` works and ``# see mcpleaks: ignore`` does
not. Lines are counted as GitHub and libcst count them (CRLF, CR, LF): a U+2028 or U+2029,
a line terminator for JavaScript, is not a line break here.

A directive comment applies

- to findings that start on its line, when the comment lies on one line and nothing but
  whitespace follows it up to the line break (a trailing comment). ``/* mcpleaks: ignore */
  evil()`` suppresses nothing: code follows the comment; nor does ``// mcpleaks: ignore``
  ended by a U+2028 with code after it on the same line;
- to findings that start on the next line, when the comment stands alone: only whitespace
  before it on its first line and after it on its last line. When that next line is joined
  to the following ones (it ends inside the text of a multi-line string, template literal or
  f-string, or, in Python, with a backslash continuation), the comment covers every line of
  the join, so a comment above a statement whose multi-line literal holds the finding
  suppresses it. A join never runs through code: a line break inside a template's ``${...}``
  or an f-string's ``{...}`` field ends the join. Nothing else widens a comment's reach (not
  brackets, not a function body: a comment above ``server.tool(...)`` covers its first line
  only).

Suppressed findings are not dropped: they carry a :class:`~analyzer.model.Suppression`
(``inSource``, the comment's text masked as justification) and reach the JSON and SARIF
reports (and the text report with ``--show-suppressed``). ``mcpleaks scan --disable-ignores``
applies none of this (see :func:`apply`).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from analyzer import secrets
from analyzer.engines import comments as lex_comments
from analyzer.model import Finding, Suppression

ALL = frozenset({"*"})  # a bare ``mcpleaks: ignore``
MAX_JUSTIFICATION = 300  # characters of the comment kept as the justification

_DIRECTIVE = re.compile(
    r"(?:\#|//|/\*)[ \t]*mcpleaks[ \t]*:[ \t]*ignore(?![\w-])(?:[ \t]*\[(?P<ids>[^\]]*)\])?",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_KEYWORD = re.compile(r"mcpleaks", re.IGNORECASE)  # the directive's flags: no match here, no directive


@dataclass(frozen=True)
class Directive:
    """One ``mcpleaks: ignore`` comment and the lines it covers (1-based, inclusive)."""

    ids: frozenset[str]  # lower-case rule ids, or ``ALL``
    comment: str  # the comment's text, whitespace-normalized, masked and shortened
    line: int  # the comment's first line
    first: int  # first line covered
    last: int  # last line covered
    bracket: tuple[int, int] | None  # (1-based line, 0-based column) of the ``]`` of its id list

    def covers(self, line: int) -> bool:
        return self.first <= line <= self.last

    def applies_to(self, finding: Finding) -> bool:
        return self.covers(finding.line) and ("*" in self.ids or finding.rule_id.lower() in self.ids)


class Lines:
    """Offsets of the lines of a text, counted as GitHub counts them (CRLF, CR, LF)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []  # where each line's content ends (its break starts)
        for m in _LINE_BREAK.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def line_of(self, offset: int) -> int:
        """1-based line of ``offset`` (a line break belongs to the line it ends)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def joined(self, joins: Sequence[tuple[int, int]]) -> set[int]:
        """Lines whose line break lies inside one of ``joins``."""
        out: set[int] = set()
        for start, end in joins:
            line = self.line_of(start)
            while line < len(self.starts) and self.ends[line - 1] < end:
                if self.ends[line - 1] >= start:
                    out.add(line)
                line += 1
        return out


def directives(text: str, language: str) -> list[Directive]:
    """The ``mcpleaks: ignore`` directives in the real comments of ``text``."""
    if not _KEYWORD.search(text):
        return []  # the common case: no file to lex
    lexed = lex_comments(text, language)
    if not lexed.spans:
        return []
    lines = Lines(text)
    joined: set[int] | None = None
    found: list[Directive] = []
    for start, end in lexed.spans:
        body = text[start:end]
        match = _DIRECTIVE.search(body)
        if match is None:
            continue
        ids = _ids(match)
        if ids is None:
            continue
        first_line, last_line = lines.line_of(start), lines.line_of(max(end - 1, start))
        if text[end:lines.ends[last_line - 1]].strip():
            continue  # code (or anything but whitespace) follows the comment on its line
        standalone = not text[lines.starts[first_line - 1]:start].strip()
        bracket = None
        if match["ids"] is not None:
            close = start + match.end() - 1
            line = lines.line_of(close)
            bracket = (line, close - lines.starts[line - 1])
        comment = _justification(body)
        if standalone:
            if joined is None:
                joined = lines.joined(lexed.joins)
            cover = last_line + 1
            last = cover
            while last in joined:
                last += 1
            found.append(Directive(ids, comment, first_line, cover, last, bracket))
        elif first_line == last_line:
            found.append(Directive(ids, comment, first_line, first_line, first_line, bracket))
    return found


def joined_lines(text: str, language: str) -> set[int]:
    """Lines (1-based) joined to the next one: they end inside a multi-line literal's text or,
    in Python, with a backslash continuation."""
    return Lines(text).joined(lex_comments(text, language).joins)


def suppressed_ids(text: str, language: str, line: int) -> frozenset[str] | None:
    """Rule ids suppressed on 1-based ``line``: ``ALL`` for a bare ignore, None for none."""
    found = [d.ids for d in directives(text, language) if d.covers(line)]
    if not found:
        return None
    if any("*" in ids for ids in found):
        return ALL
    return frozenset().union(*found)


def apply(
    findings: list[Finding], source_by_path: Callable[[str], tuple[str, str]], *, enabled: bool = True
) -> tuple[list[Finding], list[Finding]]:
    """Split ``findings`` into (kept, suppressed); suppressed ones are marked ``suppressed=True``
    and carry their :class:`Suppression`. ``source_by_path`` gives a path's (text, language)
    and is called once per path that has findings. With ``enabled`` false (``scan
    --disable-ignores``) nothing is suppressed and no comment is read."""
    if not enabled:
        return list(findings), []
    cache: dict[str, list[Directive]] = {}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if finding.path not in cache:
            cache[finding.path] = directives(*source_by_path(finding.path))
        directive = next((d for d in cache[finding.path] if d.applies_to(finding)), None)
        if directive is None:
            kept.append(finding)
        else:
            suppression = Suppression("inSource", directive.comment, directive.line)
            suppressed.append(dataclasses.replace(finding, suppressed=True, suppression=suppression))
    return kept, suppressed


def _ids(match: re.Match[str]) -> frozenset[str] | None:
    if match["ids"] is None:
        return ALL
    ids = frozenset(i.strip().lower() for i in match["ids"].split(",") if i.strip())
    return ids or None


def _justification(comment: str) -> str:
    """The comment as a justification: one line, secrets masked, at most ``MAX_JUSTIFICATION``
    characters (a hostile comment may be long)."""
    text = " ".join(comment[:MAX_JUSTIFICATION * 8].split())
    hidden = [*secrets.find_secrets(text), *secrets.random_runs(text)]
    if hidden:
        text = secrets.redact(text, hidden)
    return text if len(text) <= MAX_JUSTIFICATION else text[:MAX_JUSTIFICATION - 1] + "…"
