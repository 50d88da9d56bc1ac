"""Precision and recall of mcpleaks on any folder annotated like corpus/ (`ruleid:` / `ok:`
comments on the line before), per rule. Used for held-out sets written by someone else.

    python benchmarks/eval_annotated.py FOLDER [--rules id,id] [--show] [--cli]

--cli scans FOLDER as one project with the command line (`python -m analyzer scan`), so that
package roles (tests/, scripts/, package.json bin) and every file kind apply, as for a user;
without it each file is scanned alone under its bare name.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus_support import expectations  # noqa: E402

from analyzer.discover import detect_language  # noqa: E402
from analyzer.rules import rules_by_id  # noqa: E402
from analyzer.scanner import scan_source  # noqa: E402


class _Found:
    def __init__(self, rule_id: str, line: int, message: str) -> None:
        self.rule_id, self.line, self.message = rule_id, line, message


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--rules", default="", help="comma-separated rule ids (default: every rule annotated in the folder)")
    ap.add_argument("--show", action="store_true", help="print each miss and false positive")
    ap.add_argument("--cli", action="store_true", help="scan the folder as a project with the command line")
    args = ap.parse_args()
    files = sorted(f for f in args.folder.rglob("*") if f.is_file() and detect_language(f))
    rule_ids = [r for r in args.rules.split(",") if r] or list(rules_by_id())
    totals = {r: {"tp": 0, "fn": 0, "fp": 0, "ok_silent": 0, "ok_total": 0} for r in rule_ids}
    by_file: dict[Path, list] = {}
    if args.cli:
        root = args.folder.resolve()
        proc = subprocess.run([sys.executable, "-m", "analyzer", "scan", str(root), "--format", "json", "--no-progress",
                               "--select", ",".join(rule_ids)], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
        report = json.loads(proc.stdout)
        for x in report["findings"]:
            p = Path(x["path"])
            here = Path(__file__).resolve().parent.parent / p  # relative to the scan's working directory, else to its root
            by_file.setdefault((p if p.is_absolute() else here if here.exists() else root / p).resolve(), []).append(
                _Found(x["rule_id"], x["line"], x["message"]))
    for f in files:
        text = f.read_text(encoding="utf-8")
        if args.cli:
            kept = by_file.get(f.resolve(), [])
        else:
            kept, _s, notes = scan_source(f.name, text, detect_language(f), frozenset(rule_ids))
            for n in notes:
                if n.kind in ("internal-error", "timeout", "parse-error"):
                    print(f"NOTE {f.name}: {n.message}")
        for r in rule_ids:
            exp = expectations(text, r)
            got = {x.line for x in kept if x.rule_id == r}
            t = totals[r]
            t["tp"] += len(exp.ruleid & got)
            t["fn"] += len(exp.ruleid - got)
            t["fp"] += len(got - exp.ruleid)
            t["ok_total"] += len(exp.ok)
            t["ok_silent"] += len(exp.ok - got)
            if args.show:
                for line in sorted(exp.ruleid - got):
                    print(f"MISS {r} {f.relative_to(args.folder)}:{line}")
                for line in sorted(got - exp.ruleid):
                    tag = "FP(ok)" if line in exp.ok else "FP"
                    print(f"{tag} {r} {f.relative_to(args.folder)}:{line} " + next(x.message for x in kept if x.rule_id == r and x.line == line)[:160])
    print(f"{len(files)} files")
    for r, t in totals.items():
        if not (t["tp"] or t["fn"] or t["fp"] or t["ok_total"]):
            continue
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        rec = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
        print(f"{r}: TP {t['tp']} FN {t['fn']} FP {t['fp']} (ok lines silent {t['ok_silent']}/{t['ok_total']}) "
              f"precision {p:.2f} recall {rec:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
