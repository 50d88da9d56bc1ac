"""Gitignore patterns, matched in time polynomial in the pattern and the path.

Ignore files and ``exclude`` settings come from the scanned tree, so they are hostile input:
a regex translation of globs (what ``pathspec`` does) backtracks exponentially on a line
such as ``a*a*a*a*a*a*a*a*a*a*ab``. Here a pattern is a list of path segments, each a list
of single-character tokens and stars; a segment is matched with the two-pointer wildcard
algorithm (at most ``len(segment) * len(name)`` steps) and ``**`` across segments with a
memoised table (at most ``segments * components`` cells).

Git's rules (gitignore(5)): blank lines and ``#`` lines are skipped; trailing spaces are
dropped unless escaped; ``\\`` escapes the next character; ``!`` negates; a trailing ``/``
matches directories only; a pattern with a ``/`` before its end is anchored to its file's
directory, any other matches a name at any depth; ``*`` and ``?`` never match ``/``;
``[...]`` is a class (``!`` or ``^`` negates, ``a-z`` ranges, ``[:alpha:]`` POSIX classes);
``**`` alone between slashes matches any number of directories. The last matching pattern
of a list decides. A pattern that is not valid (an unclosed class, a reversed range) is
reported and left out, as git leaves it out.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 4096

_POSIX = {
    "alpha": str.isalpha, "digit": str.isdigit, "alnum": str.isalnum, "upper": str.isupper, "lower": str.islower,
    "space": str.isspace, "xdigit": lambda c: c in "0123456789abcdefABCDEF", "punct": lambda c: c.isascii() and not c.isalnum() and c.isprintable() and not c.isspace(),
    "blank": lambda c: c in " \t", "cntrl": lambda c: ord(c) < 32 or ord(c) == 127, "print": str.isprintable,
    "graph": lambda c: c.isprintable() and not c.isspace(),
}

_STAR = "*"
_ANY = "?"
_GLOBSTAR = "**"


class InvalidPattern(ValueError):
    pass


@dataclass(frozen=True)
class _Class:
    negate: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    posix: tuple[str, ...]

    def matches(self, c: str) -> bool:
        hit = c in self.chars or any(lo <= c <= hi for lo, hi in self.ranges) or any(_POSIX[p](c) for p in self.posix)
        return hit != self.negate and c != "/"


Token = str | _Class  # a literal character, _ANY, _STAR, or a class
Segment = tuple[Token, ...] | str  # a segment, or _GLOBSTAR


@dataclass(frozen=True)
class Pattern:
    text: str
    negate: bool
    dir_only: bool
    anchored: bool
    segments: tuple[Segment, ...]

    def matches(self, path: str, is_dir: bool) -> bool:
        """``path``: relative to the pattern's base directory, POSIX, no leading or trailing slash."""
        if self.dir_only and not is_dir:
            return False
        parts = path.split("/")
        if not self.anchored:
            return _segment_matches(self.segments[0], parts[-1])  # type: ignore[arg-type]
        return _segments_match(self.segments, parts)


