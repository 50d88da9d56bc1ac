"""Command line: ``mcpleaks scan | diff | audit | rules | explain | lsp``.

Exit codes (like ruff and semgrep): 0 no findings, 1 findings, 2 usage or internal error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from analyzer import __version__
from analyzer.baseline import BaselineError
from analyzer.config import Config, ConfigError, load_config
from analyzer.model import NOT_ANALYSED, Finding, Rule
from analyzer.report import FORMATS, render
from analyzer.secrets import redact_text
from analyzer.safeio import UnsafeFile, write_replacing
from analyzer.rules import all_rules, rules_by_id

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CATEGORIES = ("hidden-recipient", "exfiltration", "hardcoded-secret", "secret-in-prompt", "payload-logging")

DESCRIPTION = """\
mcpleaks finds the ways MCP (Model Context Protocol) servers leak secrets and data:
hidden email recipients, exfiltration, hard-coded secrets, secrets reaching the model,
and verbose payload logging. It reads Python, JavaScript and TypeScript; it never
imports, runs or installs the code it scans."""

SCAN_EPILOG = """\
exit status: 0 no findings, 1 findings, 2 usage or internal error, a path that does not
exist or cannot be read, or (with --strict) code that was not fully analysed.

configuration: the closest .mcpleaks.toml, mcpleaks.toml (keys at the top level) or
pyproject.toml with [tool.mcpleaks], from the current directory up (select, ignore, exclude,
max-file-size, include-minified); flags override it. The summary
names the file used. --isolated ignores every configuration file.

