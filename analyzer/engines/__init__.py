"""Engines: one module per parser. Each exposes the same small face:
``LANGUAGES`` (what it reads), ``rule_ids()`` (the rules it runs) and
``scan(path, text, language, rule_ids) -> (findings, notes)``.

Parsers are imported only inside their engine module, and only when a file of that
language is scanned (so a Python-only scan never loads tree-sitter).
"""
from __future__ import annotations

import importlib
from types import ModuleType

ENGINE_BY_LANGUAGE = {
    "python": "analyzer.engines.python_engine",
    "javascript": "analyzer.engines.javascript_engine",
    "typescript": "analyzer.engines.javascript_engine",
    "tsx": "analyzer.engines.javascript_engine",
}


def engine_for(language: str) -> ModuleType | None:
    name = ENGINE_BY_LANGUAGE.get(language)
    return importlib.import_module(name) if name else None
