#!/usr/bin/env python3
"""Score mcpleaks against benchmarks/fixed-leaks: leaks that public projects fixed upstream.

    python benchmarks/fixed_leaks.py [--mcpleaks PATH] [--json OUT] [--per-case]

Runs `mcpleaks scan ... --format json --isolated --disable-ignores` once over every case's
`pre/` tree and once over every case's `post/` tree (or once per case and side with
`--per-case`), splits the findings by path, and compares them with labels.tsv:

- recall: labelled statements (pre) with at least one finding whose line lies within
  [start_line, end_line]; "family" recall accepts any rule of the label's family
  (secret-logging and raw-payload-logging are one family "logging", the secret-in-* rules
  are "model-context", every other rule is its own family), "strict" recall needs the
  labelled rule itself;
- precision: findings inside a labelled statement in pre / (those + every finding in post
  files + every finding in pre files outside any labelled statement).

Unlabelled pre findings and all post findings are listed so a human can judge them: some
may be real leaks the upstream fix did not address. Verdicts go in judged.tsv (case, side,
file, line, rule, verdict tp/fp, reason); "precision (judged)" counts a finding judged tp as
true, and every unjudged finding outside the labels as false.

The analyzer is run as a program, never imported. Standard library only. Exit status is
always 0: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET_DIR = HERE / "fixed-leaks"
CASES_DIR = SET_DIR / "cases"
LABELS = SET_DIR / "labels.tsv"

FAMILY = {
    "secret-logging": "logging",
    "raw-payload-logging": "logging",
    "secret-in-tool-result": "model-context",
    "secret-in-system-prompt": "model-context",
    "secret-in-tool-metadata": "model-context",
}


def family(rule: str) -> str:
    return FAMILY.get(rule, rule)


def load_labels() -> list[dict]:
    with LABELS.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        row["start_line"] = int(row["start_line"])
        row["end_line"] = int(row["end_line"])
    return rows


def load_judged() -> dict[tuple, str]:
    """(case, side, file, line, rule) -> "tp" | "fp", from judged.tsv."""
    path = SET_DIR / "judged.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["case"], r["side"], r["file"], int(r["line"]), r["rule"]): r["verdict"]
                for r in csv.DictReader(fh, delimiter="\t")}


def run_scan(mcpleaks: str, paths: list[Path]) -> tuple[list[dict], str]:
    """One mcpleaks run over `paths`; returns (findings, error text or '')."""
    cmd = [mcpleaks, "scan", *map(str, paths), "--format", "json", "--isolated",
           "--disable-ignores", "--no-progress"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        return [], f"cannot run {mcpleaks}: {exc}"
    if proc.returncode not in (0, 1):
        return [], f"mcpleaks exited {proc.returncode}: {proc.stderr.strip()[:2000]}"
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        return [], f"mcpleaks printed no JSON ({exc}): {proc.stderr.strip()[:2000]}"
    return data.get("findings", []), ""


def split_finding(finding: dict) -> tuple[str, str, str] | None:
    """(case, side, file relative to the side's root) for a finding, or None."""
    path = Path(finding["path"])
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        rel = path.resolve().relative_to(CASES_DIR.resolve())
    except ValueError:
        return None
    parts = rel.parts
    if len(parts) < 3 or parts[1] not in ("pre", "post"):
        return None
    return parts[0], parts[1], Path(*parts[2:]).as_posix()


def collect(mcpleaks: str, cases: list[str], per_case: bool) -> tuple[list[dict], list[str]]:
    findings: list[dict] = []
    errors: list[str] = []
    for side in ("pre", "post"):
        roots = [CASES_DIR / c / side for c in cases if (CASES_DIR / c / side).is_dir()]
        batches = [[r] for r in roots] if per_case else [roots]
        for batch in batches:
            if not batch:
                continue
            got, err = run_scan(mcpleaks, batch)
            if err:
                errors.append(f"{side} {'/'.join(p.parent.name for p in batch) if per_case else ''}: {err}")
            for f in got:
                where = split_finding(f)
                if where is None:
                    continue
                case, fside, rel = where
                findings.append({"case": case, "side": fside, "file": rel, "line": f.get("line"),
                                 "end_line": f.get("end_line"), "rule": f.get("rule_id"),
                                 "message": f.get("message", ""), "snippet": f.get("snippet", "")})
    return findings, errors


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f}%" if d else "   n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mcpleaks", default=str(Path(sys.executable).with_name("mcpleaks")),
                    help="the mcpleaks executable (default: the one next to this Python)")
    ap.add_argument("--json", metavar="OUT", help="also write the full results as JSON")
    ap.add_argument("--per-case", action="store_true",
                    help="run mcpleaks once per case and side instead of once per side")
    args = ap.parse_args(argv)

    labels = load_labels()
    cases = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
    findings, errors = collect(args.mcpleaks, cases, args.per_case)
    for err in errors:
        print(f"ERROR: {err}")

    pre = [f for f in findings if f["side"] == "pre"]
    post = [f for f in findings if f["side"] == "post"]

    def inside(f: dict, lab: dict) -> bool:
        return (f["case"] == lab["case"] and f["file"] == lab["file"]
                and lab["start_line"] <= (f["line"] or 0) <= lab["end_line"])

    results = []
    for lab in labels:
        hits = [f for f in pre if inside(f, lab)]
        fam = [f for f in hits if family(f["rule"]) == family(lab["category"])]
        strict = [f for f in hits if f["rule"] == lab["category"]]
        results.append({**lab, "found_family": bool(fam), "found_strict": bool(strict),
                        "rules": sorted({f["rule"] for f in hits})})

    tp = [f for f in pre if any(inside(f, lab) for lab in labels)]
    fp_pre = [f for f in pre if not any(inside(f, lab) for lab in labels)]
    n = len(results)
    n_fam = sum(r["found_family"] for r in results)
    n_strict = sum(r["found_strict"] for r in results)
    denom = len(tp) + len(fp_pre) + len(post)

    print(f"fixed-leaks: {len(cases)} cases, {n} labelled statements, mcpleaks = {args.mcpleaks}")
    print()
    print("Per case (statement: family/strict, rules of the findings on it)")
    by_case = defaultdict(list)
    for r in results:
        by_case[r["case"]].append(r)
    for case in cases:
        rs = by_case.get(case, [])
        print(f"  {case}: {sum(r['found_family'] for r in rs)}/{len(rs)} found")
        for r in rs:
            mark = "FOUND " if r["found_family"] else "missed"
            strict = "strict" if r["found_strict"] else "      "
            rules = ",".join(r["rules"]) or "-"
            print(f"    {mark} {strict} {r['file']}:{r['start_line']}-{r['end_line']}"
                  f" [{r['category']}/{r['kind']}] rules={rules}")

    def table(key: str) -> None:
        groups = defaultdict(list)
        for r in results:
            groups[r[key]].append(r)
        print(f"Per {key}:            n  family  strict")
        for k in sorted(groups):
            rs = groups[k]
            f_ = sum(r["found_family"] for r in rs)
            s_ = sum(r["found_strict"] for r in rs)
            print(f"  {k:28s} {len(rs):3d}  {f_:3d} {pct(f_, len(rs))}  {s_:3d} {pct(s_, len(rs))}")

    print()
    table("category")
    print()
    table("kind")
    print()
    print("Totals")
    print(f"  recall (family): {n_fam}/{n} = {pct(n_fam, n).strip()}")
    print(f"  recall (strict): {n_strict}/{n} = {pct(n_strict, n).strip()}")
    print(f"  precision: {len(tp)}/{denom} = {pct(len(tp), denom).strip()}"
          f"  (in labelled statements {len(tp)}, pre outside labels {len(fp_pre)}, post {len(post)})")
    judged = load_judged()
    outside = fp_pre + post
    verdict = [judged.get((f["case"], f["side"], f["file"], f["line"], f["rule"])) for f in outside]
    true_outside = sum(v == "tp" for v in verdict)
    print(f"  precision (judged): {len(tp) + true_outside}/{denom} = {pct(len(tp) + true_outside, denom).strip()}"
          f"  (outside the labels: {true_outside} judged real leaks, {sum(v == 'fp' for v in verdict)} judged false,"
          f" {sum(v is None for v in verdict)} unjudged, counted false)")

    def listing(title: str, fs: list[dict]) -> None:
        print()
        print(f"{title}: {len(fs)}")
        for f in sorted(fs, key=lambda f: (f["case"], f["file"], f["line"] or 0)):
            print(f"  {f['case']}/{f['side']}/{f['file']}:{f['line']} {f['rule']}: {f['snippet'].strip()[:140]}")

    listing("Unlabelled findings in pre files (judge: missing label, or false positive)", fp_pre)
    listing("Findings in post files (judge: fix incomplete, unrelated leak, or false positive)", post)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "mcpleaks": args.mcpleaks, "cases": cases, "errors": errors, "labels": results,
            "findings": findings,
            "totals": {"statements": n, "recall_family": n_fam, "recall_strict": n_strict,
                       "precision_tp": len(tp), "pre_unlabelled": len(fp_pre),
                       "post": len(post)},
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # a benchmark never fails the caller
        print(f"ERROR: {exc!r}")
    sys.exit(0)
