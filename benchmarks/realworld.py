#!/usr/bin/env python3
"""Run mcpleaks on the real-world corpus of published MCP servers and report precision.

The corpus is the pinned list ``benchmarks/realworld/packages.tsv``, unpacked (never installed
or run) into ``benchmarks/realworld/cache/`` by ``benchmarks/realworld/fetch.py``. This script:

1. scans the cache with the CLI next to the running interpreter, as a user auditing third-party
   code would:

       cd CACHE && mcpleaks scan . --format json -o TMP --isolated --disable-ignores [EXTRA ...]

   (``--isolated``: no configuration file applies; ``--disable-ignores``: a package's own
   ``mcpleaks: ignore`` comments count for nothing; ``--no-audit`` drops both). Arguments after
   ``--`` are passed to ``mcpleaks scan`` as they are (``-- --include-tests``, ``-- --jobs 1``);
   the scan's wall time and CPU time (its process and the workers it waited for, from
   ``resource.getrusage(RUSAGE_CHILDREN)``) are measured;
2. reads the verdicts in ``benchmarks/realworld/judged.tsv`` (tab-separated, a header line, columns
   ``fingerprint``, ``rule_id``, ``path``, ``line``, ``verdict`` (``tp`` or ``fp``), ``reason``;
   more columns are ignored, rows with an empty verdict are not verdicts) and matches each finding
   by its JSON ``fingerprint``, else by rule + path + line when its fingerprint is in no row;
3. prints files scanned, findings by rule and severity and by package, precision (tp / judged
   findings) overall and per rule, the error-level false positives, every unjudged finding
   (``path:line rule message``), the judged rows no finding matched any more (stale), the notes by
   kind, and the scan's wall and CPU time.

``--write-unjudged FILE`` writes the unjudged findings as TSV rows in judged.tsv's columns,
verdict and reason empty, plus ``severity``, ``message`` and ``snippet`` (tabs and newlines
escaped as \\t and \\n) for the judge: fill in verdict and reason, then append the rows to
judged.tsv.

Usage:
  python benchmarks/realworld.py [--cache DIR] [--judged FILE] [--write-unjudged FILE]
                                 [--keep-json FILE] [--no-audit] [-- EXTRA SCAN ARGS]

A report, not a test: exits 0 whatever the findings and verdicts are; 2 only when the scan
itself failed (mcpleaks exit status 2, or no report written), or the cache is missing.
Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REALWORLD = HERE / "realworld"
DEFAULT_CACHE = REALWORLD / "cache"
DEFAULT_JUDGED = REALWORLD / "judged.tsv"
PACKAGES = REALWORLD / "packages.tsv"
AUDIT_FLAGS = ["--isolated", "--disable-ignores"]
JUDGED_COLUMNS = ["fingerprint", "rule_id", "path", "line", "verdict", "reason"]
UNJUDGED_COLUMNS = [*JUDGED_COLUMNS, "severity", "message", "snippet"]
SEVERITIES = ("error", "warning", "note")


def mcpleaks_command() -> list[str]:
    """The console script next to the running interpreter, else ``python -m analyzer``."""
    exe = Path(sys.executable).parent / ("mcpleaks.exe" if os.name == "nt" else "mcpleaks")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analyzer"]


# --- verdicts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    verdict: str  # tp | fp
    reason: str
    row: int


@dataclass
class Judged:
    by_fingerprint: dict[str, Verdict]
    by_location: dict[tuple[str, str, int], Verdict]
    rows: int
    problems: list[str]


def read_judged(path: Path) -> Judged:
    judged = Judged({}, {}, 0, [])
    if not path.exists():
        judged.problems.append(f"{path} does not exist: every finding is unjudged")
        return judged
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            judged.problems.append(f"{path} is empty (no header line)")
            return judged
        missing = [column for column in JUDGED_COLUMNS if column not in header]
        if missing:
            judged.problems.append(f"{path}: header lacks {', '.join(missing)}; no verdict read")
            return judged
        index = {column: header.index(column) for column in JUDGED_COLUMNS}
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells) or cells[0].startswith("#"):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            get = lambda column: cells[index[column]].strip()  # noqa: E731
            verdict = get("verdict").lower()
            if not verdict:
                continue  # a row still to be judged
            if verdict not in ("tp", "fp"):
                judged.problems.append(f"{path}:{number}: verdict must be tp or fp, not {verdict!r}")
                continue
            entry = Verdict(verdict, get("reason"), number)
            judged.rows += 1
            fingerprint = get("fingerprint")
            if fingerprint:
                if fingerprint in judged.by_fingerprint and judged.by_fingerprint[fingerprint].verdict != verdict:
                    judged.problems.append(f"{path}:{number}: fingerprint {fingerprint} judged both ways")
                judged.by_fingerprint[fingerprint] = entry
            try:
                line = int(get("line"))
            except ValueError:
                line = -1
            if get("rule_id") and get("path") and line >= 0:
                judged.by_location[(get("rule_id"), get("path"), line)] = entry
    return judged


def match(finding: dict, judged: Judged) -> Verdict | None:
    verdict = judged.by_fingerprint.get(finding.get("fingerprint", ""))
    if verdict is not None:
        return verdict
    return judged.by_location.get((finding["rule_id"], finding["path"], finding["line"]))


# --- the scan ----------------------------------------------------------------------------

@dataclass
class Scan:
    report: dict | None
    returncode: int
    wall: float
    cpu: float
    stderr: str
    command: list[str]


def run_scan(cache: Path, extra: list[str], audit: bool, keep_json: Path | None) -> Scan:
    with tempfile.TemporaryDirectory(prefix="mcpleaks-realworld-") as tmp:
        out = Path(tmp) / "report.json"
        # Run from inside the cache and scan ".": the scan root is the current directory, so
        # the reported paths are ``npm/<name>@<version>/...`` wherever the checkout is, and no
        # ignore file of the enclosing repository (its ``dist/``, ``build/``) hides package code.
        command = [*mcpleaks_command(), "scan", ".", "--format", "json", "-o", str(out),
                   *(AUDIT_FLAGS if audit else []), *extra]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run = subprocess.run(command, cwd=cache, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        report = None
        if out.exists():
            text = out.read_text(encoding="utf-8")
            try:
                report = json.loads(text)
            except json.JSONDecodeError:
                report = None
            if keep_json is not None:
                keep_json.write_text(text, encoding="utf-8")
        return Scan(report, run.returncode, wall, cpu, run.stderr, command)


# --- helpers -----------------------------------------------------------------------------

def package_of(path: str) -> str:
    """``npm/@scope/name@1.0/...`` -> ``npm/@scope/name@1.0``; ``pypi/name@1.0/...`` -> ``pypi/name@1.0``."""
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "npm" and parts[1].startswith("@"):
        return "/".join(parts[:3])
    return "/".join(parts[:2])


def listed_packages() -> set[str]:
    listed: set[str] = set()
    if not PACKAGES.exists():
        return listed
    with PACKAGES.open(encoding="utf-8") as handle:
        handle.readline()
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 3 and not line.startswith("#"):
                listed.add(f"{cells[0].strip()}/{cells[1].strip()}@{cells[2].strip()}")
    return listed


def present_packages(cache: Path) -> set[str]:
    present: set[str] = set()
    for ecosystem in ("npm", "pypi"):
        folder = cache / ecosystem
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.startswith("@") and entry.is_dir():
                present.update(f"{ecosystem}/{entry.name}/{inner.name}" for inner in entry.iterdir() if inner.is_dir())
            elif entry.is_dir():
                present.add(f"{ecosystem}/{entry.name}")
    return present


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def one_line(text: str) -> str:
    return " ".join(text.split())


def percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}% ({numerator}/{denominator})" if denominator else "n/a (0 judged)"


def write_unjudged(path: Path, findings: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(UNJUDGED_COLUMNS) + "\n")
        for finding in findings:
            row = [
                finding.get("fingerprint", ""), finding["rule_id"], finding["path"], str(finding["line"]),
                "", "", finding.get("severity", ""), finding.get("message", ""), finding.get("snippet", ""),
            ]
            handle.write("\t".join(escape(cell) for cell in row) + "\n")


# --- the report --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Arguments after -- go to `mcpleaks scan` unchanged.")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="the unpacked packages (default: realworld/cache)")
    parser.add_argument("--judged", type=Path, default=DEFAULT_JUDGED, help="verdicts (default: realworld/judged.tsv)")
    parser.add_argument("--write-unjudged", type=Path, metavar="FILE", help="write the unjudged findings as TSV rows to judge")
    parser.add_argument("--keep-json", type=Path, metavar="FILE", help="also keep the scan's JSON report here")
    parser.add_argument("--no-audit", action="store_true", help="scan without --isolated --disable-ignores")
    args = parser.parse_args(argv)

    cache = args.cache.resolve()
    if not cache.is_dir() or not any(cache.iterdir()):
        print(f"no corpus at {cache}: run python benchmarks/realworld/fetch.py first", file=sys.stderr)
        return 2

    listed, present = listed_packages(), present_packages(cache)
    scan = run_scan(cache, extra, not args.no_audit, args.keep_json)
    print("mcpleaks real-world corpus")
    print(f"command (in {cache}): {' '.join(scan.command)}")
    if scan.returncode == 2 or scan.report is None:
        print(f"the scan failed (exit {scan.returncode}):", file=sys.stderr)
        print(scan.stderr.strip()[-4000:], file=sys.stderr)
        return 2
    report = scan.report
    findings: list[dict] = report.get("findings", [])
    notes: list[dict] = report.get("notes", [])
    summary: dict = report.get("summary", {})

    print(f"mcpleaks {report.get('version', '?')}; packages listed {len(listed)}, in the cache {len(present)}"
          f" ({len(listed - present)} listed but not fetched, {len(present - listed)} in the cache but not listed)")
    for name in sorted(listed - present)[:20]:
        print(f"  not fetched: {name}")
    for name in sorted(present - listed)[:20]:
        print(f"  not listed (scanned anyway): {name}")

    print()
    print(f"files scanned: {summary.get('files_scanned', '?')}")
    print(f"findings: {len(findings)}   suppressed: {summary.get('suppressed', len(report.get('suppressed', [])))}"
          f"   left out as test code: {summary.get('test_code_findings', 'n/a')}")

    # findings by rule and severity
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for finding in findings:
        by_rule[finding["rule_id"]][finding.get("severity", "?")] += 1
    severities = [s for s in SEVERITIES if any(c[s] for c in by_rule.values())]
    severities += sorted({s for c in by_rule.values() for s in c} - set(SEVERITIES))
    if by_rule:
        width = max(len(rule) for rule in by_rule) + 2
        print()
        print("findings by rule and severity:")
        print(f"  {'rule':<{width}}" + "".join(f"{s:>9}" for s in severities) + f"{'total':>9}")
        for rule in sorted(by_rule, key=lambda r: (-sum(by_rule[r].values()), r)):
            counts = by_rule[rule]
            print(f"  {rule:<{width}}" + "".join(f"{counts[s]:>9}" for s in severities) + f"{sum(counts.values()):>9}")
        totals = Counter()
        for counts in by_rule.values():
            totals.update(counts)
        print(f"  {'all':<{width}}" + "".join(f"{totals[s]:>9}" for s in severities) + f"{len(findings):>9}")

        by_package = Counter(package_of(finding["path"]) for finding in findings)
        print()
        print(f"findings by package ({len(by_package)} of {len(present)} packages have any; top 20):")
        for name, count in by_package.most_common(20):
            print(f"  {count:>5}  {name}")

    # precision
    judged = read_judged(args.judged)
    for problem in judged.problems:
        print(f"verdicts: {problem}")
    verdicts = [(finding, match(finding, judged)) for finding in findings]
    judged_findings = [(f, v) for f, v in verdicts if v is not None]
    unjudged = [f for f, v in verdicts if v is None]
    tp = sum(1 for _, v in judged_findings if v.verdict == "tp")
    print()
    print(f"verdicts read: {judged.rows} rows from {args.judged}")
    print(f"precision overall: {percent(tp, len(judged_findings))}   judged {len(judged_findings)} of {len(findings)} findings")
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for finding, verdict in judged_findings:
        per_rule[finding["rule_id"]][0 if verdict.verdict == "tp" else 1] += 1
    for rule in sorted(set(by_rule) | set(per_rule)):
        rule_tp, rule_fp = per_rule[rule]
        total = sum(by_rule[rule].values())
        print(f"  {rule}: {percent(rule_tp, rule_tp + rule_fp)}, {total - rule_tp - rule_fp} unjudged")

    error_fps = [(f, v) for f, v in judged_findings if v.verdict == "fp" and f.get("severity") == "error"]
    print()
    print(f"error-level false positives: {len(error_fps)}")
    for finding, verdict in error_fps:
        print(f"  {finding['path']}:{finding['line']} {finding['rule_id']} -- {verdict.reason or '(no reason)'}")

    matched_rows = {v.row for _, v in judged_findings}
    stale = sorted({v.row for v in [*judged.by_fingerprint.values(), *judged.by_location.values()]} - matched_rows)
    if stale:
        print(f"judged rows that match no finding now (fixed, moved or stale): {len(stale)}, rows {', '.join(map(str, stale[:30]))}"
              + (" ..." if len(stale) > 30 else ""))

    print()
    print(f"unjudged findings: {len(unjudged)}")
    for finding in sorted(unjudged, key=lambda f: (f["path"], f["line"], f["rule_id"])):
        print(f"  {finding['path']}:{finding['line']} {finding['rule_id']} [{finding.get('severity', '?')}] {one_line(finding.get('message', ''))}")
    if args.write_unjudged:
        write_unjudged(args.write_unjudged, sorted(unjudged, key=lambda f: (f["path"], f["line"], f["rule_id"])))
        print(f"unjudged findings written to {args.write_unjudged} (fill in verdict and reason, then append the rows to {args.judged.name})")

    print()
    kinds = Counter((note.get("kind", "?"), note.get("level", "?")) for note in notes)
    print(f"notes: {len(notes)}" + ("" if notes else " (none)"))
    for (kind, level), count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:>6}  {kind} ({level})")
    print()
    print(f"scan time: wall {scan.wall:.2f}s, CPU {scan.cpu:.2f}s (user+system of the scan and its workers), exit {scan.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
