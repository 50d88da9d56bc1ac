"""Recall of the Semgrep rule pack against the native engine, per rule, measured on the
annotated corpus (``corpus/<rule-id>/`` and ``corpus/servers/``).

A positive is a ``ruleid:`` line. The native engine runs each rule's own files with only that
rule on (as tests/test_corpus.py does) and the servers with every rule; the pack runs once, over
every corpus file, through the Semgrep CLI. Pack findings on lines that are not positives are
false positives; ``rules/KNOWN_GAPS.md`` lists the accepted gaps and false positives, and
``--check`` fails when the pack's results differ from what the corpus and that list expect.

    python scripts/semgrep_coverage.py              # the table (markdown)
    python scripts/semgrep_coverage.py --details    # and every missed or extra line
    python scripts/semgrep_coverage.py --check      # exit 1 unless the pack does what is listed
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

from analyzer.discover import SourceFile, detect_language  # noqa: E402
from analyzer.engines import semgrep  # noqa: E402
from analyzer.rules import all_rules  # noqa: E402
from analyzer.scanner import scan_source  # noqa: E402
from corpus_support import CORPUS, expectations  # noqa: E402
from gen_semgrep_tests import GapsError, read_known_gaps, resolve  # noqa: E402


@dataclass
class FileResult:
    rel: str  # relative to corpus/
    positives: set[int]
    ok: set[int]
    todo: set[int]  # corpus todoruleid/todook lines (the native engine's own known gaps)
    native: set[int]
    pack: set[int]
    gaps: dict[int, str] = field(default_factory=dict)  # listed in KNOWN_GAPS.md: line -> why
    fps: dict[int, str] = field(default_factory=dict)


@dataclass
class RuleResult:
    rule_id: str
    in_pack: bool
    files: list[FileResult] = field(default_factory=list)

    def count(self, attr: str) -> int:
        return sum(len(getattr(f, attr)) for f in self.files)

    @property
    def positives(self) -> int:
        return self.count("positives")

    @property
    def native_found(self) -> int:
        return sum(len(f.positives & f.native) for f in self.files)

    @property
    def pack_found(self) -> int:
        return sum(len(f.positives & f.pack) for f in self.files)

    @property
    def pack_false_positives(self) -> int:
        return sum(len(f.pack - f.positives - f.todo) for f in self.files)

    def problems(self) -> list[str]:
        """Where the pack does not do what the corpus and KNOWN_GAPS.md say it does."""
        out = []
        for f in self.files:
            missed = sorted(f.positives - f.pack - set(f.gaps))
            if missed:
                out.append(f"{f.rel}: lines {missed} are missed by the pack and not listed as gaps")
            found = sorted(set(f.gaps) & f.pack)
            if found:
                out.append(f"{f.rel}: lines {found} are listed as gaps but the pack finds them: remove them from KNOWN_GAPS.md")
            extra = sorted(f.pack - f.positives - set(f.fps) - f.todo)
            if extra:
                out.append(f"{f.rel}: lines {extra} are flagged by the pack but are not positives")
            stale = sorted(set(f.fps) - f.pack)
            if stale:
                out.append(f"{f.rel}: lines {stale} are listed as false positives but the pack is silent: remove them")
            todo = sorted(f.todo & f.pack)
            if todo:
                out.append(f"{f.rel}: lines {todo} are corpus todoruleid/todook lines the pack flags")
        return out


def corpus_sources() -> list[tuple[str | None, Path]]:
    """(rule id or None for servers, path) for every corpus source file."""
    out: list[tuple[str | None, Path]] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        owner = None if folder.name == "servers" else folder.name
        out += [(owner, f) for f in sorted(folder.rglob("*")) if f.is_file() and detect_language(f)]
    return out


def run_pack(sources: list[Path], rule_ids: frozenset[str]) -> tuple[dict[tuple[str, str], set[int]], list, float]:
    """(rule id, corpus-relative path) -> lines the pack flags; notes; seconds."""
    files = [SourceFile(p, p.relative_to(CORPUS).as_posix(), detect_language(p)) for p in sources]
    started = time.perf_counter()
    run = semgrep.scan_files(files, rule_ids)
    elapsed = time.perf_counter() - started
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for f in [*run.findings, *run.suppressed]:
        found[f.rule_id, f.path].add(f.line)
    return found, run.notes, elapsed


def measure(native: bool = True) -> tuple[list[RuleResult], list, float]:
    """Per rule, every corpus file's positives and what each engine reports (``native=False``
    leaves the native engine out: the pack's check does not need it)."""
    rules = {r.id: r for r in all_rules()}
    pack_ids = set(semgrep.rule_files())
    sources = corpus_sources()
    pack, notes, elapsed = run_pack([p for _, p in sources], frozenset(pack_ids))
    listed = resolve(read_known_gaps())
    results = {rid: RuleResult(rid, rid in pack_ids) for rid in rules if (CORPUS / rid).is_dir()}
    for owner, path in sources:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(CORPUS).as_posix()
        # a rule's own files with only that rule on, the servers with every rule (as tests/test_corpus.py)
        native_ids = frozenset({owner} if owner else rules)
        kept = scan_source(path.name, text, detect_language(path), native_ids)[0] if native else []
        for rule_id in ([owner] if owner else list(results)):
            if rule_id not in results:
                continue
            exp = expectations(text, rule_id)
            entries = listed.get((rule_id, rel), {})
            results[rule_id].files.append(FileResult(
                rel=rel, positives=set(exp.ruleid), ok=set(exp.ok), todo=set(exp.todoruleid | exp.todook),
                native={f.line for f in kept if f.rule_id == rule_id}, pack=pack.get((rule_id, rel), set()),
                gaps={n: e.why for n, e in entries.items() if e.kind == "gap"},
                fps={n: e.why for n, e in entries.items() if e.kind == "false positive"}))
    return list(results.values()), notes, elapsed


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def table(results: list[RuleResult]) -> str:
    rows = ["| rule | corpus positives | native finds | native recall | pack finds | pack recall | pack false positives |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    totals = [0, 0, 0, 0]
    for r in results:
        pack = str(r.pack_found) if r.in_pack else "no rule"
        recall = _pct(r.pack_found, r.positives) if r.in_pack else "-"
        fps = str(r.pack_false_positives) if r.in_pack else "-"
        rows.append(f"| `{r.rule_id}` | {r.positives} | {r.native_found} | {_pct(r.native_found, r.positives)} | "
                    f"{pack} | {recall} | {fps} |")
        totals = [totals[0] + r.positives, totals[1] + r.native_found, totals[2] + r.pack_found,
                  totals[3] + (r.pack_false_positives if r.in_pack else 0)]
    rows.append(f"| all | {totals[0]} | {totals[1]} | {_pct(totals[1], totals[0])} | {totals[2]} | "
                f"{_pct(totals[2], totals[0])} | {totals[3]} |")
    return "\n".join(rows)


def details(results: list[RuleResult]) -> str:
    out = []
    for r in results:
        if not r.in_pack:
            continue
        for f in r.files:
            lines = (CORPUS / f.rel).read_text(encoding="utf-8").split("\n")
            for n in sorted((f.positives - f.pack) | (f.pack - f.positives)):
                what = "missed" if n in f.positives else ("FALSE POSITIVE (ok line)" if n in f.ok else "FALSE POSITIVE")
                listed = " [listed]" if n in f.gaps or n in f.fps else ""
                out.append(f"{r.rule_id}: {f.rel}:{n}: {what}{listed}: {lines[n - 1].strip()[:150]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list every line the pack misses or flags wrongly")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the pack does what the corpus and KNOWN_GAPS.md say")
    args = parser.parse_args(argv)
    if semgrep.find_semgrep() is None:
        print("semgrep is not installed: pip install 'mcpleaks[semgrep]'", file=sys.stderr)
        return 2
    try:
        results, notes, elapsed = measure()
    except GapsError as e:
        print(e, file=sys.stderr)
        return 2
    print(table(results))
    print(f"\n(Semgrep {elapsed:.1f} s over the corpus, one run)")
    for note in notes:
        print(f"note: {note.path}: {note.message}", file=sys.stderr)
    if args.details:
        print("\n" + details(results))
    if args.check:
        problems = [p for r in results if r.in_pack for p in r.problems()]
        if problems:
            print("\n" + "\n".join(problems), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
