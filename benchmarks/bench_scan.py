#!/usr/bin/env python3
"""Time mcpleaks against Semgrep on the same files.

Each timed run is a whole, fresh CLI invocation (a new process, as a user or a
CI job would run it), measured as wall-clock time:

  mcpleaks scan PATH ... --format json
  semgrep scan --config rules/ PATH ... --json --metrics=off --disable-version-check

Usage:
  python benchmarks/bench_scan.py [PATH ...] [--repeat N] [--semgrep PATH_TO_SEMGREP]
                                  [--synthetic N] [--warmup N]

  PATH         files or folders to scan (default: the repository's corpus/)
  --repeat N   timed runs per tool (default 5); min / median / max are reported
  --warmup N   untimed runs per tool first (default 1), so disk caches are warm for both
  --semgrep    the semgrep binary; else `semgrep` on PATH; else Semgrep is skipped
  --synthetic N  copy the paths N times into a temporary tree and scan that instead,
                 to see how both tools behave on a bigger codebase (e.g. 50)

Standard library only. Always exits 0 unless the arguments are wrong.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
SOURCE_SUFFIXES = {".py", ".js", ".ts", ".tsx", ".mjs", ".cjs"}
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache"}
RUN_TIMEOUT = 900  # seconds for one invocation


@dataclass
class Tool:
    name: str
    command: list[str]
    env: dict[str, str]
    count_findings: Callable[[dict], int]  # from the tool's parsed JSON
    count_files: Callable[[dict], int | None]
    times: list[float] = field(default_factory=list)
    findings: int | None = None
    files: int | None = None
    error: str | None = None


# --- the two tools -----------------------------------------------------------------

def mcpleaks_command() -> list[str]:
    """The mcpleaks next to the running interpreter, else `python -m analyzer`."""
    exe = Path(sys.executable).parent / ("mcpleaks.exe" if os.name == "nt" else "mcpleaks")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analyzer"]


def find_semgrep(flag: str | None) -> str | None:
    if flag:
        return flag if Path(flag).exists() or shutil.which(flag) else None
    return shutil.which("semgrep")


def make_tools(paths: list[str], semgrep: str | None) -> list[Tool]:
    tools = [
        Tool(
            name="mcpleaks",
            command=[*mcpleaks_command(), "scan", *paths, "--format", "json"],
            env=dict(os.environ),
            count_findings=lambda doc: doc["summary"]["findings"],
            count_files=lambda doc: doc["summary"].get("files_scanned"),
        )
    ]
    if semgrep:
        tools.append(
            Tool(
                name="semgrep",
                command=[semgrep, "scan", "--config", str(RULES), *paths,
                         "--json", "--metrics=off", "--disable-version-check"],
                env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"},
                count_findings=lambda doc: len(doc["results"]),
                count_files=lambda doc: len(doc.get("paths", {}).get("scanned", [])) or None,
            )
        )
    return tools


# --- running ---------------------------------------------------------------------

def run_once(tool: Tool) -> tuple[float, dict | None, str | None]:
    """One fresh invocation: (wall seconds, parsed JSON or None, error or None)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(tool.command, env=tool.env, cwd=REPO, capture_output=True,
                              text=True, timeout=RUN_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return time.perf_counter() - start, None, str(exc)
    elapsed = time.perf_counter() - start
    # 0 = clean, 1 = findings (both tools); anything else is a failure.
    if proc.returncode not in (0, 1):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return elapsed, None, f"exit {proc.returncode}: " + " | ".join(tail)
    try:
        return elapsed, json.loads(proc.stdout), None
    except json.JSONDecodeError as exc:
        return elapsed, None, f"output is not JSON ({exc})"


def bench(tool: Tool, repeat: int, warmup: int) -> None:
    for _ in range(warmup):
        _, _, error = run_once(tool)
        if error:
            tool.error = error
            return
    for _ in range(repeat):
        elapsed, doc, error = run_once(tool)
        if error:
            tool.error = error
            return
        tool.times.append(elapsed)
        tool.findings = tool.count_findings(doc)
        tool.files = tool.count_files(doc)


# --- what is scanned -------------------------------------------------------------

def source_files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_file():
            candidates = [p]
        else:
            candidates = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                candidates += [Path(root, f) for f in sorted(files)]
        found += [f for f in candidates if f.suffix in SOURCE_SUFFIXES]
    return found


def count_lines(files: list[Path]) -> tuple[int, int]:
    total = non_blank = 0
    for f in files:
        try:
            lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        total += len(lines)
        non_blank += sum(1 for line in lines if line.strip())
    return total, non_blank


def make_synthetic(paths: list[str], copies: int, into: Path) -> list[str]:
    """Copy every path `copies` times under into/copy_NNN/<name>; return the new root."""
    for i in range(1, copies + 1):
        dest_root = into / f"copy_{i:03d}"
        for p in map(Path, paths):
            dest = dest_root / p.resolve().name
            if p.is_dir():
                shutil.copytree(p, dest, ignore=shutil.ignore_patterns(*SKIP_DIRS))
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, dest)
    return [str(into)]


