"""Semgrep test targets for the rule pack, generated from the corpus, so that both engines are
held to the same examples.

For every rule file ``rules/<rule-id>.yaml``, every file of ``corpus/<rule-id>/`` and every file
of ``corpus/servers/`` is copied to ``OUTDIR/<rule-id>.<where>.<ext>``, the name ``semgrep
--test`` pairs with the rule file. Line numbers never change; only annotation comments are
rewritten:

- ``ruleid: <rule-id>`` becomes ``todoruleid:`` on the lines ``rules/KNOWN_GAPS.md`` lists as
  gaps of the pack, and ``ok: <rule-id>`` becomes ``todook:`` on the lines it lists as known
  false positives. Nothing else is ever marked: a line the pack misses that is not listed fails
  the test, and so does a listed gap the pack finds.
- annotations for other rules are neutralised, and an annotation naming several rules keeps only
  this one;
- in a file where this rule is expected to report nothing at all, its annotations are
  neutralised too (``semgrep --test`` fails a file whose annotations name a rule that reports
  nothing in it); the file still fails the test on any finding.

Servers are copied for the rules they carry annotations for (``--all-servers``: for every
rule); tests/test_semgrep_pack.py checks the pack's silence on all the other corpus files in one
``semgrep scan``, which is much faster than one ``semgrep --test`` run per rule over them.

    python scripts/gen_semgrep_tests.py --run      # write to a temporary directory and run semgrep --test on it
    python scripts/gen_semgrep_tests.py OUTDIR     # or write them to OUTDIR, then:
    semgrep --test --metrics=off --disable-version-check --config rules/ OUTDIR

The targets are never committed: ``rules/`` holds only the pack (the ``*.yaml`` rules and
``KNOWN_GAPS.md``), which ships in the wheel as ``analyzer.semgrep_rules``. Semgrep 1.x's
``semgrep --test --config <rules> <targets>`` pairs ``<targets>/<rule-id>.<anything>.<ext>``
with ``<rules>/<rule-id>.yaml``, so the targets live in a temporary folder made at test time
(tests/test_semgrep_pack.py does exactly what ``--run`` does). Writing them into ``rules/`` is refused.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from analyzer.discover import detect_language  # noqa: E402
from corpus_support import CORPUS, expectations  # noqa: E402

RULES = REPO / "rules"
KNOWN_GAPS = RULES / "KNOWN_GAPS.md"
_ANNOTATION = re.compile(r"(?P<lead>(?:#|//|/\*)\s*)(?P<kind>ruleid|ok|todoruleid|todook):(?P<ids>\s*[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")
_ENTRY = re.compile(r"^ {4}(?P<file>\S+?)(?:#(?P<nth>\d+))?:\s(?P<text>.*\S)\s*$")
_HEADING = re.compile(r"^(?P<level>#{2,3})\s+(?P<title>.*\S)\s*$")


class GapsError(Exception):
    """``KNOWN_GAPS.md`` is malformed or out of date with the corpus."""


@dataclass(frozen=True)
class Entry:
    rule_id: str
    kind: str  # "gap" (a ruleid line the pack misses) | "false positive" (an ok line it flags)
    file: str  # relative to corpus/, e.g. "hidden-email-recipient/bad.py", "servers/postmark-backdoor/index.js"
    text: str  # the annotated line, stripped
    nth: int | None  # which of several annotated lines with this text (1-based)
    why: str


def read_known_gaps(path: Path = KNOWN_GAPS) -> list[Entry]:
    """Entries of ``KNOWN_GAPS.md``: ``## <rule-id>`` sections, ``### gap: <why>`` or ``### false
    positive: <why>`` groups, and indented lines ``<file>: <annotated line>`` under them (file
    relative to ``corpus/<rule-id>/``, or ``servers/...``; ``<file>#2:`` picks the second of
    several annotated lines with the same text)."""
    entries: list[Entry] = []
    rule_id = kind = why = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        heading = _HEADING.match(line)
        if heading and heading["level"] == "##":
            rule_id, kind, why = heading["title"].strip("` "), "", ""
            continue
        if heading:
            title = heading["title"]
            for k in ("gap", "false positive"):
                if title.lower().startswith(k + ":"):
                    kind, why = k, title[len(k) + 1:].strip()
                    break
            else:
                raise GapsError(f"{path.name}:{number}: a group is '### gap: <why>' or '### false positive: <why>'")
            continue
        entry = _ENTRY.match(line)
        if entry:
            if not rule_id or not kind:
                raise GapsError(f"{path.name}:{number}: an entry outside a '## <rule-id>' / '### gap: ...' group")
            file = entry["file"]
            file = file if file.startswith("servers/") else f"{rule_id}/{file}"
            entries.append(Entry(rule_id, kind, file, entry["text"].strip(),
                                 int(entry["nth"]) if entry["nth"] else None, why))
    return entries


def annotated_lines(text: str, rule_id: str, kind: str) -> list[int]:
    exp = expectations(text, rule_id)
    return sorted(exp.ruleid if kind == "gap" else exp.ok)


def resolve(entries: list[Entry]) -> dict[tuple[str, str], dict[int, Entry]]:
    """(rule id, corpus-relative file) -> {line: entry}. Every entry must name exactly one
    annotated line (``ruleid:`` for a gap, ``ok:`` for a false positive) of that file."""
    out: dict[tuple[str, str], dict[int, Entry]] = {}
    problems = []
    for e in entries:
        path = CORPUS / e.file
        if not path.is_file():
            problems.append(f"{e.rule_id}: {e.file}: no such corpus file")
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        wanted = "ruleid" if e.kind == "gap" else "ok"
        matches = [n for n in annotated_lines(text, e.rule_id, e.kind) if lines[n - 1].strip() == e.text]
        if e.nth is not None:
            matches = matches[e.nth - 1:e.nth] if 0 < e.nth <= len(matches) else []
        if len(matches) != 1:
            what = "no" if not matches else f"{len(matches)} (lines {matches}; add #N to the file name)"
            problems.append(f"{e.rule_id}: {e.file}: {what} '{wanted}:' line reads: {e.text}")
            continue
        slot = out.setdefault((e.rule_id, e.file), {})
        if matches[0] in slot:
            problems.append(f"{e.rule_id}: {e.file}:{matches[0]} is listed twice")
        slot[matches[0]] = e
    if problems:
        raise GapsError(f"{KNOWN_GAPS.relative_to(REPO)} does not match the corpus:\n  " + "\n  ".join(problems))
    return out


def pack_rule_ids() -> list[str]:
    return sorted(p.stem for p in RULES.glob("*.yaml"))


# The extensions Semgrep gives each of the rules' languages (mcpleaks' .mts, .cts and shebang
# scripts have none: the native engine covers them alone).
SEMGREP_SUFFIXES = {"python": (".py", ".pyi"), "javascript": (".js", ".mjs", ".cjs", ".jsx"),
                    "typescript": (".ts", ".tsx"), "json": (".json",)}


def corpus_files(rule_id: str, all_servers: bool = False) -> list[Path]:
    """The corpus files a pack rule is tested on, in the languages the rule covers: those of
    its own folder, then the servers annotated for it (with ``all_servers``, every server: the
    pack's silence on the others is checked by tests/test_semgrep_pack.py in one scan)."""
    from analyzer.rules import rules_by_id

    rule = rules_by_id().get(rule_id)
    languages = rule.languages if rule else ("python", "javascript", "typescript")
    suffixes = tuple(s for lang in languages for s in SEMGREP_SUFFIXES.get(lang, ()))
    files = []
    for folder in (CORPUS / rule_id, CORPUS / "servers"):
        if folder.is_dir():
            files += sorted(f for f in folder.rglob("*")
                            if f.is_file() and f.name.lower().endswith(suffixes) and detect_language(f)
                            and (all_servers or folder.name != "servers" or _annotated(f, rule_id)))
    return files


def _annotated(path: Path, rule_id: str) -> bool:
    exp = expectations(path.read_text(encoding="utf-8"), rule_id)
    return bool(exp.ruleid or exp.ok or exp.todoruleid or exp.todook)


def target_name(rule_id: str, source: Path) -> str:
    rel = source.relative_to(CORPUS)
    parts = rel.parts[1:] if rel.parts[0] == rule_id else rel.parts
    stem = "--".join(parts)
    # keep one dot-free stem before the extension(s): semgrep --test strips every suffix
    base, dot, ext = stem.partition(".")
    return f"{rule_id}.{base.replace('.', '-')}{dot}{ext}"


def rewrite(text: str, rule_id: str, gap_lines: set[int], fp_lines: set[int]) -> str:
    """``text`` with its annotation comments rewritten for a Semgrep test of ``rule_id``."""
    exp = expectations(text, rule_id)
    expects_findings = bool((exp.ruleid - gap_lines) or exp.todook or fp_lines)
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines, start=1):
        out.append(_ANNOTATION.sub(lambda m: _one(m, i, lines, rule_id, gap_lines, fp_lines, expects_findings), line))
    return "\n".join(out)


