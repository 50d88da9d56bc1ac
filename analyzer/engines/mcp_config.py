"""MCP client config engine: a position-keeping JSON-with-comments parser (VS Code's
mcp.json allows `//` and `/* */` comments and trailing commas) and the checkers of the
`json` rule package. Nothing is evaluated: strings are only read.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import Iterator, Sequence, Union

from analyzer import secrets
from analyzer.engines import Comments
from analyzer.model import Finding, Location, Note

MAX_NESTING = 200
CONTAINER_KEYS = ("mcpServers", "servers", "context_servers")


@dataclass
class JString:
    value: str
    start: int  # offsets of the token, quotes included
    end: int


@dataclass
class JObject:
    start: int
    end: int = 0
    pairs: list[tuple[JString, "JValue"]] = field(default_factory=list)

    def get(self, key: str) -> "JValue | None":
        for k, v in reversed(self.pairs):
            if k.value == key:
                return v
        return None


@dataclass
class JArray:
    start: int
    end: int = 0
    items: list["JValue"] = field(default_factory=list)


@dataclass
class JOther:  # numbers, true, false, null
    raw: str
    start: int
    end: int


JValue = Union[JString, JObject, JArray, JOther]


class JsoncError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def fail(self, message: str) -> JsoncError:
        return JsoncError(message, self.i)

    def skip(self) -> None:
        s, n = self.s, len(self.s)
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n\ufeff":
                self.i += 1
            elif s.startswith("//", self.i):
                nl = s.find("\n", self.i)
                self.i = n if nl < 0 else nl + 1
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                if end < 0:
                    raise self.fail("unterminated comment")
                self.i = end + 2
            else:
                return

    def value(self, depth: int) -> JValue:
        if depth > MAX_NESTING:
            raise self.fail("nesting too deep")
        self.skip()
        if self.i >= len(self.s):
            raise self.fail("unexpected end of file")
        c = self.s[self.i]
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c == '"':
            return self.string()
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in ",]} \t\r\n/":
            self.i += 1
        raw = self.s[start:self.i]
        if not raw:
            raise self.fail(f"unexpected character {c!r}")
        return JOther(raw, start, self.i)

    def string(self) -> JString:
        start = self.i
        self.i += 1
        s, n = self.s, len(self.s)
        while self.i < n:
            c = s[self.i]
            if c == "\\":
                self.i += 2
            elif c == '"':
                self.i += 1
                try:
                    value = json.loads(s[start:self.i])
                except ValueError:
                    value = s[start + 1:self.i - 1]
                return JString(value, start, self.i)
            elif c == "\n":
                raise self.fail("line break in string")
            else:
                self.i += 1
        raise self.fail("unterminated string")

    def obj(self, depth: int) -> JObject:
        o = JObject(self.i)
        self.i += 1
        while True:
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == "}":
                self.i += 1
                o.end = self.i
                return o
            if self.i >= len(self.s) or self.s[self.i] != '"':
                raise self.fail("expected a key")
            key = self.string()
            self.skip()
            if self.i >= len(self.s) or self.s[self.i] != ":":
                raise self.fail("expected ':'")
            self.i += 1
            o.pairs.append((key, self.value(depth + 1)))
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
            elif self.i < len(self.s) and self.s[self.i] == "}":
                continue
            else:
                raise self.fail("expected ',' or '}'")

    def arr(self, depth: int) -> JArray:
        a = JArray(self.i)
        self.i += 1
        while True:
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == "]":
                self.i += 1
                a.end = self.i
                return a
            a.items.append(self.value(depth + 1))
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
            elif self.i < len(self.s) and self.s[self.i] == "]":
                continue
            else:
                raise self.fail("expected ',' or ']'")


def parse(text: str) -> JValue:
    p = _Parser(text)
    v = p.value(0)
    p.skip()
    if p.i != len(text):
        raise p.fail("unexpected content after the JSON value")
    return v


# ----------------------------------------------------------------------------- context
class ConfigContext:
    """What a config checker sees: the parsed document and its servers."""

    language = "json"

    def __init__(self, path: str, text: str, root: JValue) -> None:
        self.path = path
        self.text = text
        self.root = root
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.lines = text.split("\n")

    def servers(self) -> Iterator[tuple[str, JObject]]:
        """(name, server object) for every server in a known container."""
        roots = [self.root]
        if isinstance(self.root, JObject) and isinstance(self.root.get("mcp"), JObject):
            roots.append(self.root.get("mcp"))  # VS Code settings.json: "mcp": {"servers": ...}
        for r in roots:
            if not isinstance(r, JObject):
                continue
            for key in CONTAINER_KEYS:
                container = r.get(key)
                if isinstance(container, JObject):
                    for name, server in container.pairs:
                        if isinstance(server, JObject):
                            yield name.value, server

    def position(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row + 1, offset - self._line_starts[row] + 1

    def line(self, node: JString) -> int:
        return self.position(node.start)[0]

    def location(self, node: JString, message: str = "") -> Location:
        (l1, c1), (l2, c2) = self.position(node.start), self.position(node.end)
        return Location(self.path, l1, c1, l2, c2, message)

    def finding(self, rule, node: JString, message: str, related: Sequence[Location] = (), fingerprint_key: str = "",
                severity: str | None = None, redact: Sequence = ()) -> Finding:
        loc = self.location(node)
        snippet = "\n".join(self.lines[loc.line - 1: min(loc.end_line, loc.line + 4)])
        if redact:
            snippet = secrets.redact(snippet, list(redact))
        return Finding(rule.id, self.path, loc.line, loc.col, loc.end_line, loc.end_col, message, severity or rule.severity,
                       snippet, tuple(related), fingerprint_key)


def comments(text: str, language: str = "json") -> Comments:
    """The ``//`` and ``/* */`` comments of a JSONC file, read exactly as :class:`_Parser` reads
    them: outside strings (a ``"`` string ends at an unescaped quote; the scan stops where the
    parser would fail). A line comment runs to the next LF (a CR before it is left out). JSON
    strings cannot span lines: no joins."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\n":
                    return Comments(tuple(spans))
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            end = n if nl < 0 else nl
            spans.append((i, end - 1 if end > i + 2 and text[end - 1] == "\r" else end))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                break
            spans.append((i, end + 2))
            i = end + 2
        else:
            i += 1
    return Comments(tuple(spans))


