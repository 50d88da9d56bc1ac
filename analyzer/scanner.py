"""The pipeline: discover → engines (one parse per file) → suppressions → sorted result.

Files are scanned in parallel worker processes when there are enough of them to pay for
the start-up. Nothing scanned is ever imported or executed.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from analyzer import decoding, roles, secrets, suppress
from analyzer.discover import SourceFile, discover
from analyzer.engines import engine_for
from analyzer.model import Finding, Note, Rule, ScanResult
from analyzer.progress import NoProgress, Progress
from analyzer.rules import all_rules

PARALLEL_MIN_FILES = 48
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Selection:
    """Which rules run: ids to select (None = all), ids to ignore, categories (empty = all)."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()

    def rules(self) -> list[Rule]:
        return [r for r in all_rules()
                if (self.select is None or r.id in self.select)
                and r.id not in self.ignore
                and (not self.categories or r.category in self.categories)]


def source_lines(text: str) -> list[str]:
    """Lines as GitHub and libcst count them (CRLF, CR or LF)."""
    return _LINE_BREAK.split(text)


def scan_source(rel: str, text: str, language: str, rule_ids: frozenset[str], *,
                inline_ignores: bool = True, include_tests: bool = False) -> tuple[list[Finding], list[Finding], list[Note]]:
    """Scan one file's text: (kept findings, suppressed findings, notes). Used by the language
    server (the CLI workers use :func:`analyse`, which also says what the test-code policy left out)."""
    result = analyse(rel, text, language, Options(rule_ids, inline_ignores, include_tests))
    return result.kept, result.suppressed, result.notes


@dataclass(frozen=True)
class Options:
    """What a scan asks of each file."""

    rule_ids: frozenset[str]
    inline_ignores: bool = True  # false: no ``mcpleaks: ignore`` comment is honoured (``--disable-ignores``)
    include_tests: bool = False  # true: test code and developer scripts are reported like the server (``--include-tests``)
    install_time: frozenset[str] = frozenset()  # files a package.json runs at install: the server's, wherever they sit


@dataclass
class FileResult:
    path: str = ""
    kept: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    role: str = roles.SERVER
    left_out: int = 0  # findings the test-code policy left out


def analyse(rel: str, text: str, language: str, options: Options) -> FileResult:
    """One file's text through its engine, the test-code policy (:mod:`analyzer.roles`) and
    the inline suppressions. Messages, snippets and notes come out redacted
    (``secrets.redact_text``): no whole secret leaves a scan, and fingerprints are computed
    from the redacted snippet."""
    result = _analyse(rel, text, language, options)
    result.kept = [secrets.redact_finding(f) for f in result.kept]
    result.suppressed = [secrets.redact_finding(f) for f in result.suppressed]
    result.notes = [secrets.redact_note(n) for n in result.notes]
    return result


def _analyse(rel: str, text: str, language: str, options: Options) -> FileResult:
    engine = engine_for(language)
    if engine is None:
        return FileResult(rel, notes=[Note(rel, f"no engine for language {language!r}", "note", "skipped")])
    file_role = roles.SERVER if options.include_tests or rel in options.install_time else roles.role(rel)
    if file_role == roles.SCRIPT and roles.starts_server(text):
        file_role = roles.SERVER  # scripts/start-server.ts: the server's own start-up
    try:
        findings, notes = engine.scan(rel, text, language, options.rule_ids)
    except RecursionError:
        return FileResult(rel, notes=[Note(rel, "nesting too deep to analyze", "warning", "internal-error")], role=file_role)
    except Exception as e:  # a bug of ours must not end the whole scan
        return FileResult(rel, notes=[Note(rel, f"internal error while analyzing: {type(e).__name__}: {e}", "error", "internal-error")],
                          role=file_role)
    findings, left_out = roles.reported_in(file_role, findings, _categories()) if not options.include_tests else (findings, 0)
    if not findings:
        return FileResult(rel, notes=notes, role=file_role, left_out=left_out)
    kept, suppressed = suppress.apply(findings, lambda _path: (text, language), enabled=options.inline_ignores)
    return FileResult(rel, kept, suppressed, notes, file_role, left_out)


@lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    return {r.id: r.category for r in all_rules()}


def _scan_file(file: SourceFile, options: Options) -> FileResult:
    try:
        data = file.path.read_bytes()
    except OSError as e:
        return FileResult(file.rel, notes=[Note(file.rel, f"could not read: {e.strerror or e}", "warning", "skipped")])
    decoded = decoding.decode(data, file.language)
    notes = [Note(file.rel, message, level, kind) for kind, level, message in decoded.notes]
    if decoded.text is None:
        return FileResult(file.rel, notes=notes)
    result = analyse(file.rel, decoded.text, file.language, options)
    result.notes = notes + result.notes
    return result


