"""hardcoded-secret, Python half: literals, and the names they are stored under."""
from __future__ import annotations

from typing import Iterator

import libcst as cst

from analyzer.engines.python_cst import PyContext, iter_nodes, string_key
from analyzer.model import Finding
from analyzer.rules import Checker
from analyzer.rules.hardcoded_secret import HardcodedSecret, secret_findings
from analyzer.secrets import public_client_config


def literal_text(node: cst.CSTNode) -> str | None:
    """The text of a literal expression (pieces concatenated, f-string text parts), without
    following names: a constant is reported where it is written, once."""
    if isinstance(node, cst.SimpleString):
        try:
            v = node.evaluated_value
        except Exception:
            return None
        return v if isinstance(v, str) else v.decode("latin-1")
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_text(node.left), literal_text(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left, right = literal_text(node.left), literal_text(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.FormattedString):
        parts = []
        for p in node.parts:
            if isinstance(p, cst.FormattedStringText):
                parts.append(p.value)
            else:
                inner = literal_text(p.expression)
                parts.append(inner if inner is not None else "\0")  # a hole: pieces stay apart
        return "".join(parts)
    return None


def _sibling_keys(ctx: PyContext) -> dict[int, list[str]]:
    """For each dict value and keyword argument: the other keys of its dict or call."""
    out: dict[int, list[str]] = {}
    for d, _scope in ctx.ix.dicts:
        keys = [string_key(e.key) or "" for e in d.elements if isinstance(e, cst.DictElement)]
        for e in d.elements:
            if isinstance(e, cst.DictElement):
                out[id(e.value)] = keys
    for call, _scope in ctx.ix.calls:
        keys = [a.keyword.value for a in call.args if a.keyword is not None]
        if len(keys) > 1:
            for a in call.args:
                if a.keyword is not None:
                    out[id(a.value)] = keys
    return out


class HardcodedSecretPython(Checker):
    rule_id = HardcodedSecret.id

    def check(self, ctx: PyContext) -> Iterator[Finding]:
        yield from secret_findings(ctx, self._candidates(ctx))

    @staticmethod
    def _candidates(ctx: PyContext) -> Iterator[tuple[cst.CSTNode, str, str]]:
        covered: set[int] = set()
        siblings = _sibling_keys(ctx)
        for value, name in ctx.ix.named_values:
            text = literal_text(value)
            if text is not None:
                covered.update(id(n) for n in iter_nodes(value))
                if id(value) in siblings and public_client_config(name, siblings[id(value)]):
                    continue  # a search-only or web-app key, public by design
                yield value, text, name
        for node in ctx.ix.strings:
            if id(node) not in covered:
                text = literal_text(node)
                if text is not None:
                    yield node, text, ""
