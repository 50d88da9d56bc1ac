"""Engines: one module per parser (``python_cst``: libcst; ``javascript_ts``: tree-sitter; ``mcp_config``: JSON with comments),
each the only place its parser is imported, each with ``scan_text(path, text, language,
checkers) -> (findings, notes)``: one parse, one index, every checker of its language.

An :class:`Engine` is the same small face for all of them: ``rule_ids()``, ``scan()`` and
``comments()`` (where the language's own lexer puts comments, for inline suppressions).
Parser modules are imported only when a file of their language is scanned (so a
Python-only scan never loads tree-sitter).
"""
from __future__ import annotations

from dataclasses import replace

import importlib
from dataclasses import dataclass
from typing import Sequence

from analyzer import flow
from analyzer.model import Finding, Note
from analyzer.rules import checkers


Span = tuple[int, int]  # [start, end) offsets in code points of the file's text


@dataclass(frozen=True)
class Comments:
    """What inline suppressions need to know of a file's lexical structure, as its parser sees it.

    ``spans``: every comment (``#...``, ``//...``, ``/*...*/``), markers included; nothing inside
    a string, regex or template literal. ``joins``: spans inside which a line break does not end
    the line for suppressions: the text of a multi-line string, template literal or f-string
    (not the code of its ``${...}``/``{...}`` fields) and Python's backslash continuations."""

    spans: tuple[Span, ...] = ()
    joins: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Engine:
    module: str  # the parser module
    checker_package: str  # analyzer.rules.<checker_package> holds its rules' checkers

    def rule_ids(self) -> frozenset[str]:
        return frozenset(c.rule_id for c in checkers(self.checker_package))

    def scan(self, path: str, text: str, language: str, rule_ids: frozenset[str]) -> tuple[list[Finding], list[Note]]:
        active = [c for c in checkers(self.checker_package) if c.rule_id in rule_ids]
        if not active:
            return [], []
        return importlib.import_module(self.module).scan_text(path, text, language, active)

    def comments(self, text: str, language: str) -> Comments:
        return importlib.import_module(self.module).comments(text, language)

    def capabilities(self, text: str, language: str) -> list[tuple[str, str, int]]:
        """What the file can do, as ``(kind, value, line)`` (see ``analyzer.capabilities``);
        empty for an engine that has no such summary."""
        module = importlib.import_module(self.module)
        return module.capabilities(text, language) if hasattr(module, "capabilities") else []


PYTHON = Engine("analyzer.engines.python_cst", "python")
JAVASCRIPT = Engine("analyzer.engines.javascript_ts", "javascript")
MCP_CONFIG = Engine("analyzer.engines.mcp_config", "json")
ENGINE_BY_LANGUAGE = {"python": PYTHON, "javascript": JAVASCRIPT, "typescript": JAVASCRIPT, "tsx": JAVASCRIPT, "json": MCP_CONFIG}


def engine_for(language: str) -> Engine | None:
    return ENGINE_BY_LANGUAGE.get(language)


def comments(text: str, language: str) -> Comments:
    """The comments (and line joins) of ``text`` as the language's parser reads them."""
    engine = engine_for(language)
    return engine.comments(text, language) if engine is not None else Comments()


def run_checkers(ctx, path: str, checkers: Sequence, notes: list[Note]) -> tuple[list[Finding], list[Note]]:
    """Every checker on one file's context, each within its own step budget: a rule that
    runs out gets a note naming it, and the rules after it still run."""
    findings: list[Finding] = []
    for checker in checkers:
        flow.start_budget()
        try:
            findings.extend(checker.check(ctx))
        except RecursionError:
            notes.append(Note(path, f"{checker.rule_id}: nesting too deep to analyze", "warning", "internal-error"))
        except flow.WallClockExceeded:
            notes.append(Note(path, f"{checker.rule_id}: stopped by the {flow.SAFETY_SECONDS:.0f} s safety net before its "
                                    "step budget ran out: its results for this file are incomplete", "warning", "timeout"))
        except flow.BudgetExceeded:
            notes.append(Note(path, f"{checker.rule_id}: analysis stopped after {flow.RULE_STEPS:,} steps (the rule's "
                                    "budget per file): its results for this file are incomplete", "warning", "budget"))
        except Exception as e:  # a bug in one rule must not cost the file the other rules' findings
            notes.append(Note(path, f"internal error in {checker.rule_id}: {type(e).__name__}: {e}", "error", "internal-error"))
    if findings and hasattr(ctx, "test_ranges"):
        findings = mark_test_code(findings, ctx.test_ranges())
    return findings, notes


def mark_test_code(findings: list[Finding], ranges: Sequence[tuple[int, int]]) -> list[Finding]:
    """Flag the findings that sit inside test code of the file (1-based inclusive line ranges)."""
    if not ranges:
        return findings
    return [replace(f, test_code=True) if any(a <= f.line <= b for a, b in ranges) else f for f in findings]
