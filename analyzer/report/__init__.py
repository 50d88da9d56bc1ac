"""Output formats. Every renderer is ``render(result, rules, root, **options) -> str``.

``result.findings`` arrive sorted and filtered; :func:`render` passes the whole result through
``secrets.redact_result`` first (the output boundary: no whole secret in any format, whatever
built the result); ``rules`` are the rules active in the
scan; ``root`` is the absolute scan root that the findings' relative paths are under. Options a
format does not know are ignored, so one set of options can be passed to any format.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from analyzer.model import Rule, ScanResult
from analyzer.report import json, sarif, text
from analyzer.secrets import redact_result

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {"text": text.render, "json": json.render, "sarif": sarif.render}


def render(fmt: str, result: ScanResult, rules: Sequence[Rule], root: Path, **options: object) -> str:
    """Render ``result`` in format ``fmt`` (a key of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return FORMATS[fmt](redact_result(result), rules, root, **options)
