"""Language-neutral provenance values.

Each engine evaluates an expression to a tuple of :class:`Atom` (the pieces a value is
made of, in order) without running anything. An atom says where its piece comes from:

- ``const``: chosen by the code's author (a literal, or decoded/assembled from literals);
  ``value`` holds the text (or an int, for char codes) and ``how`` says how it was
  obfuscated ("" for a plain literal).
- ``param``: a function parameter, i.e. the caller's choice (a tool argument).
- ``env`` / ``config``: the operator's configuration.
- ``remote``: fetched at run time from a URL the author hard-coded (``value`` = the URL).
- ``unknown``: anything else (a database row, an unresolved call).

The decoders here work on constant text only, with size limits: hostile code can hand us
huge literals or pathological encodings.
"""
from __future__ import annotations

import base64
import binascii
import codecs
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

CONST, PARAM, ENV, CONFIG, REMOTE, UNKNOWN = "const", "param", "env", "config", "remote", "unknown"


class BudgetExceeded(Exception):
    """One rule's analysis of one file used up its step budget (hostile or pathological code)."""


class WallClockExceeded(BudgetExceeded):
    """The wall-clock safety net: the step budget should always end the analysis first."""


# The budget counts evaluation steps, not seconds, so the same input gives the same findings
# on any machine, under any load and at any -j. Every rule gets its own budget on each file.
# The largest count seen on real code (npm's 1,146 files, requests, pygls, pre-commit and the
# corpus: `benchmarks/budget_steps.py`) is 387; a step costs 10-30 us in the worst case seen.
RULE_STEPS = 100_000
# Last resort only, with a note of its own: a step that is unexpectedly slow.
SAFETY_SECONDS = 60.0
_budget = {"deadline": 0.0, "steps": 0, "limit": RULE_STEPS}


def start_budget(steps: int | None = None, seconds: float | None = None) -> None:
    _budget["deadline"] = time.monotonic() + (SAFETY_SECONDS if seconds is None else seconds)
    _budget["steps"] = 0
    _budget["limit"] = RULE_STEPS if steps is None else steps


def steps_used() -> int:
    return int(_budget["steps"])


def tick() -> None:
    """Called on every evaluation step; the clock is looked at every 4,096 steps."""
    _budget["steps"] += 1
    steps = _budget["steps"]
    if steps > _budget["limit"]:
        raise BudgetExceeded
    if not steps & 4095 and _budget["deadline"] and time.monotonic() > _budget["deadline"]:
        raise WallClockExceeded


OPERATOR_KINDS = frozenset({ENV, CONFIG})
MAX_TEXT = 4096  # longer constants are not folded further
MAX_ATOMS = 64


@dataclass(frozen=True)
class Atom:
    kind: str
    value: str | int | None = None
    how: str = ""  # obfuscation: "base64-decoded", "char codes", "reversed", ...
    detail: str = ""  # e.g. the env var or parameter name
    # Engine-local handles (parser nodes never leave their engine's family): where the
    # piece is written, and the list mutation (push/append) that attached it, if any.
    node: Any = field(default=None, compare=False, repr=False)
    attach: Any = field(default=None, compare=False, repr=False)

    @property
    def is_const_text(self) -> bool:
        return self.kind == CONST and isinstance(self.value, str)


Value = tuple[Atom, ...]
UNKNOWN_VALUE: Value = (Atom(UNKNOWN),)


def const(value: str | int, node: Any = None, how: str = "") -> Value:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return UNKNOWN_VALUE
    return (Atom(CONST, value, how, node=node),)


def union(*values: Iterable[Atom]) -> Value:
    out: list[Atom] = []
    for v in values:
        for a in v:
            if len(out) >= MAX_ATOMS:
                return tuple(out)
            out.append(a)
    return tuple(out)


def single_text(v: Value) -> Atom | None:
    """The value as one constant string, if it is exactly that."""
    if len(v) == 1 and v[0].is_const_text:
        return v[0]
    return None


def const_seq(v: Value) -> list[Atom] | None:
    """All atoms constant (text or int): the ordered pieces, else None."""
    if v and all(a.kind == CONST for a in v):
        return list(v)
    return None


def merge_how(*hows: str) -> str:
    seen: list[str] = []
    for h in hows:
        for part in h.split(", "):
            if part and part not in seen:
                seen.append(part)
    return ", ".join(seen)


def concat(parts: Sequence[Value], node: Any = None, how: str = "") -> Value:
    """String building (+, f-strings, template literals): fold when every piece is a
    constant, otherwise keep the pieces (a constant beside a dynamic value stays visible)."""
    texts: list[str] = []
    hows: list[str] = [how]
    for p in parts:
        a = single_text(p)
        if a is None:
            if len(p) == 1 and p[0].kind == CONST and isinstance(p[0].value, int):
                texts.append(str(p[0].value))
                continue
            return union(*parts)
        texts.append(str(a.value))
        hows.append(a.how)
    first = next((a.node for p in parts for a in p if a.node is not None), node)
    if sum(1 for t in texts if t) > 1:
        hows.append("assembled from pieces")
    return const("".join(texts), first, merge_how(*hows))


