"""The language server (``mcpleaks lsp``): findings in the editor, on open, change and save.

A pygls server over stdio. Documents are scanned in process by the same engines as the CLI
(``scanner.scan_source``: one parse, every selected rule); nothing is run per keystroke but
that, and edits are debounced. What the editor gets:

- diagnostics for Python, JavaScript/TypeScript and MCP client configs (JSON): ``code`` = rule id (linked to the rule's docs), ``source`` = ``mcpleaks``,
  severity from the rule, the related locations (the send call) as ``relatedInformation``;
  published on ``didOpen``, ``didSave`` and (after ``DEBOUNCE_SECONDS`` of quiet)
  ``didChange``, cleared on ``didClose``;
- the same text is not scanned twice: a save after the debounced scan of an edit
  republishes that scan's diagnostics at once;
- a quick fix per diagnostic, "Suppress <rule> on this line", which adds the rule to the
  ``mcpleaks: ignore[...]`` comment that covers the line, or appends one at the end of the
  line, or, where that would not be a real comment (the line ends inside a multi-line string,
  template literal or f-string, or continues with a backslash), puts one on its own line above
  the statement; every new comment is checked to suppress the finding before it is offered.

Findings count lines and code points from 1; LSP counts lines from 0 and characters in the
negotiated position encoding (UTF-16 code units unless the client offers another), so every
column is converted through the line's text. The settings (select, ignore, exclude,
max-file-size) are read from the closest ``.mcpleaks.toml``, ``mcpleaks.toml`` or ``pyproject.toml``
with ``[tool.mcpleaks]`` of each document (analyzer.config), and re-read when one is saved. A document that
does not parse gets no diagnostics and no crash.
"""
from __future__ import annotations

import asyncio
import hashlib
import gc
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import PositionCodec

from analyzer import __version__, ignore, suppress
from analyzer.config import CONFIG_FILES, Config, ConfigError, load_config
from analyzer.discover import detect_language, shebang_language
from analyzer.model import NOT_ANALYSED, Finding, Location, Note
from analyzer.report.sarif import RULE_DOCS_URL
from analyzer.rules import all_rules, rules_by_id
from analyzer.scanner import Selection, scan_source, source_lines
from analyzer.secrets import redact_finding, redact_text

SOURCE = "mcpleaks"
DEBOUNCE_SECONDS = 0.15
LANGUAGE_IDS = {  # LSP languageId -> engine language
    "python": "python",
    "javascript": "javascript",
    "javascriptreact": "javascript",
    "typescript": "typescript",
    "typescriptreact": "tsx",
    "json": "json",
    "jsonc": "json",
}
COMMENT_MARKERS = {"python": "#", "javascript": "//", "typescript": "//", "tsx": "//"}
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "note": types.DiagnosticSeverity.Information,
}
_WARMUP = {"python": "import smtplib\n", "javascript": "const x = 1;\n", "typescript": "const x: number = 1;\n"}

log = logging.getLogger("mcpleaks.lsp")


@dataclass(frozen=True)
class Settings:
    """What applies to one document: the rules to run, or None when it is excluded."""

    rule_ids: frozenset[str] | None
    max_bytes: int | None
    problem: str = ""  # a configuration problem to tell the user about


class MCPLeaksServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("mcpleaks", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.told: set = set()  # configuration problems (and unanalysable documents) already shown
        # per document: the key of the last text scanned (content hash, language, rules,
        # path) and its diagnostics; the same text is not scanned twice
        self.scanned: dict[str, tuple[tuple, list[types.Diagnostic]]] = {}

    # -- scanning --------------------------------------------------------------------

    def lint(self, uri: str) -> None:
        """Scan the open document ``uri`` and publish its diagnostics."""
        self.cancel(uri)
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            return
        try:
            diagnostics = self.diagnose(uri, document.source, document.language_id)
        except Exception:  # never take the editor's session down
            log.exception("mcpleaks failed on %s", uri)
            diagnostics = []
        if diagnostics is None:
            return
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )

    def lint_all(self) -> None:
        """Every open document again (after a settings change)."""
        self.told.clear()
        self.scanned.clear()
        for uri in list(self.published):
            self.lint(uri)

    def diagnose(self, uri: str, text: str, language_id: str | None) -> list[types.Diagnostic] | None:
        """The document's diagnostics; None when mcpleaks does not read its language."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        language = document_language(path or uri, language_id, text)
        if language is None:
            return None
        settings = self.settings(Path(path) if path else None)
        if settings.problem and settings.problem not in self.told:
            self.told.add(settings.problem)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=f"mcpleaks: {redact_text(settings.problem)}"))
        if settings.rule_ids is None or not settings.rule_ids:
            return []
        data = text.encode("utf-8", "surrogatepass")
        if settings.max_bytes and len(data) > settings.max_bytes:
            log.info("%s: over max-file-size, not scanned", uri)
            return []
        root = self.root_for(path)
        rel = _relative(path, root) if path else PurePosixPath(uri).name
        key = (hashlib.blake2b(data, digest_size=16).digest(), language, settings.rule_ids, rel)
        cached = self.scanned.get(uri)
        if cached is not None and cached[0] == key:  # e.g. a save after the debounced scan of the same text
            return list(cached[1])
        findings, _suppressed, notes = scan_source(rel, text, language, settings.rule_ids)
        for note in notes:
            log.log(logging.ERROR if note.kind == "internal-error" else logging.DEBUG, "%s: %s", uri, redact_text(note.message))
            self.tell(uri, rel, note)
        lines = source_lines(text)
        codec = self.workspace.position_codec
        diagnostics = [to_diagnostic(f, uri, rel, lines, codec, root) for f in findings]
        self.scanned[uri] = (key, diagnostics)
        return list(diagnostics)

    def tell(self, uri: str, rel: str, note: Note) -> None:
        """Why a document has no diagnostics: every note saying that code was not analysed
        goes to the client's log (``window/logMessage``); one at level error (a file refused
        because it could crash the parser, a parser crash) is also shown to the user
        (``window/showMessage``), once per document and message, since a hostile file may
        be shaped so on purpose to hide from the scan. Syntax errors met while typing are
        only logged."""
        if note.kind not in NOT_ANALYSED:
            return
        message = f"mcpleaks: {rel}: {note.message}"
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))
        if note.level == "error" and (uri, note.message) not in self.told:
            self.told.add((uri, note.message))
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def settings(self, path: Path | None) -> Settings:
        """The settings of the document's closest configuration file (of the workspace
        root for an unsaved document); defaults, and a problem to show, when it is invalid."""
        start = path.parent if path else (Path(self.workspace.root_path) if self.workspace.root_path else None)
        if start is None:
            return Settings(_rule_ids(Config()), Config().max_file_size)
        try:
            config = load_config(start)
        except ConfigError as e:
            return Settings(_rule_ids(Config()), Config().max_file_size, f"{e}; using the defaults")
        known = rules_by_id()
        unknown = sorted({i for i in [*(config.select or ()), *config.ignore] if i not in known})
        problem = f"{config.source}: unknown rule id(s) {', '.join(unknown)} (ignored)" if unknown else ""
        if path is not None and config.source is not None and _excluded(path, config):
            return Settings(None, config.max_file_size, problem)
        return Settings(_rule_ids(config), config.max_file_size, problem)

    def root_for(self, path: str | None) -> Path | None:
        """The workspace folder holding ``path`` (the deepest), else the workspace root."""
        if path is None:
            return None
        candidates = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        if self.workspace.root_path:
            candidates.append(self.workspace.root_path)
        inside = [Path(c) for c in candidates if c and _is_inside(path, c)]
        return max(inside, key=lambda p: len(p.parts)) if inside else Path(path).parent

    # -- debouncing ------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        self.cancel(uri)
        self.pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.lint, uri)

    def cancel(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def clear(self, uri: str) -> None:
        self.cancel(uri)
        self.published.pop(uri, None)
        self.scanned.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- code actions ----------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            return []
        path = to_fs_path(uri) if uri.startswith("file:") else None
        language = document_language(path or uri, document.language_id, document.source)
        # JSON takes no comments, except JSONC (VS Code's mcp.json); strict JSON configs
        # (Claude Desktop's) would break
        marker = "//" if document.language_id == "jsonc" else COMMENT_MARKERS.get(language or "")
        if marker is None:
            return []
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and d.code]
        if not ours:  # a client that sends no context: use what was published there
            ours = [d for d in self.published.get(uri, []) if _overlaps(d.range, params.range)]
        lines = source_lines(document.source)
        actions: list[types.CodeAction] = []
        seen: set[tuple[str, int]] = set()
        for diagnostic in ours:
            rule_id, line = str(diagnostic.code), diagnostic.range.start.line
            if (rule_id, line) in seen:
                continue
            seen.add((rule_id, line))
            edit = suppression_edit(lines, line, rule_id, marker, self.workspace.position_codec, _line_break(document.source),
                                    language="json" if document.language_id == "jsonc" else language)
            if edit is None:
                continue
            actions.append(types.CodeAction(
                title=f"Suppress {rule_id} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            ))
        return actions

    def warm_up(self) -> None:
        """Import the parsers once, before the first document arrives."""
        rule_ids = frozenset(r.id for r in all_rules())
        for language, text in _WARMUP.items():
            try:
                scan_source(f"warmup.{language}", text, language, rule_ids)
            except Exception:  # pragma: no cover - a broken engine shows up on real documents
                log.exception("warm-up of the %s engine failed", language)
        # What is loaded now (parsers, grammars, rule tables) lives as long as the server:
        # keep it out of the garbage collector's full passes, which otherwise walk it on
        # every few keystrokes (measured: p95 of a re-scan 126 -> 83 ms on 1,000 lines).
        gc.collect()
        gc.freeze()


def document_language(path: str, language_id: str | None, text: str) -> str | None:
    """The engine language of a document: from its languageId, else its extension, else
    its shebang line."""
    if language_id in LANGUAGE_IDS:
        return LANGUAGE_IDS[language_id]
    if os.path.splitext(path)[1]:
        try:
            return detect_language(path, read_shebang=False)
        except OSError:
            return None
    return shebang_language(text.split("\n", 1)[0])


def to_diagnostic(
    finding: Finding, uri: str, rel: str, lines: Sequence[str], codec: PositionCodec, root: Path | None
) -> types.Diagnostic:
    """The diagnostic of ``finding``; its message and related messages go through
    ``secrets.redact_text`` here, the language server's output boundary."""
    finding = redact_finding(finding)
    diagnostic = types.Diagnostic(
        range=lsp_range(lines, finding.line, finding.col, finding.end_line, finding.end_col, codec),
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule_id,
        code_description=types.CodeDescription(href=RULE_DOCS_URL.format(id=finding.rule_id)),
        source=SOURCE,
        data={"rule_id": finding.rule_id, "fingerprint": finding.fingerprint()},
    )
    related = [_related(loc, uri, rel, lines, codec, root) for loc in finding.related]
    # the data flow's steps, numbered, after the related locations
    related += [_related(replace(loc, message=f"flow {i}/{len(finding.flow)}: {loc.message}"), uri, rel, lines, codec, root)
                for i, loc in enumerate(finding.flow, 1)]
    if related:
        diagnostic.related_information = related
    return diagnostic


