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
