"""Fuzzing each engine (Python, JavaScript/TypeScript, MCP client config JSON) with
mutated corpus files: whatever the text, a scan returns (no exception) and no rule fails
on it (no "internal-error" note). Bounded to a few seconds per engine here;
``benchmarks/fuzz.py`` runs the same mutations for minutes and prints what it finds."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.rules import all_rules
from analyzer.scanner import scan_source

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
ALL = frozenset(r.id for r in all_rules())


def corpus_texts(*suffixes: str) -> list[str]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in suffixes)
    return [p.read_text(encoding="utf-8") for p in files]


PYTHON = corpus_texts(".py")
SCRIPT = corpus_texts(".js", ".ts")
CONFIG = [t for t in corpus_texts(".json") if "mcpServers" in t or '"servers"' in t]


@st.composite
def mutated(draw, texts: list[str]) -> str:
    """A corpus text with a few character-level mutations: delete, insert, duplicate or
    swap slices, insert random unicode (any code point but surrogates and NUL, which the
    scanner refuses before any engine), truncate."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 64)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "unicode", "truncate"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            k = draw(st.integers(0, n))
            text = text[:k] + text[i:j] + text[k:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] * draw(st.integers(1, 8)) + text[j:]
        elif op == "swap":
            k = draw(st.integers(j, n))
            text = text[:i] + text[j:k] + text[i:j] + text[k:]
        elif op == "unicode":
            noise = draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"), min_size=1, max_size=4))
            text = text[:i] + noise + text[i:]
        else:
            text = text[:i]
    return text


def check(path: str, language: str, text: str) -> None:
    _kept, _suppressed, notes = scan_source(path, text, language, ALL)
    errors = [n for n in notes if n.kind == "internal-error"]
    assert not errors, errors


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@FUZZ
@given(mutated(PYTHON))
def test_python_engine_survives_mutated_sources(text: str):
    check("fuzz.py", "python", text)


@FUZZ
@given(mutated(SCRIPT), st.sampled_from(["javascript", "typescript", "tsx"]))
def test_javascript_engine_survives_mutated_sources(text: str, language: str):
    check("fuzz.ts", language, text)


@FUZZ
@given(mutated(CONFIG))
def test_config_engine_survives_mutated_configs(text: str):
    check("mcp.json", "json", text)
