"""How many evaluation steps each rule takes per file on a tree, to calibrate
``flow.RULE_STEPS`` (the deterministic per-rule budget). Prints the largest counts.

    python benchmarks/budget_steps.py PATH [PATH ...] [--top 15]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from analyzer import decoding, flow
from analyzer.discover import discover
from analyzer.engines import engine_for
from analyzer.rules import checkers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    root = Path.cwd()
    files, _ = discover(args.paths, root, max_bytes=None, skip_minified=True)
    counts: list[tuple[int, float, str, str]] = []
    original = flow.start_budget
    for f in files:
        decoded = decoding.decode(f.path.read_bytes(), f.language)
        engine = engine_for(f.language)
        if decoded.text is None or engine is None:
            continue
        for checker in checkers(engine.checker_package):
            seen: dict[str, float] = {}

            def start(steps=None, seconds=None, _seen=seen):
                original(steps, seconds)
                _seen["t"] = time.perf_counter()

            flow.start_budget = start
            try:
                engine.scan(f.rel, decoded.text, f.language, frozenset({checker.rule_id}))
            finally:
                flow.start_budget = original
            counts.append((flow.steps_used(), time.perf_counter() - seen.get("t", time.perf_counter()), checker.rule_id, f.rel))
    counts.sort(reverse=True)
    print(f"{len(files)} files; budget per rule and file: {flow.RULE_STEPS:,} steps")
    for steps, seconds, rule, path in counts[: args.top]:
        print(f"{steps:>12,} steps {seconds:8.3f} s  {rule:40} {path}")
    total_steps = sum(c[0] for c in counts)
    total_seconds = sum(c[1] for c in counts)
    if total_seconds:
        print(f"overall {total_steps:,} steps in {total_seconds:.1f} s of rule time")


if __name__ == "__main__":
    main()