def alternatives(options: Sequence[Value]) -> Value:
    """``a || b``, ``a ?? b``, ``x if c else y``: any option may be the value. A constant
    that is only the fallback of a configuration read is the operator's default, not
    the author's hidden choice, so it is dropped."""
    if any(a.kind in OPERATOR_KINDS for v in options for a in v):
        return union(*[[a for a in v if a.kind != CONST] for v in options])
    return union(*options)


def with_how(v: Value, how: str) -> Value:
    return tuple(replace(a, how=merge_how(a.how, how)) if a.kind == CONST else a for a in v)


RUNTIME_KINDS = frozenset({PARAM, ENV, CONFIG, REMOTE})


def qualify(dotted_name: str, imports: dict[str, str]) -> str:
    """``a.b.c`` with ``a`` replaced by what it was imported as (``E.get`` -> ``os.environ.get``)."""
    if not dotted_name:
        return ""
    head, _, rest = dotted_name.partition(".")
    origin = imports.get(head)
    if origin:
        return f"{origin}.{rest}" if rest else origin
    return dotted_name


def derived(base: Value, detail: str) -> Value:
    """An attribute, item or method result of a value: its run-time origins carry over;
    constants do not (an attribute of a string is not a recipient)."""
    kinds = [a for a in base if a.kind in RUNTIME_KINDS]
    if kinds:
        return tuple(Atom(a.kind, a.value if a.kind == REMOTE else None, detail=detail or a.detail, node=a.node) for a in kinds[:4])
    return (Atom(UNKNOWN, detail=detail),)


def attached_if_unset(v: Value, attach: Any) -> Value:
    """Pieces added by list/string concatenation with a run-time value: report where the
    concatenation happens, unless a mutation already says where they were added."""
    return tuple(a if a.attach is not None else replace(a, attach=attach) for a in v)


def attached(v: Value, attach: Any) -> Value:
    """Mark pieces added to a list by a mutation (push/append/extend) at ``attach``."""
    return tuple(replace(a, attach=attach) for a in v)


def _printable(text: str) -> bool:
    return bool(text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _bytes_text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if _printable(text) else None


def decode_base64(text: str, urlsafe: bool = False) -> str | None:
    if len(text) > MAX_TEXT:
        return None
    t = text.strip()
    t += "=" * (-len(t) % 4)
    try:
        data = base64.urlsafe_b64decode(t) if urlsafe else base64.b64decode(t, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _bytes_text(data)


def decode_base32(text: str) -> str | None:
    try:
        return _bytes_text(base64.b32decode(text.strip().upper() + "=" * (-len(text.strip()) % 8)))
    except (binascii.Error, ValueError):
        return None


def decode_hex(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return None
    try:
        return _bytes_text(bytes.fromhex(text))
    except ValueError:
        return None


def decode_rot13(text: str) -> str:
    return codecs.decode(text, "rot13")


def from_char_codes(codes: Sequence[int]) -> str | None:
    try:
        text = "".join(chr(c) for c in codes)
    except (ValueError, OverflowError, TypeError):
        return None
    return text if _printable(text) else None


def decode_uri(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


_FORMAT_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*|\d*)\}")


def format_text(template: str, args: Sequence[str], kwargs: dict[str, str]) -> str | None:
    """``"{}@{}".format(a, b)`` with plain fields only (format specs could be abused)."""
    if "{{" in template or "}}" in template:
        return None
    auto = iter(args)
    out: list[str] = []
    pos = 0
    for m in _FORMAT_FIELD.finditer(template):
        out.append(template[pos:m.start()])
        key = m.group(1)
        try:
            if key == "":
                out.append(next(auto))
            elif key.isdigit():
                out.append(args[int(key)])
            else:
                out.append(kwargs[key])
        except (StopIteration, IndexError, KeyError):
            return None
        pos = m.end()
    rest = template[pos:]
    if "{" in rest or "}" in rest:
        return None
    out.append(rest)
    return "".join(out)


def percent_format(template: str, args: Sequence[str]) -> str | None:
    """``"%s@%s" % (a, b)`` with ``%s`` only."""
    pieces = template.split("%s")
    if len(pieces) - 1 != len(args) or any("%" in p.replace("%%", "") for p in pieces):
        return None
    out = pieces[0]
    for arg, piece in zip(args, pieces[1:]):
        out += arg + piece
    return out.replace("%%", "%")