def scan_text(path: str, text: str, language: str, checkers: Sequence) -> tuple[list[Finding], list[Note]]:
    if not any(k in text for k in CONTAINER_KEYS):
        return [], []  # not an MCP client config (package.json, tsconfig.json...)
    try:
        root = parse(text)
    except JsoncError as e:
        ctx = ConfigContext(path, text, JOther("", 0, 0))
        line, col = ctx.position(min(e.offset, len(text)))
        return [], [Note(path, f"could not parse as JSON (line {line}, column {col}): {e}", "warning", "parse-error")]
    ctx = ConfigContext(path, text, root)
    findings: list[Finding] = []
    for checker in checkers:
        findings.extend(checker.check(ctx))
    return findings, []


# ----------------------------------------------------------------------------- plain data for audit
def plain(node: JValue | None) -> object:
    """A parsed value as Python data (strings, lists, dicts; other tokens as their text)."""
    if isinstance(node, JString):
        return node.value
    if isinstance(node, JObject):
        return {k.value: plain(v) for k, v in node.pairs}
    if isinstance(node, JArray):
        return [plain(i) for i in node.items]
    if isinstance(node, JOther):
        return {"true": True, "false": False, "null": None}.get(node.raw, node.raw)
    return None


def server_entries(text: str) -> list[tuple[str, str, dict, int]]:
    """Every MCP server a client config declares, as plain data: ``(scope, name, entry, line)``.
    ``scope`` is ``""`` for the file's own servers, or the project folder of a Claude Code
    ``projects.<folder>.mcpServers`` block. Raises :class:`JsoncError` when the text is not JSONC."""
    root = parse(text)
    ctx = ConfigContext("", text, root)
    out = [("", name, plain(server), ctx.position(server.start)[0]) for name, server in ctx.servers()]
    projects = root.get("projects") if isinstance(root, JObject) else None
    if isinstance(projects, JObject):
        for folder, project in projects.pairs:
            if isinstance(project, JObject):
                sub = ConfigContext("", text, project)
                out += [(folder.value, name, plain(server), sub.position(server.start)[0]) for name, server in sub.servers()]
    return [(scope, name, entry, line) for scope, name, entry, line in out if isinstance(entry, dict)]