# --- report ----------------------------------------------------------------------

def print_table(tools: list[Tool]) -> None:
    header = f"{'tool':<10} {'files':>6} {'min s':>8} {'median s':>9} {'max s':>8} {'findings':>9}"
    print(header)
    print("-" * len(header))
    for t in tools:
        if t.error or not t.times:
            print(f"{t.name:<10} failed: {t.error}")
            continue
        files = "?" if t.files is None else str(t.files)
        print(f"{t.name:<10} {files:>6} {min(t.times):>8.3f} {statistics.median(t.times):>9.3f} "
              f"{max(t.times):>8.3f} {t.findings:>9}")
    timed = {t.name: statistics.median(t.times) for t in tools if t.times and not t.error}
    if "mcpleaks" in timed and "semgrep" in timed:
        ratio = timed["semgrep"] / timed["mcpleaks"]
        if ratio >= 1:
            print(f"\nspeed ratio (median): mcpleaks is {ratio:.2f}x faster than semgrep")
        else:
            print(f"\nspeed ratio (median): mcpleaks is {1 / ratio:.2f}x slower than semgrep")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: corpus/)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per tool first (default 1)")
    parser.add_argument("--semgrep", metavar="PATH_TO_SEMGREP", help="semgrep binary (default: from PATH)")
    parser.add_argument("--synthetic", type=int, metavar="N", default=0,
                        help="scan a temporary tree holding N copies of the paths")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0 or args.synthetic < 0:
        parser.error("--repeat must be >= 1, --warmup and --synthetic >= 0")

    paths = [str(Path(p).resolve()) for p in (args.paths or [str(REPO / "corpus")])]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such path: {', '.join(missing)}")

    semgrep = find_semgrep(args.semgrep)
    with tempfile.TemporaryDirectory(prefix="mcpleaks-bench-") as tmp:
        if args.synthetic:
            paths = make_synthetic(paths, args.synthetic, Path(tmp))
        files = source_files(paths)
        total, non_blank = count_lines(files)
        shown = ", ".join(os.path.relpath(p, REPO) if p.startswith(str(REPO)) else p for p in paths)
        what = f" ({args.synthetic} copies)" if args.synthetic else ""
        print(f"scanning: {shown}{what}")
        print(f"source files: {len(files)} (.py/.js/.ts/.tsx/.mjs/.cjs), "
              f"lines: {total} ({non_blank} non-blank)")
        print(f"runs: {args.warmup} warm-up + {args.repeat} timed per tool, "
              f"wall clock of whole CLI invocations, {os.cpu_count()} CPUs")
        rule_files = sorted(RULES.glob("*.yaml")) + sorted(RULES.glob("*.yml"))
        print(f"rules: mcpleaks all native rules; semgrep the {len(rule_files)} file(s) in rules/ "
              f"(findings are not comparable one to one)")
        if not semgrep:
            where = f"at {args.semgrep}" if args.semgrep else "on PATH (pass --semgrep PATH)"
            print(f"semgrep: not found {where}; timing mcpleaks only")
        print()

        tools = make_tools(paths, semgrep)
        for tool in tools:
            bench(tool, args.repeat, args.warmup)
        print_table(tools)
    return 0


if __name__ == "__main__":
    sys.exit(main())
