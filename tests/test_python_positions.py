"""The Python engine computes positions per top-level statement (cheaper than libcst's
whole-module pass); they must equal libcst's own, for every node."""
from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from analyzer.engines.python_cst import Index, PyContext
from corpus_support import CORPUS

FILES = sorted(CORPUS.rglob("*.py"))
TRICKY = '''#!/usr/bin/env python3
# a header comment

"""docstring"""
import os; import sys


@decorator  # comment
# between decorators
@other(
    arg=1,
)
def f(a,
      b="x\\ny"):
    """multi
    line"""
    return {"k": [1,
                  2]}
x = 1  # trailing
if x:
    y = f"""{x}
{a}"""
# footer comment
'''


@pytest.mark.parametrize("source", [*FILES, TRICKY], ids=lambda p: p.name if hasattr(p, "name") else "tricky")
def test_positions_match_libcst(source):
    text = source.read_text() if hasattr(source, "read_text") else source
    module = cst.parse_module(text)
    index = Index().build(module)
    ctx = PyContext("x.py", text, module, index)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    checked = 0
    for node, rng in expected.items():
        if isinstance(node, cst.Module):
            continue
        assert ctx.range(node) == rng, f"{type(node).__name__}: {ctx.range(node)} != {rng}"
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("source", [*FILES, TRICKY], ids=lambda p: p.name if hasattr(p, "name") else "tricky")
def test_statement_by_statement_parse_is_exact(source):
    """The per-statement parse (cached for editors) must give the same module text and,
    for every node, the same position libcst computes over the whole stitched module."""
    import ast

    from analyzer.engines.python_cst import parse_by_statement

    text = source.read_text() if hasattr(source, "read_text") else source
    module, starts, chunks = parse_by_statement(text, ast.parse(text))
    assert module.code == text
    assert starts is not None, "expected the per-statement path for an ordinary file"
    index = Index().build(module)
    ctx = PyContext("x.py", text, module, index)
    ctx._starts, ctx._chunks = starts, chunks
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node, rng in expected.items():
        if not isinstance(node, cst.Module):
            assert ctx.range(node) == rng, f"{type(node).__name__}: {ctx.range(node)} != {rng}"


def test_rescan_after_an_edit_matches_a_fresh_scan():
    from analyzer.rules import checkers
    from analyzer.engines.python_cst import _STATEMENTS, scan_text

    text = (CORPUS / "hidden-email-recipient" / "bad.py").read_text()
    active = [c for c in checkers("python")]
    first, _ = scan_text("bad.py", text, "python", active)
    edited = text.replace("\n\n\n", "\n\n\n# an edit above\n\n", 1)  # every later finding moves down 2 lines
    warm, _ = scan_text("bad.py", edited, "python", active)
    _STATEMENTS.clear()
    cold, _ = scan_text("bad.py", edited, "python", active)
    assert warm == cold
    assert sorted(f.line for f in warm) != sorted(f.line for f in first) and len(warm) == len(first)