def lsp_range(lines: Sequence[str], line: int, col: int, end_line: int, end_col: int, codec: PositionCodec) -> types.Range:
    """1-based code-point positions (end exclusive) as an LSP range in the client's units."""
    return types.Range(start=lsp_position(lines, line, col, codec), end=lsp_position(lines, end_line, end_col, codec))


def lsp_position(lines: Sequence[str], line: int, col: int, codec: PositionCodec) -> types.Position:
    index = max(line - 1, 0)
    if index >= len(lines):
        return types.Position(line=max(len(lines) - 1, 0), character=codec.client_num_units(lines[-1]) if lines else 0)
    text = lines[index]
    return types.Position(line=index, character=codec.client_num_units(text[: max(col - 1, 0)]))


def suppression_edit(
    lines: Sequence[str], line: int, rule_id: str, marker: str, codec: PositionCodec, newline: str = "\n",
    *, language: str | None = None,
) -> types.TextEdit | None:
    """The edit that suppresses ``rule_id`` for a finding that starts on 0-based ``line``:

    1. the id added to the ``mcpleaks: ignore[...]`` directive that already covers the line;
    2. else a trailing comment at the end of the line, when it is a real comment there (not
       when the line ends inside a multi-line string, template literal or f-string, nor after a
       Python line continuation);
    3. else a comment line above the statement: above the first of the lines joined to this
       one by a multi-line literal or a backslash continuation, with that line's indentation
       (such a comment covers every line of the join, see ``analyzer.suppress``).

    Each new comment is checked by reading the edited text's comments as the scanner does: the
    edit is offered only if it suppresses the finding. None when nothing would (or a bare
    ignore already covers the line). ``language`` defaults from ``marker`` (``#``: Python)."""
    if not 0 <= line < len(lines):
        return None
    language = language or ("python" if marker == "#" else "javascript")
    text = newline.join(lines)
    target = line + 1
    covering = [d for d in suppress.directives(text, language) if d.covers(target)]
    if any("*" in d.ids or rule_id.lower() in d.ids for d in covering):
        return None  # already suppressed (a bare ignore silences every rule)
    for directive in sorted(covering, key=lambda d: d.line != target):  # the line's own comment first
        if directive.bracket is not None:
            at_line, column = directive.bracket
            at = types.Position(line=at_line - 1, character=codec.client_num_units(lines[at_line - 1][:column]))
            return types.TextEdit(range=types.Range(start=at, end=at), new_text=", " + rule_id)
    comment = f"{marker} mcpleaks: ignore[{rule_id}]"
    current = lines[line]
    stripped = current.rstrip()
    if not (language == "python" and stripped.endswith("\\")):
        gap = "  " if marker == "#" else " "
        added = (gap if stripped else "") + comment
        if _suppresses([*lines[:line], stripped + added, *lines[line + 1:]], target, rule_id, language, newline):
            start = types.Position(line=line, character=codec.client_num_units(stripped))
            end = types.Position(line=line, character=codec.client_num_units(current))
            return types.TextEdit(range=types.Range(start=start, end=end), new_text=added)
    joined = suppress.joined_lines(text, language)
    first = line
    while first > 0 and first in joined:  # 0-based line first - 1 is 1-based line first
        first -= 1
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    if _suppresses([*lines[:first], indent + comment, *lines[first:]], target + 1, rule_id, language, newline):
        at = types.Position(line=first, character=0)
        return types.TextEdit(range=types.Range(start=at, end=at), new_text=f"{indent}{comment}{newline}")
    return None