def _scan_batch(batch: list[SourceFile], options: Options) -> list[FileResult]:
    return [_scan_file(f, options) for f in batch]


def _batches(files: Sequence[SourceFile], n: int) -> Iterable[list[SourceFile]]:
    size = max(1, min(64, len(files) // (n * 4) or 1))
    for i in range(0, len(files), size):
        yield list(files[i:i + size])


def _scan_parallel(files: Sequence[SourceFile], options: Options, jobs: int, progress: Progress) -> list[FileResult]:
    """Batches in worker processes. A parser that crashes natively (hostile input) takes
    its worker down: the files whose batch did not finish are then scanned one process
    each, so the crash costs one file a note, not the whole scan. Results are taken in the
    order of the batches, whatever order they finish in."""
    batches = list(_batches(files, jobs))
    outputs: list[FileResult] = []
    unfinished: list[SourceFile] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(batch, pool.submit(_scan_batch, batch, options)) for batch in batches]
        sizes = {future: len(batch) for batch, future in futures}
        pending = set(sizes)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            progress.advance(sum(sizes[f] for f in done))
        for batch, future in futures:
            try:
                outputs.extend(future.result())
            except BrokenProcessPool:
                unfinished.extend(batch)
    for file in unfinished:
        try:
            with ProcessPoolExecutor(max_workers=1) as solo:
                outputs.extend(solo.submit(_scan_batch, [file], options).result())
        except BrokenProcessPool:
            outputs.append(FileResult(file.rel, notes=[Note(file.rel, "the parser crashed on this file: not analyzed", "error", "internal-error")]))
    return outputs


def scan_paths(
    paths: Sequence[str | Path],
    root: Path,
    selection: Selection,
    *,
    exclude: Sequence[str] = (),
    max_bytes: int | None = 1_000_000,
    include_minified: bool = False,
    jobs: int | None = None,
    force_exclude: bool = False,
    semgrep: bool = False,
    inline_ignores: bool = True,
    include_folders: Sequence[str] = (),
    include_tests: bool = False,
    progress: Progress | None = None,
) -> ScanResult:
    """Discover, scan with the native engines and, with ``semgrep``, with the Semgrep rule pack
    too (one Semgrep run over the same files; findings merged by rule, path and line).
    ``inline_ignores`` false: ``mcpleaks: ignore`` comments suppress nothing. ``include_tests``:
    test code and developer scripts are reported like the server. ``progress`` is told the
    phases and the files done (analyzer.progress; nothing is shown without it)."""
    progress = progress or NoProgress()
    progress.phase("discovering files")
    files, notes = discover(paths, root, exclude=exclude, max_bytes=max_bytes, skip_minified=not include_minified,
                            force_exclude=force_exclude, include_folders=include_folders)
    options = Options(frozenset(r.id for r in selection.rules()), inline_ignores, include_tests,
                      frozenset() if include_tests else roles.install_time(files))
    result = ScanResult(notes=list(notes), files_scanned=len(files))
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    progress.phase("scanning", total=len(files))
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        outputs = _scan_parallel(files, options, jobs, progress)
    else:
        outputs = []
        for f in files:
            outputs.append(_scan_file(f, options))
            progress.advance()
    not_server: set[str] = set()
    for output in outputs:
        result.findings.extend(output.kept)
        result.suppressed.extend(output.suppressed)
        result.notes.extend(output.notes)
        result.test_code_findings += output.left_out
        if output.role != roles.SERVER:
            not_server.add(output.path)
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    result.findings = _dedupe(result.findings)
    if semgrep:
        progress.phase("running Semgrep")
        _add_semgrep(result, files, options, jobs, not_server)
    return result


def _add_semgrep(result: ScanResult, files: Sequence[SourceFile], options: Options, jobs: int, not_server: set[str]) -> None:
    """The Semgrep pack's findings merged in; in test code and developer scripts it reports
    nothing of its own (its secret rules cannot tell a live-key shape from a name match)."""
    from analyzer.engines import semgrep

    run = semgrep.scan_files(files, options.rule_ids, jobs=jobs, inline_ignores=options.inline_ignores)
    found = [secrets.redact_finding(f) for f in run.findings if f.path not in not_server]
    result.findings = semgrep.merge(result.findings, found)
    result.suppressed = semgrep.merge(result.suppressed, [secrets.redact_finding(f) for f in run.suppressed if f.path not in not_server])
    result.notes.extend(secrets.redact_note(n) for n in run.notes)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple] = set()
    for f in findings:
        key = (f.rule_id, f.path, f.line, f.col, f.end_line, f.end_col)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
