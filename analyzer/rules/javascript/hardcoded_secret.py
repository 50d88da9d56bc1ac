"""hardcoded-secret, JavaScript/TypeScript half: literals, and the names they are stored under."""
from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

from analyzer.engines.javascript_ts import JsContext, _fragment, chain, key_name, last_name, text, unwrap
from analyzer.model import Finding
from analyzer.rules import Checker
from analyzer.rules.hardcoded_secret import HardcodedSecret, secret_findings
from analyzer.secrets import public_client_config

ENV_OBJECTS = ("process.env", "import.meta.env", "Bun.env")


def literal_text(node: Node | None) -> str | None:
    """Text of a literal expression: strings, template literals (substitutions are holes),
    `+` of literals. Names are not followed: a constant is reported where it is written."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(_fragment(c) for c in node.named_children)
    if node.type == "template_string":
        return "".join("\0" if c.type == "template_substitution" else _fragment(c) for c in node.named_children)
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        left = literal_text(node.child_by_field_name("left"))
        right = literal_text(node.child_by_field_name("right"))
        return left + right if left is not None and right is not None else None
    return None


def _top_literal(node: Node) -> Node:
    """The outermost `+` chain of literals this string is part of."""
    while node.parent is not None and node.parent.type in ("binary_expression", "parenthesized_expression") \
            and literal_text(node.parent) is not None:
        node = node.parent
    return node


def storage_name(value: Node) -> str:
    """The name a value is stored under: variable, property, assignment target, parameter
    default, env default (`process.env.X ?? "..."`), header (`headers.set("X", "...")`),
    client constructor (`new ServerClient("...")`)."""
    parent = value.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        value, parent = parent, parent.parent
    if parent is None:
        return ""
    t = parent.type
    if t == "pair":
        v = parent.child_by_field_name("value")
        if v is None or v.id != value.id:
            return ""  # the string is the key itself (a MIME type, a dotted name), not a value stored under it
        return key_name(parent.child_by_field_name("key")) or ""
    if t == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    if t in ("assignment_expression", "augmented_assignment_expression"):
        return last_name(parent.child_by_field_name("left"))
    if t in ("assignment_pattern", "object_assignment_pattern"):
        return text(parent.child_by_field_name("left"))
    if t in ("required_parameter", "optional_parameter"):
        return text(parent.child_by_field_name("pattern"))
    if t in ("public_field_definition", "field_definition"):
        return text(parent.child_by_field_name("name") or parent.child_by_field_name("property"))
    if t == "binary_expression" and text(parent.child_by_field_name("operator")) in ("??", "||"):
        left = parent.child_by_field_name("left")
        if chain(unwrap(left).child_by_field_name("object") if unwrap(left) is not None and unwrap(left).type == "member_expression" else None) in ENV_OBJECTS:
            return last_name(left)
        return storage_name(parent)
    if t == "arguments":
        args = [a for a in parent.named_children if a.type != "comment"]
        call = parent.parent
        if len(args) >= 2 and args[1].id == value.id and literal_text(args[0]) is not None:
            return literal_text(args[0]) or ""  # headers.set("Authorization", "..."), setHeader(...)
        if call is not None and call.type == "new_expression":
            ctor = text(call.child_by_field_name("constructor")).split(".")[-1]
            if ctor.endswith("Client") and args and args[0].id == value.id:
                return f"{ctor} token"  # new ServerClient("<token>"): an API client's credential

    return ""


class HardcodedSecretJs(Checker):
    rule_id = HardcodedSecret.id

    def check(self, ctx: JsContext) -> Iterator[Finding]:
        yield from secret_findings(ctx, self._candidates(ctx))

    @staticmethod
    def _candidates(ctx: JsContext) -> Iterator[tuple[Node, str, str]]:
        done: set[int] = set()
        for node in ctx.ix.strings:
            top = _top_literal(node)
            if top.id in done:
                continue
            done.add(top.id)
            value = literal_text(top)
            if value is not None:
                name = storage_name(top)
                if name and public_client_config(name, _sibling_keys(top)):
                    continue  # a search-only or web-app key, public by design
                yield top, value, name


def _sibling_keys(value: Node) -> list[str]:
    """The other keys of the object literal a value is stored in."""
    pair = value.parent
    while pair is not None and pair.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        pair = pair.parent
    if pair is None or pair.type != "pair" or pair.parent is None or pair.parent.type != "object":
        return []
    out = []
    for child in pair.parent.named_children:
        if child.type == "pair" and child.id != pair.id:
            out.append(key_name(child.child_by_field_name("key")) or "")
        elif child.type == "shorthand_property_identifier":
            out.append(text(child))
    return out
