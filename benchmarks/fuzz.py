"""Fuzz the engines for minutes: mutated corpus files (the mutations of tests/test_fuzz.py)
scanned in a worker process, so that a native crash is caught too; every input that raises,
leaves an "internal-error" note or kills the worker is saved and printed.

    .venv/bin/python benchmarks/fuzz.py                    # 5 minutes, every engine
    .venv/bin/python benchmarks/fuzz.py --seconds 60 --engine python --out /tmp/fuzz-finds
    .venv/bin/python benchmarks/fuzz.py --limits           # re-measure libcst's crash sizes

``--limits`` bisects, for each chain shape, the size at which ``libcst.parse_module``
kills the process (each try in a child process), the measurement behind the pre-check
limits in analyzer/engines/python_cst.py. It takes several minutes (libcst is quadratic
in depth).
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
ENGINES = {"python": (".py",), "javascript": (".js", ".ts"), "json": (".json",)}


def corpus(engine: str) -> list[str]:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in ENGINES[engine])
    texts = [p.read_text(encoding="utf-8") for p in files]
    return [t for t in texts if engine != "json" or "mcpServers" in t or '"servers"' in t]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        n = len(text)
        i = rng.randint(0, n)
        j = rng.randint(i, min(n, i + 64))
        op = rng.choice(["delete", "insert", "duplicate", "swap", "unicode", "truncate"])
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            k = rng.randint(0, n)
            text = text[:k] + text[i:j] + text[k:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] * rng.randint(1, 64) + text[j:]
        elif op == "swap":
            k = rng.randint(j, n)
            text = text[:i] + text[j:k] + text[i:j] + text[k:]
        elif op == "unicode":
            noise = []
            while len(noise) < rng.randint(1, 4):
                c = rng.randint(1, 0x10FFFF)
                if not 0xD800 <= c <= 0xDFFF:
                    noise.append(chr(c))
            text = text[:i] + "".join(noise) + text[i:]
        else:
            text = text[:i]
    return text


def scan_one(engine: str, language: str, text: str) -> str | None:
    """In the worker: what went wrong, or None."""
    from analyzer.rules import all_rules
    from analyzer.scanner import scan_source

    try:
        _kept, _suppressed, notes = scan_source("fuzz", text, language, frozenset(r.id for r in all_rules()))
    except BaseException as e:  # scan_source must never raise
        return f"raised {type(e).__name__}: {e}"
    errors = [n.message for n in notes if n.kind == "internal-error"]
    return "; ".join(errors) or None


def fuzz(engines: list[str], seconds: float, seed: int, out: Path | None) -> int:
    rng = random.Random(seed)
    texts = {e: corpus(e) for e in engines}
    finds: list[tuple[str, str, str]] = []
    runs = 0
    deadline = time.monotonic() + seconds
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        while time.monotonic() < deadline:
            engine = rng.choice(engines)
            language = rng.choice(["javascript", "typescript", "tsx"]) if engine == "javascript" else engine
            text = mutate(rng, rng.choice(texts[engine]))
            try:
                problem = pool.submit(scan_one, engine, language, text).result(timeout=120)
            except BrokenProcessPool:
                problem = "the worker process died (a native crash)"
                pool = ProcessPoolExecutor(max_workers=1)
            except TimeoutError:
                problem = "no answer in 120 s (a hang)"
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=1)
            runs += 1
            if problem:
                finds.append((language, problem, text))
                print(f"[{len(finds)}] {language}: {problem[:300]}", flush=True)
                if out is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    (out / f"find-{len(finds)}.{ {'python': 'py', 'json': 'json'}.get(language, 'ts') }").write_text(
                        text, encoding="utf-8", errors="surrogatepass")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    print(f"{runs} inputs in {seconds:.0f} s, {len(finds)} problem(s)")
    return 1 if finds else 0


SHAPES = {
    "and-chain": lambda n: "x = " + " and ".join(f"a{i}" for i in range(n)) + "\n",
    "plus-chain": lambda n: "x = " + " + ".join(f"a{i}" for i in range(n)) + "\n",
    "comparison-chain": lambda n: "x = " + " < ".join(f"a{i}" for i in range(n)) + "\n",
    "dotted-import": lambda n: "import " + ".".join(f"a{i}" for i in range(n)) + "\n",
    "attribute-chain": lambda n: "x = a" + "".join(f".b{i}" for i in range(n)) + "\n",
    "call-chain": lambda n: "x = f" + "()" * n + "\n",
    "subscript-chain": lambda n: "x = f" + "[0]" * n + "\n",
    "string-concatenation": lambda n: "x = " + " ".join("'s'" for _ in range(n)) + "\n",
    "brackets": lambda n: "x = " + "(" * n + "a" + ")" * n + "\n",
}


def crashes(text: str) -> bool:
    done = subprocess.run([sys.executable, "-I", "-c", "import sys, libcst\ntry:\n libcst.parse_module(sys.stdin.read())\n"
                           "except BaseException:\n pass\n"], input=text, text=True, capture_output=True, timeout=1800)
    return done.returncode != 0


def limits(limit: int) -> int:
    for name, make in SHAPES.items():
        lo, hi = 0, 1000
        while not crashes(make(hi)):
            lo, hi = hi, hi * 2
            if hi > limit:
                break
        if hi > limit:
            print(f"{name}: no crash up to {lo:,}", flush=True)
            continue
        while hi - lo > max(1, lo // 50):
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if crashes(make(mid)) else (mid, hi)
        print(f"{name}: parses at {lo:,}, crashes at {hi:,} ({len(make(hi)):,} bytes)", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--engine", action="append", choices=sorted(ENGINES), help="repeatable (default: all)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, help="save each problem input in this folder")
    parser.add_argument("--limits", action="store_true", help="bisect libcst's crash sizes instead of fuzzing")
    parser.add_argument("--limit-max", type=int, default=64_000, help="largest size --limits tries")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.limits:
        return limits(args.limit_max)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"seed {seed}", flush=True)
    return fuzz(args.engine or sorted(ENGINES), args.seconds, seed, args.out)


if __name__ == "__main__":
    sys.exit(main())
