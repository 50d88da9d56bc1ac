"""Rules: one module per rule here (its identity, docs and language-neutral verdict), and
one checker module per rule and language under ``python/`` and ``javascript/``.

Everything is found by walking these packages; there is no hand-kept list.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import lru_cache
from typing import Iterator

from analyzer.model import Finding, Rule


class RuleDef:
    """Base of a rule's definition. The subclass docstring is the rule's docs, with the
    headings ``## What it finds``, ``## Why it matters``, ``## Example``, ``## Fix``."""

    id: str
    name: str
    category: str
    severity: str
    message: str
    languages: tuple[str, ...]
    confidence = "high"
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    security_severity = 5.0

    @classmethod
    def rule(cls) -> Rule:
        return Rule(
            id=cls.id, name=cls.name, category=cls.category, severity=cls.severity, message=cls.message,
            languages=cls.languages, docs=inspect.cleandoc(cls.__doc__ or ""), confidence=cls.confidence,
            cwe=cls.cwe, owasp=cls.owasp, security_severity=cls.security_severity,
        )


class Checker:
    """Base of a language half of a rule: ``check(ctx)`` yields findings for one file.
    ``ctx`` is the engine's per-file context (its parse tree, index and evaluator)."""

    rule_id: str

    def check(self, ctx) -> Iterator[Finding]:  # pragma: no cover - interface
        raise NotImplementedError


def per_file(ctx, factory):
    """``factory(ctx)``, computed once per file however many checkers ask (the engines'
    contexts carry a ``cache`` dict)."""
    key = f"{factory.__module__}.{factory.__qualname__}"
    if key not in ctx.cache:
        ctx.cache[key] = factory(ctx)
    return ctx.cache[key]


def _walk(package: str) -> Iterator[object]:
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__, package + "."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


def _subclasses_in(package: str, base: type) -> list[type]:
    found = []
    for module in _walk(package):
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, base) and obj is not base and obj.__module__ == module.__name__:
                found.append(obj)
    return found


@lru_cache(maxsize=None)
def all_rules() -> tuple[Rule, ...]:
    rules = sorted((c.rule() for c in _subclasses_in(__name__, RuleDef)), key=lambda r: r.id)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"duplicate rule ids: {ids}")
    return tuple(rules)


def rules_by_id() -> dict[str, Rule]:
    return {r.id: r for r in all_rules()}


@lru_cache(maxsize=None)
def checkers(language_package: str) -> tuple[Checker, ...]:
    """Instances of every checker under ``analyzer.rules.<language_package>``."""
    known = rules_by_id()
    out = []
    for cls in _subclasses_in(f"{__name__}.{language_package}", Checker):
        if cls.rule_id not in known:
            raise RuntimeError(f"checker {cls.__name__} names unknown rule {cls.rule_id!r}")
        out.append(cls())
    return tuple(sorted(out, key=lambda c: c.rule_id))