def _target_line(lines: list[str], i: int) -> int:
    j = i + 1
    while j <= len(lines) and _ANNOTATION.match(lines[j - 1].strip()):
        j += 1
    return j


def _one(m: re.Match[str], i: int, lines: list[str], rule_id: str, gaps: set[int], fps: set[int], keep: bool) -> str:
    ids = [x.strip() for x in m["ids"].split(",")]
    kind = m["kind"]
    if rule_id not in ids or not keep:
        return f"{m['lead']}{kind} (other rule or none expected here) {', '.join(ids)}"
    target = _target_line(lines, i)
    if kind == "ruleid" and target in gaps:
        kind = "todoruleid"
    elif kind == "ok" and target in fps:
        kind = "todook"
    return f"{m['lead']}{kind}: {rule_id}"


def write_targets(outdir: Path, rule_ids: list[str] | None = None, all_servers: bool = False) -> list[Path]:
    """Write the targets of every pack rule (or of ``rule_ids``) into ``outdir``."""
    listed = resolve(read_known_gaps())
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for rule_id in rule_ids if rule_ids is not None else pack_rule_ids():
        for source in corpus_files(rule_id, all_servers):
            rel = source.relative_to(CORPUS).as_posix()
            entries = listed.get((rule_id, rel), {})
            gaps = {n for n, e in entries.items() if e.kind == "gap"}
            fps = {n for n, e in entries.items() if e.kind == "false positive"}
            target = outdir / target_name(rule_id, source)
            text = source.read_text(encoding="utf-8")
            target.write_text(rewrite(text, rule_id, gaps, fps), encoding="utf-8")
            written.append(target)
    return written


