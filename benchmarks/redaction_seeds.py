"""Run the randomised redaction tests of tests/test_redaction.py over many seeds.

The suite draws its fake secrets from one fixed seed, so CI is reproducible; this script
explores others and prints every seed whose secrets leave mcpleaks whole (a masking hole)
or whose key is not recognised. About 3 s a seed (some tests scan the corpus in every format).

    python benchmarks/redaction_seeds.py [--seeds 100]
"""
from __future__ import annotations

import argparse
import inspect
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_redaction as t  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=100)
    args = parser.parse_args()
    tests = [(name, fn) for name, fn in vars(t).items()
             if name.startswith("test_") and callable(fn) and not hasattr(fn, "hypothesis")
             and set(inspect.signature(fn).parameters) <= {"tmp_path"}]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            for name, fn in tests:
                t._rng.seed(seed)
                try:
                    fn(**({"tmp_path": Path(tmp)} if "tmp_path" in inspect.signature(fn).parameters else {}))
                except AssertionError as e:
                    failures += 1
                    print(f"seed {seed}: {name}: {str(e).splitlines()[0][:200]}")
    print(f"{len(tests)} tests x {args.seeds} seeds: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
