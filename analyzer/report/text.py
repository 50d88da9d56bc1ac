"""Human output, in the style of ruff: a header per finding, a code frame, notes, a summary.

Suppressed findings are counted in the summary; with ``show_suppressed`` (``scan
--show-suppressed``) they are listed too, after the findings, each with what suppresses it.
The summary names the configuration file that applied, if any.

The scanned code may be hostile, so control characters, lone surrogates and bidirectional
overrides are shown escaped (``\\x1b``, ``\\u202e``) instead of reaching the terminal raw.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path

from analyzer.model import Finding, Location, Note, Rule, ScanResult

MAX_FRAME_LINES = 5
_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_RESET = "\x1b[0m"
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_NOTE_ORDER = attrgetter("path", "kind", "message")


def render(result: ScanResult, rules: Sequence[Rule], root: Path, *, color: bool = False,
           show_suppressed: bool = False, **_: object) -> str:
    blocks = [_finding_block(finding, color) for finding in result.findings]
    if show_suppressed and result.suppressed:
        blocks.append(f"Suppressed ({len(result.suppressed)}):")
        blocks += [_finding_block(finding, color) for finding in result.suppressed]
    if result.notes:
        blocks.append("\n".join(_note_line(note) for note in sorted(result.notes, key=_NOTE_ORDER)))
    blocks.append(_summary(result))
    return "\n\n".join(blocks) + "\n"


def _finding_block(finding: Finding, color: bool) -> str:
    rule_id = _clean(finding.rule_id)
    if color:
        rule_id = f"{_COLORS.get(finding.severity, '')}{rule_id}{_RESET}"
    header = f"{_position(finding)}: {rule_id} {_clean(finding.message)}"
    lines = [header, *_code_frame(finding)]
    lines += [_related_line(loc) for loc in finding.related]
    if finding.flow:  # the data flow, numbered: source first, sink last
        lines.append("  = flow:")
        lines += [f"    {i}. {_position(loc)}" + (f": {_clean(loc.message)}" if loc.message else "") for i, loc in enumerate(finding.flow, 1)]
    if finding.engines:  # recorded when more than one engine ran (scan --semgrep)
        lines.append(f"  = found by: {', '.join(_clean(e) for e in finding.engines)}")
    if finding.suppressed:
        lines.append(f"  = suppressed: {_suppression(finding)}")
    return "\n".join(lines)


def _suppression(finding: Finding) -> str:
    how = finding.suppression
    if how is None:
        return "yes"
    if how.kind == "inSource":
        where = f" (line {how.line})" if how.line else ""
        return f"by the comment{where}: {_clean(how.justification)}"
    return _clean(how.justification) or "by the baseline"


def _related_line(loc: Location) -> str:
    message = f": {_clean(loc.message)}" if loc.message else ""
    return f"  = related: {_position(loc)}{message}"


def _position(at: Finding | Location) -> str:
    return f"{_clean(at.path)}:{at.line}:{at.col}"


def _code_frame(finding: Finding) -> list[str]:
    """The snippet under a line-number gutter, the region underlined on its first line."""
    if not finding.snippet.strip():
        return []
    source = _NEWLINE.split(finding.snippet.rstrip("\r\n"))
    shown = source[:MAX_FRAME_LINES]
    width = len(str(finding.line + len(shown) - 1))
    blank = " " * width + " |"
    frame = [blank]
    for number, text in enumerate(shown, start=finding.line):
        frame.append(f"{number:>{width}} | {_clean(text)}".rstrip())
        if number == finding.line:
            frame.append(f"{blank} {_underline(text, finding)}")
    if len(source) > len(shown):
        frame.append(f"{blank} ...")
    frame.append(blank)
    return frame


def _underline(text: str, finding: Finding) -> str:
    """Carets under the region's part of ``text`` (its first line), clipped to the line."""
    start = min(max(finding.col - 1, 0), len(text))
    end = len(text) if finding.end_line > finding.line else finding.end_col - 1
    end = min(max(end, start), len(text))
    indent = "".join("\t" if ch == "\t" else " " * _width(_visible(ch)) for ch in text[:start])
    return indent + "^" * max(1, _width(_clean(text[start:end])))


def _note_line(note: Note) -> str:
    where = f"{_clean(note.path)}: " if note.path else ""
    return f"{where}{note.level}: {_clean(note.message)}"


def _summary(result: ScanResult) -> str:
    config = f"\nConfiguration: {_clean(result.config)}" if result.config else ""
    tests = ""
    if result.test_code_findings:
        tests = (f"\n{_plural(result.test_code_findings, 'finding')} in test code and developer scripts not reported "
                 "(`--include-tests` reports them).")
    return _counts(result) + tests + config


def _counts(result: ScanResult) -> str:
    files = _plural(result.files_scanned, "file")
    suppressed = f" ({len(result.suppressed)} suppressed)" if result.suppressed else ""
    if not result.findings:
        return f"No findings in {files}{suppressed}."
    by_severity = Counter(finding.severity for finding in result.findings)
    counts = [_plural(by_severity["error"], "error"), _plural(by_severity["warning"], "warning")]
    if by_severity["note"]:
        counts.append(_plural(by_severity["note"], "note"))
    found = _plural(len(result.findings), "finding")
    return f"Found {found} ({', '.join(counts)}) in {files}{suppressed}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _visible(ch: str) -> str:
    """``ch`` as printed: control characters, surrogates and bidi controls escaped."""
    if ch != "\t" and (ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")):
        return ascii(ch)[1:-1]
    return ch


def _clean(text: str) -> str:
    return "".join(_visible(ch) for ch in text)


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East Asian characters take two, marks none."""
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
