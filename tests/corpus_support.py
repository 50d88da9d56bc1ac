"""Reading the annotated corpus: `ruleid: <id>` on the line before each expected finding,
`ok: <id>` before a near miss, `todoruleid:`/`todook:` for known gaps (as in Semgrep tests)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.discover import detect_language

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
_ANNOTATION = re.compile(r"(?:#|//|/\*)\s*(ruleid|ok|todoruleid|todook):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")


@dataclass(frozen=True)
class Expectations:
    ruleid: frozenset[int]  # lines where a finding is expected
    ok: frozenset[int]  # lines where a near miss must stay silent
    todoruleid: frozenset[int]  # known gaps: a finding is expected but not yet produced
    todook: frozenset[int]  # known false positives


def expectations(text: str, rule_id: str) -> Expectations:
    found: dict[str, set[int]] = {"ruleid": set(), "ok": set(), "todoruleid": set(), "todook": set()}
    lines = text.split("\n")
    for i, line in enumerate(lines, start=1):
        for m in _ANNOTATION.finditer(line):
            ids = {x.strip() for x in m.group(2).split(",")}
            if rule_id in ids:
                # the annotation applies to the next line that is not itself an annotation
                j = i + 1
                while j <= len(lines) and _ANNOTATION.match(lines[j - 1].strip()):
                    j += 1
                found[m.group(1)].add(j)
    return Expectations(*(frozenset(found[k]) for k in ("ruleid", "ok", "todoruleid", "todook")))


def rule_cases() -> list[tuple[str, Path]]:
    """(rule id, file) for every source file under corpus/<rule-id>/."""
    cases = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name != "servers"):
        for f in sorted(folder.rglob("*")):
            if f.is_file() and detect_language(f):
                cases.append((folder.name, f))
    return cases


def server_files() -> list[Path]:
    return sorted(f for f in (CORPUS / "servers").rglob("*") if f.is_file() and detect_language(f))
