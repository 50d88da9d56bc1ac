"""Write docs/rules/<rule-id>.md for every rule: its docs (what it finds, why it matters,
example, fix) and annotated examples from corpus/<rule-id>/ (bad.* under "Found",
good.* under "Not reported"). Secrets in the examples are masked.

    python scripts/gen_rule_docs.py          # write
    python scripts/gen_rule_docs.py --check  # exit 1 if a page is missing or stale
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from analyzer.rules import all_rules  # noqa: E402
from analyzer.secrets import find_secrets, random_runs, redact  # noqa: E402
from corpus_support import expectations  # noqa: E402

LANG = {".py": "python", ".js": "js", ".ts": "ts", ".json": "jsonc"}
PER_FILE = 2  # examples per corpus file
CONTEXT = 3  # lines of context above an annotated line


def _mask(line: str) -> str:
    return redact(line, [*find_secrets(line), *random_runs(line)]) if re.search(r"\d", line) else line


def _snippets(path: Path, rule_id: str, kind: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    exp = expectations(text, rule_id)
    wanted = sorted(exp.ruleid if kind == "ruleid" else exp.ok)[:PER_FILE]
    out = []
    for line in wanted:
        start = max(0, line - 1 - CONTEXT)
        block = [_mask(l) for l in lines[start:line]]
        out.append("\n".join(block))
    return out


def page(rule) -> str:
    folder = REPO / "corpus" / rule.id
    meta = [
        f"# `{rule.id}`",
        "",
        rule.message + ".",
        "",
        "| category | severity | CWE | OWASP MCP Top 10 | languages |",
        "|---|---|---|---|---|",
        f"| {rule.category} | {rule.severity} | {', '.join(rule.cwe)} | {', '.join(rule.owasp)} | {', '.join(rule.languages)} |",
        "",
        f"Suppress one finding with `mcpleaks: ignore[{rule.id}]` in a comment on its line or the line above. "
        f"`mcpleaks explain {rule.id}` prints this page's first part.",
        "",
        re.sub(r"^## ", "## ", rule.docs, flags=re.M).strip(),
        "",
    ]
    for title, prefix, kind in (("Found (from corpus/%s/bad.*)", "bad.", "ruleid"), ("Not reported (from corpus/%s/good.*)", "good.", "ok")):
        files = sorted(f for f in folder.iterdir() if f.name.startswith(prefix)) if folder.is_dir() else []
        blocks = [(f, s) for f in files for s in _snippets(f, rule.id, kind)]
        if not blocks:
            continue
        meta += [f"## {title % rule.id}", ""]
        for f, s in blocks:
            meta += [f"`{f.name}`:", "", f"```{LANG.get(''.join(f.suffixes[-1:]), '')}", s, "```", ""]
    return "\n".join(meta).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if a page is missing or differs")
    args = parser.parse_args()
    out_dir = REPO / "docs" / "rules"
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = []
    for rule in all_rules():
        path = out_dir / f"{rule.id}.md"
        text = page(rule)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale rule docs: {', '.join(stale)} (run: python scripts/gen_rule_docs.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