def _suppresses(lines: Sequence[str], line: int, rule_id: str, language: str, newline: str) -> bool:
    """Whether a finding of ``rule_id`` on 1-based ``line`` of ``lines`` is suppressed."""
    ids = suppress.suppressed_ids(newline.join(lines), language, line)
    return ids is not None and ("*" in ids or rule_id.lower() in ids)


def _related(loc: Location, uri: str, rel: str, lines: Sequence[str], codec: PositionCodec, root: Path | None) -> types.DiagnosticRelatedInformation:
    if loc.path == rel:
        target_uri, target_lines = uri, lines
    else:
        target = (root / loc.path) if root is not None else Path(loc.path)
        target_uri = from_fs_path(str(target)) or uri
        target_lines = _read_lines(target)
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=target_uri, range=lsp_range(target_lines, loc.line, loc.col, loc.end_line, loc.end_col, codec)),
        message=loc.message or "related location",
    )


def _read_lines(path: Path) -> list[str]:
    try:
        return source_lines(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def _is_config(uri: str) -> bool:
    return uri.rsplit("/", 1)[-1] in CONFIG_FILES


def _rule_ids(config: Config) -> frozenset[str]:
    selection = Selection(frozenset(config.select) if config.select is not None else None, frozenset(config.ignore))
    return frozenset(r.id for r in selection.rules())


def _excluded(path: Path, config: Config) -> bool:
    assert config.source is not None
    try:
        rel = path.absolute().relative_to(config.source.parent.absolute()).as_posix()
    except ValueError:
        return False
    return bool(config.exclude) and ignore.Spec.from_lines(config.exclude).match_path(rel)


def _relative(path: str, root: Path | None) -> str:
    if root is not None and _is_inside(path, str(root)):
        return Path(os.path.relpath(path, root)).as_posix()
    return Path(path).name


def _is_inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath((os.path.abspath(path), os.path.abspath(directory))) == os.path.abspath(directory)
    except ValueError:
        return False


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (b.start.line, b.start.character) <= (a.end.line, a.end.character)


def _line_break(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def create_server() -> MCPLeaksServer:
    server = MCPLeaksServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: MCPLeaksServer, params: types.InitializedParams) -> None:
        ls.warm_up()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MCPLeaksServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MCPLeaksServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: MCPLeaksServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config(uri):  # settings may have changed: every open document again
            ls.lint_all()
        ls.lint(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: MCPLeaksServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.lint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MCPLeaksServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    def code_action(ls: MCPLeaksServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    return server


def main(log_file: str | None = None) -> int:
    """Serve over stdio until the client says exit. Logs go to ``log_file`` or stderr,
    never to stdout (the protocol's channel)."""
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO if log_file else logging.WARNING)
    create_server().start_io()
    return 0