suppress a finding with a comment (a real one: not in a string) at the end of its line, or
alone on the line above (above a statement, it also covers the lines of a multi-line string,
template or f-string that starts on the statement's line):
  # mcpleaks: ignore[hidden-email-recipient]      (Python)
  // mcpleaks: ignore[hidden-email-recipient]     (JavaScript/TypeScript)
suppressed findings stay in JSON and SARIF (SARIF "suppressions"); --show-suppressed lists
them in text; --disable-ignores reports them as if no comment or baseline existed.

baseline: accept today's findings, fail only on new ones:
  mcpleaks scan --write-baseline .mcpleaks-baseline.json
  mcpleaks scan --baseline .mcpleaks-baseline.json

examples:
  mcpleaks scan                                   scan the current directory
  mcpleaks scan src/ --format sarif --output mcpleaks.sarif
  mcpleaks scan server.ts --select hidden-email-recipient
  mcpleaks scan --semgrep --format sarif -o mcpleaks.sarif   native and Semgrep engines, one report
  mcpleaks scan --isolated --disable-ignores      audit a third-party package: its own config,
                                                  ignore comments and baseline count for nothing
  mcpleaks explain hidden-email-recipient"""


def _ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _folder_classes(value: str) -> list[str]:
    from analyzer.discover import FOLDER_CLASSES

    classes = _ids(value)
    unknown = [c for c in classes if c not in FOLDER_CLASSES and c != "all"]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown folder class {', '.join(unknown)} (choose from "
                                         f"{', '.join(FOLDER_CLASSES)}, all)")
    return list(FOLDER_CLASSES) if "all" in classes else classes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mcpleaks", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mcpleaks {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    scan = sub.add_parser("scan", help="scan files and directories", description="Scan files and directories for MCP leaks.",
                          epilog=SCAN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    scan.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    scan.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    scan.add_argument("--select", type=_ids, metavar="IDS", help="only these rules (comma-separated ids)")
    scan.add_argument("--ignore", type=_ids, default=[], metavar="IDS", help="skip these rules (comma-separated ids)")
    scan.add_argument("--category", action="append", choices=CATEGORIES, default=[], metavar="C",
                      help=f"only rules of this category (repeatable): {', '.join(CATEGORIES)}")
    scan.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                      help="gitignore-style pattern of paths to skip (repeatable)")
    scan.add_argument("--max-file-size", type=int, metavar="BYTES",
                      help="skip files larger than this, with a note (default 1000000; 0 = no limit)")
    scan.add_argument("--include-minified", action="store_true", help="also scan minified bundles")
    scan.add_argument("--include-folders", type=_folder_classes, action="extend", default=[], metavar="CLASSES",
                      help="also walk folders skipped by name: dependencies (node_modules, site-packages), virtualenvs "
                           "(.venv, any folder with a pyvenv.cfg), caches (__pycache__...), or all (comma-separated)")
    scan.add_argument("--include-tests", action="store_true",
                      help="report test code and developer scripts like the server (by default the flow rules are silent "
                           "there and secrets are reported only in a provider's live-key shape; the summary counts what "
                           "was left out)")
    scan.add_argument("--strict", action="store_true",
                      help="exit 2 when any code was not fully analysed (parse failure, budget spent, internal error, "
                           "undecodable, binary, compiled or over-size file), even with no findings; CI should set it")
    scan.add_argument("--force-exclude", action="store_true",
                      help="apply exclude patterns to files named on the command line too (pre-commit names every file)")
    scan.add_argument("--baseline", metavar="FILE",
                      help="leave out the findings recorded in FILE (see --write-baseline); only new ones count")
    scan.add_argument("--write-baseline", metavar="FILE",
                      help="record the current findings in FILE as the baseline and exit 0 (no report)")
    scan.add_argument("--sarif-category", default="mcpleaks/", metavar="ID",
                      help="SARIF automationDetails.id, to tell several uploads apart (default: mcpleaks/)")
    scan.add_argument("--semgrep", action="store_true",
                      help="also run the Semgrep rule pack (rules/) through the Semgrep CLI and merge its findings "
                           "(needs semgrep: pip install 'mcpleaks[semgrep]')")
    scan.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="worker processes, 1 or more (default: CPU count)")
    scan.add_argument("--isolated", "--no-config", dest="isolated", action="store_true",
                      help="ignore every configuration file ((.)mcpleaks.toml, [tool.mcpleaks] in pyproject.toml); "
                           "--no-config is the older name")
    scan.add_argument("--disable-ignores", action="store_true",
                      help="honour no inline `mcpleaks: ignore` comment and no --baseline: report every finding "
                           "(to audit code you do not trust)")
    scan.add_argument("--show-suppressed", action="store_true",
                      help="text output: also list the suppressed findings, with the comment or baseline "
                           "that suppresses each (JSON and SARIF always carry them)")
    progress = scan.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="show a progress line on standard error for scans over a second (default: only on a "
                               "terminal, not in CI)")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress line")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="color text output")

    _add_diff_parser(sub)
    _add_audit_parser(sub)

    rules = sub.add_parser("rules", help="list the rules", description="List every rule: id, category, severity, languages.")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help="show a rule's documentation", description="Show a rule's docs: what it finds, why it matters, an example, how to fix.")
    explain.add_argument("rule", metavar="RULE", help="rule id (see `mcpleaks rules`)")

    lsp = sub.add_parser("lsp", help="run the language server (stdio)",
                         description="Run the mcpleaks language server over standard input and output: "
                                     "diagnostics on open, change and save, and a quick fix to suppress a finding. "
                                     "See docs/editors.md for editor set-ups.")
    lsp.add_argument("--log-file", metavar="FILE", help="write the server's log to FILE")
    lsp.add_argument("--stdio", action="store_true", help="use standard input and output (the default and only transport; "
                     "accepted because some clients add it)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(e.code or 0)
    try:
        if args.command == "scan":
            return cmd_scan(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "lsp":
            return cmd_lsp(args)
        if args.command == "diff":
            return cmd_diff(args)
        if args.command == "audit":
            return cmd_audit(args)
        return cmd_explain(args)
    except (ConfigError, UsageError, BaselineError) as e:
        print(f"mcpleaks: error: {redact_text(str(e))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


class UsageError(Exception):
    pass


def _check_ids(ids: Sequence[str] | None, what: str) -> None:
    known = rules_by_id()
    unknown = [i for i in ids or () if i not in known]
    if unknown:
        raise UsageError(f"unknown rule id(s) in {what}: {', '.join(unknown)} (see `mcpleaks rules`)")


def _root_for(paths: Sequence[str]) -> Path:
    """Paths in reports are relative to the current directory, or to the common parent of
    the scanned paths when they lie outside it."""
    cwd = Path.cwd()
    given = [Path(os.path.abspath(p)) for p in paths]  # not resolved: a link's target is never the root
    if all(p == cwd or cwd in p.parents for p in given):
        return cwd
    common = Path(os.path.commonpath([str(p) for p in given]))
    return common if common.is_dir() and not common.is_symlink() else common.parent


def cmd_scan(args: argparse.Namespace) -> int:
    from analyzer import baseline
    from analyzer.progress import Progress
    from analyzer.progress import wanted as progress_wanted
    from analyzer.scanner import Selection, scan_paths

    config = Config() if args.isolated else load_config(Path.cwd())
    config = config.merged(select=args.select, ignore=args.ignore, exclude=args.exclude,
                           max_file_size=args.max_file_size, include_minified=args.include_minified)
    _check_ids(config.select, "--select / select")
    _check_ids(config.ignore, "--ignore / ignore")
    if args.max_file_size is not None and args.max_file_size < 0:
        raise UsageError("--max-file-size must be 0 (no limit) or a positive number of bytes")
    selection = Selection(frozenset(config.select) if config.select is not None else None, frozenset(config.ignore), frozenset(args.category))
    rules = selection.rules()
    if not rules:
        raise UsageError("no rule is selected (check --select, --ignore and --category)")
    if args.write_baseline and args.output:
        raise UsageError("--write-baseline writes the baseline, not a report: drop --output")
    # a bad file fails before the scan; --disable-ignores: as if there were no baseline
    known = baseline.load(Path(args.baseline)) if args.baseline and not args.disable_ignores else None
    if args.semgrep:
        _require_semgrep()
    _check_paths(args.paths)
    root = _root_for(args.paths)
    exclude = _rebase(config, root)
    try:
        with Progress(sys.stderr, progress_wanted(args.progress, sys.stderr)) as progress:
            result = scan_paths(args.paths, root, selection, exclude=exclude, max_bytes=config.max_file_size,
                                include_minified=config.include_minified, jobs=args.jobs, force_exclude=args.force_exclude,
                                semgrep=args.semgrep, inline_ignores=not args.disable_ignores,
                                include_folders=args.include_folders, include_tests=args.include_tests,
                                progress=progress)
    except ValueError as e:  # an invalid exclude pattern
        raise UsageError(str(e)) from e
    result.config = _config_name(config, root)
    internal_error = any(n.kind == "internal-error" for n in result.notes)
    if args.write_baseline:
        messages = {r.id: r.message for r in rules}
        count = baseline.write(Path(args.write_baseline), result.findings, root, messages)
        print(f"mcpleaks: {count} finding(s) written to the baseline {args.write_baseline}", file=sys.stderr)
        for note in result.notes:
            if note.kind == "internal-error":
                print(f"mcpleaks: {note.path}: {redact_text(note.message)}", file=sys.stderr)
        return EXIT_ERROR if internal_error else EXIT_CLEAN
    if known is not None:
        result.findings, old = known.split(result.findings, root)
        result.suppressed = sorted([*result.suppressed, *old], key=Finding.sort_key)
    color = args.color == "always" or (args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    report = render(args.format, result, rules, root, automation_id=args.sarif_category, color=color,
                    show_suppressed=args.show_suppressed)
    if args.output:
        try:
            write_replacing(Path(args.output), report)
        except UnsafeFile as e:
            raise UsageError(f"{args.output}: {e}") from None
        except OSError as e:
            raise UsageError(f"cannot write {args.output}: {e.strerror or e}") from e
        if result.findings:
            print(f"mcpleaks: {len(result.findings)} finding(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(report)
    if internal_error:
        return EXIT_ERROR
    if args.strict and (not_analysed := [n for n in result.notes if n.kind in NOT_ANALYSED]):
        print(f"mcpleaks: --strict: {len(not_analysed)} file(s) or part(s) not fully analysed (see the notes)", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _check_paths(paths: Sequence[str]) -> None:
    """A path on the command line that does not exist or cannot be read is an error (exit 2),
    not an empty scan: a mistyped path in CI must not pass, nor upload an empty report."""
    problems = []
    for path in paths:
        if not os.path.lexists(path):
            problems.append(f"{path}: no such file or directory")
        elif os.path.exists(path) and not os.access(path, os.R_OK | (os.X_OK if os.path.isdir(path) else 0)):
            problems.append(f"{path}: permission denied")
    if problems:
        raise UsageError("; ".join(problems))


def _config_name(config: Config, root: Path) -> str | None:
    """The configuration file that applied, as reports name it: relative to the scan root when
    it lies inside it, else absolute."""
    if config.source is None:
        return None
    source = config.source.absolute()
    try:
        return source.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return source.as_posix()


def _require_semgrep() -> None:
    from analyzer.engines import semgrep

    try:
        semgrep.require_semgrep()
    except semgrep.SemgrepNotFound as e:
        raise UsageError(str(e)) from e


def _rebase(config: Config, root: Path) -> list[str]:
    """Config-file patterns are relative to the pyproject's folder; discovery matches
    against the scan root. Anchored patterns are rebased when the two differ."""
    if config.source is None:
        return list(config.exclude)
    base = config.source.parent.resolve()
    if base == root:
        return list(config.exclude)
    try:
        prefix = base.relative_to(root).as_posix()
    except ValueError:
        return list(config.exclude)
    out = []
    for p in config.exclude:
        neg = p.startswith("!")
        body = p[1:] if neg else p
        if "/" in body.rstrip("/"):
            body = f"{prefix}/{body.lstrip('/')}"
        out.append(("!" if neg else "") + body)
    return out


def cmd_rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "json":
        print(json.dumps([{"id": r.id, "category": r.category, "severity": r.severity, "languages": list(r.languages),
                           "message": r.message, "cwe": list(r.cwe), "owasp": list(r.owasp)} for r in rules], indent=2))
        return EXIT_CLEAN
    rows = [("ID", "CATEGORY", "SEVERITY", "LANGUAGES")] + [(r.id, r.category, r.severity, ", ".join(r.languages)) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return EXIT_CLEAN


def explain_text(rule: Rule) -> str:
    head = f"{rule.id} ({rule.category}, {rule.severity})\n{rule.message}\n"
    meta = []
    if rule.cwe:
        meta.append("CWE: " + ", ".join(rule.cwe))
    if rule.owasp:
        meta.append("OWASP MCP Top 10: " + ", ".join(rule.owasp))
    meta.append("Languages: " + ", ".join(rule.languages))
    meta.append(f"Suppress: mcpleaks: ignore[{rule.id}]")
    where = ("Test code and developer scripts (test and script files by path; inside a server file, pytest fixtures, "
             "test_* functions nothing calls, describe/it/test callbacks of a test framework)")
    if rule.category == "hardcoded-secret":
        meta.append(f"{where}: only keys in a provider's live-key shape are reported there (--include-tests reports all)")
    else:
        meta.append(f"{where}: not reported there (--include-tests reports them)")
    return head + "\n".join(meta) + "\n\n" + textwrap.dedent(rule.docs).strip() + "\n"


def cmd_explain(args: argparse.Namespace) -> int:
    rule = rules_by_id().get(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}; known rules: {', '.join(r.id for r in all_rules())}")
    sys.stdout.write(explain_text(rule))
    return EXIT_CLEAN


def cmd_lsp(args: argparse.Namespace) -> int:
    from analyzer import lsp

    return lsp.main(log_file=args.log_file)


# ----------------------------------------------------------------------------- diff and audit
DIFF_EPILOG = """\
OLD and NEW are folders, archives (.tgz as `npm pack` writes it, .whl, .zip, sdist .tar.gz) or
registry specs npm:NAME@VERSION and pypi:NAME==VERSION (downloaded with `npm pack --ignore-scripts`
and PyPI's JSON API; nothing is installed or run). Archives are unpacked into a temporary folder
with links, devices, absolute and `..` paths refused and sizes capped.

exit status: 0 nothing new, 1 a new finding or a new capability, 2 usage or internal error.

examples:
  mcpleaks diff postmark-mcp-1.0.15.tgz postmark-mcp-1.0.16.tgz
  mcpleaks diff npm:postmark-mcp@1.0.15 npm:postmark-mcp@1.0.16 --format sarif -o diff.sarif
  mcpleaks diff pypi:mcp-server-fetch==2025.1.14 pypi:mcp-server-fetch==2025.1.17
  mcpleaks diff old-checkout/ new-checkout/ --format json"""


def _add_common_report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--select", type=_ids, metavar="IDS", help="only these rules (comma-separated ids)")
    p.add_argument("--ignore", type=_ids, default=[], metavar="IDS", help="skip these rules (comma-separated ids)")
    p.add_argument("--category", action="append", choices=CATEGORIES, default=[], metavar="C",
                   help="only rules of this category (repeatable)")
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="worker processes (default: CPU count)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="color text output")


def _add_diff_parser(sub) -> None:
    diff = sub.add_parser("diff", help="what a release adds: new findings and capabilities",
                          description="Compare two releases of a package: the findings new in NEW (matched by the "
                                      "line-free fingerprint, so moved code is not new) and the capabilities NEW has "
                                      "that OLD has not (outbound hosts, e-mail recipients, environment reads, file "
                                      "reads, processes, dependencies, install scripts).",
                          epilog=DIFF_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    diff.add_argument("old", metavar="OLD", help="the older release: folder, archive or registry spec")
    diff.add_argument("new", metavar="NEW", help="the newer release: folder, archive or registry spec")
    _add_common_report_options(diff)
    diff.add_argument("--sarif-category", default="mcpleaks/diff/", metavar="ID", help="SARIF automationDetails.id")


def _add_audit_parser(sub) -> None:
    from analyzer.audit import add_parser

    add_parser(sub, _add_common_report_options)


def _selected_rules(args: argparse.Namespace) -> list[Rule]:
    from analyzer.scanner import Selection

    _check_ids(args.select, "--select")
    _check_ids(args.ignore, "--ignore")
    selection = Selection(frozenset(args.select) if args.select is not None else None, frozenset(args.ignore),
                          frozenset(args.category))
    rules = selection.rules()
    if not rules:
        raise UsageError("no rule is selected (check --select, --ignore and --category)")
    return rules


def _emit(args: argparse.Namespace, report: str, count: int, what: str) -> None:
    if args.output:
        try:
            write_replacing(Path(args.output), report)
        except UnsafeFile as e:
            raise UsageError(f"{args.output}: {e}") from None
        except OSError as e:
            raise UsageError(f"cannot write {args.output}: {e.strerror or e}") from e
        if count:
            print(f"mcpleaks: {count} {what} written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(report)


def _color(args: argparse.Namespace) -> bool:
    return args.color == "always" or (args.color == "auto" and args.output is None and sys.stdout.isatty()
                                      and "NO_COLOR" not in os.environ)


def cmd_diff(args: argparse.Namespace) -> int:
    from analyzer import archive, diff

    rules = _selected_rules(args)
    try:
        result, opened = diff.run(args.old, args.new, rules, jobs=args.jobs)
    except archive.ArchiveError as e:
        raise UsageError(str(e)) from None
    try:
        report = diff.render_diff(args.format, result, rules, color=_color(args), automation_id=args.sarif_category)
    finally:
        for release in opened:
            release.cleanup()
    _emit(args, report, len(result.new_findings) + len(result.added), "new finding(s) and capabilities")
    if any(n.kind == "internal-error" for n in result.notes):
        return EXIT_ERROR
    return EXIT_FINDINGS if result.anything_new else EXIT_CLEAN


def cmd_audit(args: argparse.Namespace) -> int:
    from analyzer import audit

    return audit.command(args, _selected_rules, _emit, _color, UsageError)