def parse(line: str) -> Pattern | None:
    """The pattern of one ignore-file line; None for blank and comment lines.
    Raises InvalidPattern for a line git would not use."""
    if len(line) > MAX_PATTERN_LENGTH:
        raise InvalidPattern(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    line = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    dir_only = line.endswith("/") and not line.endswith("\\/")
    body = line.rstrip("/") if dir_only else line
    if not body:
        return None
    anchored = "/" in body
    body = body.lstrip("/") if body.startswith("/") else body
    if not body:
        return None
    raw_segments = body.split("/")
    segments: list[Segment] = []
    for raw in raw_segments:
        if raw == "**":
            if segments and segments[-1] == _GLOBSTAR:
                continue
            segments.append(_GLOBSTAR)
        else:
            segments.append(_tokens(raw))
    if not anchored and segments == [_GLOBSTAR]:
        segments = [(_STAR,)]
    return Pattern(line, negate, dir_only, anchored, tuple(segments))


def compile_lines(lines: Iterable[str]) -> tuple[list[Pattern], list[str]]:
    """(patterns, problems): invalid lines are left out and described."""
    patterns: list[Pattern] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        try:
            pattern = parse(line)
        except InvalidPattern as e:
            problems.append(f"line {number}: {e}")
            continue
        if pattern is not None:
            patterns.append(pattern)
    return patterns, problems


class Spec:
    """A list of patterns relative to one directory; the last match decides."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = tuple(patterns)

    def __len__(self) -> int:
        return len(self.patterns)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "Spec":
        """Raises InvalidPattern on the first invalid line (for patterns the user typed)."""
        patterns: list[Pattern] = []
        for line in lines:
            pattern = parse(line)
            if pattern is not None:
                patterns.append(pattern)
        return cls(patterns)

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a negation, None: no pattern matched."""
        for pattern in reversed(self.patterns):
            if pattern.matches(path, is_dir):
                return not pattern.negate
        return None

    def match_path(self, path: str) -> bool:
        """Whether ``path`` (a file) or one of its parent directories is ignored, as git
        would decide walking down to it."""
        parts = path.split("/")
        for i in range(1, len(parts)):
            if self.verdict("/".join(parts[:i]), True):
                return True
        return bool(self.verdict(path, False))


def _strip_trailing_spaces(line: str) -> str:
    end = len(line)
    while end > 0 and line[end - 1] == " ":
        backslashes = 0
        i = end - 2
        while i >= 0 and line[i] == "\\":
            backslashes += 1
            i -= 1
        if backslashes % 2:
            break
        end -= 1
    return line[:end]


def _tokens(raw: str) -> tuple[Token, ...]:
    out: list[Token] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\":
            i += 1
            if i >= len(raw):
                raise InvalidPattern("a trailing backslash escapes nothing")
            out.append(raw[i])
        elif c == "*":
            if not out or out[-1] != _STAR:  # runs of stars are one star within a segment
                out.append(_STAR)
        elif c == "?":
            out.append(_ANY)
        elif c == "[":
            cls, i = _class(raw, i)
            out.append(cls)
            continue
        else:
            out.append(c)
        i += 1
    return tuple(out)


def _class(raw: str, start: int) -> tuple[_Class, int]:
    i = start + 1
    negate = i < len(raw) and raw[i] in "!^"
    if negate:
        i += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    posix: list[str] = []
    first = True
    while i < len(raw):
        c = raw[i]
        if c == "]" and not first:
            return _Class(negate, frozenset(chars), tuple(ranges), tuple(posix)), i + 1
        first = False
        if c == "[" and raw.startswith("[:", i):
            end = raw.find(":]", i + 2)
            name = raw[i + 2:end] if end != -1 else ""
            if end == -1 or name not in _POSIX:
                raise InvalidPattern(f"unknown character class {raw[i:end + 2] if end != -1 else raw[i:]!r}")
            posix.append(name)
            i = end + 2
            continue
        if c == "\\":
            i += 1
            if i >= len(raw):
                break
            c = raw[i]
        if i + 2 < len(raw) and raw[i + 1] == "-" and raw[i + 2] != "]":
            hi = raw[i + 2]
            if hi == "\\" and i + 3 < len(raw):
                hi = raw[i + 3]
                i += 1
            if hi < c:
                raise InvalidPattern(f"reversed range {c}-{hi} in a character class")
            ranges.append((c, hi))
            i += 3
            continue
        chars.add(c)
        i += 1
    raise InvalidPattern("unclosed character class '['")


def _segment_matches(tokens: tuple[Token, ...], name: str) -> bool:
    """Wildcard match of one path component: two pointers, one backtrack point (the last
    star); at most len(tokens) * len(name) steps."""
    t = n = 0
    star_t = -1
    star_n = 0
    while n < len(name):
        if t < len(tokens) and tokens[t] is not _STAR and _one(tokens[t], name[n]):
            t += 1
            n += 1
        elif t < len(tokens) and tokens[t] is _STAR:
            star_t, star_n = t, n
            t += 1
        elif star_t != -1:
            star_n += 1
            t, n = star_t + 1, star_n
        else:
            return False
    while t < len(tokens) and tokens[t] is _STAR:
        t += 1
    return t == len(tokens)


def _one(token: Token, c: str) -> bool:
    if token is _ANY:
        return c != "/"
    if isinstance(token, _Class):
        return token.matches(c)
    return token == c


def _segments_match(segments: tuple[Segment, ...], parts: list[str]) -> bool:
    """Anchored match of pattern segments against path components (``**`` spans any number)."""
    memo: dict[tuple[int, int], bool] = {}
    # Iterative over a table, last cells first, so no recursion depth depends on input.
    n_seg, n_part = len(segments), len(parts)
    for s in range(n_seg, -1, -1):
        for p in range(n_part, -1, -1):
            if s == n_seg:
                ok = p == n_part
            elif segments[s] == _GLOBSTAR:
                # ``**`` at the end needs something under it (``a/**`` is not ``a``)
                if s == n_seg - 1:
                    ok = p < n_part
                else:
                    ok = memo[(s + 1, p)] or (p < n_part and memo[(s, p + 1)])
            else:
                ok = p < n_part and memo[(s + 1, p + 1)] and _segment_matches(segments[s], parts[p])  # type: ignore[arg-type]
            memo[(s, p)] = ok
    return memo[(0, 0)]
