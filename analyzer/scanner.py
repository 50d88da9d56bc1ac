"""The pipeline: discover → engines (one parse per file) → suppressions → sorted result.

Files are scanned in parallel worker processes when there are enough of them to pay for
the start-up. Nothing scanned is ever imported or executed.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from analyzer import decoding, secrets, suppress
from analyzer.discover import SourceFile, discover
from analyzer.engines import engine_for
from analyzer.model import Finding, Note, Rule, ScanResult
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
                inline_ignores: bool = True) -> tuple[list[Finding], list[Finding], list[Note]]:
    """Scan one file's text: (kept findings, suppressed findings, notes). Used by the CLI
    workers and the language server. ``inline_ignores`` false: no ``mcpleaks: ignore`` comment
    is honoured (``scan --disable-ignores``). Messages, snippets and notes come out redacted
    (``secrets.redact_text``): no whole secret leaves a scan, and fingerprints are computed
    from the redacted snippet."""
    kept, suppressed, notes = _scan_source(rel, text, language, rule_ids, inline_ignores)
    return ([secrets.redact_finding(f) for f in kept], [secrets.redact_finding(f) for f in suppressed],
            [secrets.redact_note(n) for n in notes])


def _scan_source(rel: str, text: str, language: str, rule_ids: frozenset[str],
                 inline_ignores: bool) -> tuple[list[Finding], list[Finding], list[Note]]:
    engine = engine_for(language)
    if engine is None:
        return [], [], [Note(rel, f"no engine for language {language!r}", "note", "skipped")]
    try:
        findings, notes = engine.scan(rel, text, language, rule_ids)
    except RecursionError:
        return [], [], [Note(rel, "nesting too deep to analyze", "warning", "internal-error")]
    except Exception as e:  # a bug of ours must not end the whole scan
        return [], [], [Note(rel, f"internal error while analyzing: {type(e).__name__}: {e}", "error", "internal-error")]
    if not findings:
        return [], [], notes
    kept, suppressed = suppress.apply(findings, lambda _path: (text, language), enabled=inline_ignores)
    return kept, suppressed, notes


def _scan_file(file: SourceFile, rule_ids: frozenset[str], inline_ignores: bool = True) -> tuple[list[Finding], list[Finding], list[Note]]:
    try:
        data = file.path.read_bytes()
    except OSError as e:
        return [], [], [Note(file.rel, f"could not read: {e.strerror or e}", "warning", "skipped")]
    decoded = decoding.decode(data, file.language)
    notes = [Note(file.rel, message, level, kind) for kind, level, message in decoded.notes]
    if decoded.text is None:
        return [], [], notes
    kept, suppressed, file_notes = scan_source(file.rel, decoded.text, file.language, rule_ids, inline_ignores=inline_ignores)
    return kept, suppressed, notes + file_notes


def _scan_batch(batch: list[SourceFile], rule_ids: frozenset[str],
                inline_ignores: bool = True) -> list[tuple[list[Finding], list[Finding], list[Note]]]:
    return [_scan_file(f, rule_ids, inline_ignores) for f in batch]


def _batches(files: Sequence[SourceFile], n: int) -> Iterable[list[SourceFile]]:
    size = max(1, min(64, len(files) // (n * 4) or 1))
    for i in range(0, len(files), size):
        yield list(files[i:i + size])


Output = tuple[list[Finding], list[Finding], list[Note]]


def _scan_parallel(files: Sequence[SourceFile], rule_ids: frozenset[str], jobs: int, inline_ignores: bool = True) -> list[Output]:
    """Batches in worker processes. A parser that crashes natively (hostile input) takes
    its worker down: the files whose batch did not finish are then scanned one process
    each, so the crash costs one file a note, not the whole scan."""
    batches = list(_batches(files, jobs))
    outputs: list[Output] = []
    unfinished: list[SourceFile] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(batch, pool.submit(_scan_batch, batch, rule_ids, inline_ignores)) for batch in batches]
        for batch, future in futures:
            try:
                outputs.extend(future.result())
            except BrokenProcessPool:
                unfinished.extend(batch)
    for file in unfinished:
        try:
            with ProcessPoolExecutor(max_workers=1) as solo:
                outputs.extend(solo.submit(_scan_batch, [file], rule_ids, inline_ignores).result())
        except BrokenProcessPool:
            outputs.append(([], [], [Note(file.rel, "the parser crashed on this file: not analyzed", "error", "internal-error")]))
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
) -> ScanResult:
    """Discover, scan with the native engines and, with ``semgrep``, with the Semgrep rule pack
    too (one Semgrep run over the same files; findings merged by rule, path and line).
    ``inline_ignores`` false: ``mcpleaks: ignore`` comments suppress nothing."""
    files, notes = discover(paths, root, exclude=exclude, max_bytes=max_bytes, skip_minified=not include_minified,
                            force_exclude=force_exclude, include_folders=include_folders)
    rule_ids = frozenset(r.id for r in selection.rules())
    result = ScanResult(notes=list(notes), files_scanned=len(files))
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        outputs = _scan_parallel(files, rule_ids, jobs, inline_ignores)
    else:
        outputs = [_scan_file(f, rule_ids, inline_ignores) for f in files]
    for kept, suppressed, file_notes in outputs:
        result.findings.extend(kept)
        result.suppressed.extend(suppressed)
        result.notes.extend(file_notes)
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    result.findings = _dedupe(result.findings)
    if semgrep:
        _add_semgrep(result, files, rule_ids, jobs, inline_ignores)
    return result


def _add_semgrep(result: ScanResult, files: Sequence[SourceFile], rule_ids: frozenset[str], jobs: int,
                 inline_ignores: bool = True) -> None:
    from analyzer.engines import semgrep

    run = semgrep.scan_files(files, rule_ids, jobs=jobs, inline_ignores=inline_ignores)
    result.findings = semgrep.merge(result.findings, [secrets.redact_finding(f) for f in run.findings])
    result.suppressed = semgrep.merge(result.suppressed, [secrets.redact_finding(f) for f in run.suppressed])
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