def semgrep_binary() -> str | None:
    from analyzer.engines.semgrep import find_semgrep

    return find_semgrep()


def run_semgrep_test(outdir: Path, binary: str, rules: Path = RULES) -> subprocess.CompletedProcess:
    from analyzer.engines.semgrep import OFFLINE_FLAGS, offline_env

    return subprocess.run([binary, "--test", *OFFLINE_FLAGS, "--config", str(rules), str(outdir)],
                          capture_output=True, text=True, env=offline_env(), check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", nargs="?", type=Path, help="where to write the targets")
    parser.add_argument("--run", action="store_true", help="write into a temporary directory and run semgrep --test there")
    parser.add_argument("--all-servers", action="store_true", help="copy every server for every rule, annotated or not")
    args = parser.parse_args(argv)
    if not args.run and not args.outdir:
        parser.error("give OUTDIR or --run")
    try:
        if not args.run:
            if args.outdir.resolve() == RULES.resolve():
                parser.error("rules/ holds only the pack: give another OUTDIR, or --run to use a temporary one")
            written = write_targets(args.outdir, all_servers=args.all_servers)
            print(f"{len(written)} Semgrep test targets written to {args.outdir}")
            return 0
        binary = semgrep_binary()
        if binary is None:
            print("semgrep is not installed: pip install 'mcpleaks[semgrep]'", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory(prefix="mcpleaks-semgrep-tests-") as tmp:
            write_targets(Path(tmp), all_servers=args.all_servers)
            done = run_semgrep_test(Path(tmp), binary)
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            return done.returncode
    except GapsError as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
