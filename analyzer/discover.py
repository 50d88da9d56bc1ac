"""Find the files to scan: git's view of the tree, and nothing an attacker can hide.

Given paths are walked in sorted order. Walked files and directories obey ``.gitignore``
files (every one from the scan root down, each relative to its own directory, plus
``.git/info/exclude`` at the top), the folder classes skipped by name (dependencies,
virtualenvs, caches: one note per class with a count and the flag that includes it) and
the user's ``exclude`` patterns. In a git work tree the files git tracks are scanned even
when an ignore file matches them (``git ls-files``, run with nothing that could start a
program): ignore files describe untracked files, and a force-added ``dist/bundle.js``
runs like any other. A path named explicitly is scanned whatever the patterns say, its
children are not exempt (except from the one ignore file or exclude list that hides the
named directory itself: git would not descend at all, so that file's patterns are set
aside inside it). Patterns are matched by :mod:`analyzer.ignore`, in polynomial time.

The scan root is the boundary: no path, named or walked, is followed through a symlink out
of it, and symlinked directories are never entered. Nothing found here is imported or
executed: at most the first line (shebang) or the first 64 KiB (minified check) of a file is
read. A compiled ``.pyc`` that Python would import in place of a missing source gets a note.

Relative paths in ``paths`` are taken from the current directory, as a shell gives them.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from . import ignore
from .model import Note

EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
}
# Folders skipped by name, by class. Each class skipped in a scan gets one note with a count
# and the flag that scans it; version-control folders are skipped silently (not code).
FOLDER_CLASSES = {
    "dependencies": frozenset({"node_modules", "site-packages", "__pypackages__", "bower_components"}),
    "virtualenvs": frozenset({".venv", "venv", ".tox", ".nox"}),  # and any folder holding a pyvenv.cfg
    "caches": frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}),
}
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
_FOLDER_WORDS = {"dependencies": "dependency folder", "virtualenvs": "virtualenv", "caches": "cache folder"}
GIT_TIMEOUT = 60
MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs")
MINIFIED_LONGEST_LINE = 2_000
MINIFIED_AVERAGE_LINE = 300
MINIFIED_PROBE_BYTES = 64 * 1024
SHEBANG_PROBE_BYTES = 512
MAX_IGNORE_FILE_BYTES = 1 << 20

_JS_LANGUAGES = frozenset({"javascript", "typescript", "tsx"})
_JS_INTERPRETERS = frozenset({"node", "nodejs", "deno", "bun"})
_PYTHON_INTERPRETER = re.compile(r"python(\d+(\.\d+)*)?")
_ENV_OPTIONS_WITH_VALUE = frozenset({"-u", "--unset", "-C", "--chdir"})


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # POSIX, relative to the scan root; as given when outside it
    language: str  # python | javascript | typescript | tsx


@dataclass(frozen=True)
class _Candidate:
    path: str  # absolute, symlinks not resolved
    rel: str
    explicit: bool
    via_link: bool


_Frame = tuple[Iterator[os.DirEntry[str]], str, tuple["_Layer", ...]]  # entries left, dir rel, layers


@dataclass(frozen=True)
class _Layer:
    """Gitignore-style patterns relative to the directory ``base``."""

    base: str
    spec: ignore.Spec

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True: excluded, False: re-included by a negation, None: no pattern matched."""
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        if rel == "." or rel == ".." or rel.startswith("../"):
            return None
        return self.spec.verdict(rel, is_dir)


def discover(
    paths: Sequence[str | Path],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    max_bytes: int | None = 1_000_000,
    skip_minified: bool = True,
    force_exclude: bool = False,
    include_folders: Iterable[str] = (),
    use_git: bool = True,
) -> tuple[list[SourceFile], list[Note]]:
    """The source files under ``paths`` and notes about what was skipped and why.

    ``include_folders``: classes of ``FOLDER_CLASSES`` to walk into. ``use_git``: in a git
    work tree, also scan the files git tracks that ignore files match.
    Raises ``ValueError`` when an ``exclude`` pattern is not valid gitignore syntax.
    """
    finder = _Finder(root, exclude, force_exclude, frozenset(include_folders), use_git)
    candidates = [c for given in paths for c in finder.expand(os.fspath(given))]
    sources = [(s, c.via_link) for c in candidates if (s := finder.identify(c)) is not None]
    files = [f for f in _dedupe(sources) if finder.admit(f, max_bytes, skip_minified)]
    finder.note_skipped_folders()
    finder.note_declarations()
    return files, finder.notes


class _Finder:
    def __init__(
        self,
        root: Path,
        exclude: Sequence[str],
        force_exclude: bool = False,
        include_folders: frozenset[str] = frozenset(),
        use_git: bool = True,
    ) -> None:
        self.force_exclude = force_exclude  # apply excludes to paths named explicitly too (pre-commit names every file)
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(root)
        self.exclude = _Layer(self.root, _user_patterns(exclude)) if exclude else None
        self.skipped_names = VCS_DIRS.union(*(names for c, names in FOLDER_CLASSES.items() if c not in include_folders))
        self.skip_virtualenvs = "virtualenvs" not in include_folders
        self.use_git = use_git
        self.skipped_folders: dict[str, list[str]] = {c: [] for c in FOLDER_CLASSES}
        self._virtualenv: dict[str, bool] = {}  # directory -> holds a pyvenv.cfg
        self.declarations: list[str] = []  # type declaration files met in walks (.d.ts, .pyi)
        self.notes: list[Note] = []

    def note(self, rel: str, message: str, level: str, kind: str) -> None:
        self.notes.append(Note(path=rel, message=message, level=level, kind=kind))

    def note_declarations(self) -> None:
        if self.declarations:
            first = sorted(self.declarations)[0]
            count = len(self.declarations)
            self.note(first, f"{count} type declaration file{'s' if count > 1 else ''} (.d.ts, .pyi) not scanned: they hold "
                      "types only, no code that runs (name one on the command line to scan it)", "note", "skipped")

    def note_skipped_folders(self) -> None:
        for cls, rels in self.skipped_folders.items():
            if rels:
                unique = sorted(set(rels))
                shown = ", ".join(unique[:3]) + (", …" if len(unique) > 3 else "")
                word = _FOLDER_WORDS[cls] + ("s" if len(unique) > 1 else "")
                self.note(unique[0], f"{len(unique)} {word} not scanned ({shown}); `--include-folders {cls}` scans them",
                          "note", "skipped-dirs")

    # -- expanding given paths -------------------------------------------------------

    def expand(self, given: str) -> Iterator[_Candidate]:
        path = os.path.abspath(given)
        rel = self.rel(path, given)
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            self.note(rel, "No such file or directory", "error", "skipped")
            return
        except OSError as e:
            self.note(rel, f"Skipped: {e.strerror}", "warning", "skipped")
            return
        # The scan root is the boundary for every path, named or walked: a path that leads
        # out of it through a link (its own name, or a folder on the way) is not followed.
        if _inside(path, self.root) and not _inside(os.path.realpath(path), self.real_root):
            self.note(rel, "Symbolic link leads outside the scan root; not followed", "note", "symlink")
        elif stat.S_ISDIR(mode):
            yield from self.walk_with_git(path, rel)
        elif stat.S_ISREG(mode):
            if not (self.force_exclude and self.force_excluded(path)):
                yield _Candidate(path, rel, explicit=True, via_link=os.path.islink(path))
        else:
            self.note(rel, "Skipped: not a regular file or directory", "note", "skipped")

    def force_excluded(self, path: str) -> bool:
        """A file named explicitly that the user's patterns or the default excluded
        directories would have skipped during a walk (silently, like ruff's force-exclude)."""
        if not _inside(path, self.root):
            return False
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        parts = rel.split("/")
        if any(p in self.skipped_names for p in parts[:-1]):
            return True
        return self.user_excluded(path, parts)

    def user_excluded(self, path: str, parts: list[str] | None = None) -> bool:
        """Whether the user's patterns exclude ``path`` (a file) or a folder above it."""
        if self.exclude is None or not _inside(path, self.root):
            return False
        parts = parts or os.path.relpath(path, self.root).replace(os.sep, "/").split("/")
        dirs = [os.path.join(self.root, *parts[:i]) for i in range(1, len(parts))]
        return any(self.exclude.verdict(d, True) for d in dirs) or bool(self.exclude.verdict(path, False))

    def rel(self, path: str, given: str) -> str:
        if _inside(path, self.root):
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        return PurePath(given).as_posix()

    # -- walking a directory ---------------------------------------------------------

    def walk_with_git(self, top: str, top_rel: str) -> Iterator[_Candidate]:
        """The walk, plus (in a git work tree) the files git tracks that ignore files hid:
        git's view of the tree is tracked files and untracked files that are not ignored."""
        walked = list(self.walk(top, top_rel))
        yield from walked
        if not self.use_git:
            return
        tracked = self.git_tracked(top, top_rel)
        if not tracked:
            return
        seen = {c.path for c in walked}
        real_top = os.path.realpath(top)
        for name in tracked:
            parts = name.split("/")
            path = os.path.join(top, *parts)
            if path in seen:
                continue
            folder = next(((i, cls) for i in range(len(parts) - 1)
                           if (cls := self.dir_class(os.path.join(top, *parts[: i + 1]), parts[i])) is not None), None)
            if folder is not None:  # a tracked file in a skipped folder: counted in that folder class's note
                i, cls = folder
                if cls != "vcs":
                    self.skipped_folders[cls].append(_join(top_rel, "/".join(parts[: i + 1])))
                continue
            if self.user_excluded(path):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                continue
            rel = _join(top_rel, name)
            if stat.S_ISLNK(st.st_mode):
                link = self.follow_link(path, rel, real_top, (), None)
                if link is not None:
                    yield link
            elif stat.S_ISREG(st.st_mode) and _inside(os.path.realpath(path), real_top):
                yield _Candidate(path, rel, explicit=False, via_link=False)

    def dir_class(self, path: str, name: str) -> str | None:
        """The skipped folder class of the directory ``path`` (``name`` is its last part):
        "vcs", a class of ``FOLDER_CLASSES`` not included in this scan, or None (walk it)."""
        if name in VCS_DIRS:
            return "vcs"
        for cls, names in FOLDER_CLASSES.items():
            if name in names and name in self.skipped_names:
                return cls
        if self.skip_virtualenvs:
            if path not in self._virtualenv:
                self._virtualenv[path] = _is_virtualenv(path)
            if self._virtualenv[path]:
                return "virtualenvs"
        return None

    def git_tracked(self, top: str, top_rel: str) -> list[str]:
        """Files git tracks under ``top`` (POSIX, relative to it); [] outside a work tree.
        Git runs with every configuration key that could start a program turned off; the
        scanned repository's hooks never run (``ls-files`` runs none)."""
        if _git_dir_above(top) is None:
            return []
        git = shutil.which("git")
        if git is None:
            self.note(top_rel or ".", "git is not installed: files git tracks that .gitignore matches are not scanned",
                      "warning", "skipped")
            return []
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_OPTIONAL_LOCKS="0", GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
        command = [git, "-c", "core.fsmonitor=false", "-c", "safe.directory=*", "-c", "core.quotePath=false",
                   "-C", top, "ls-files", "-z", "--cached", "--", "."]
        try:
            out = subprocess.run(command, capture_output=True, env=env, timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            self.note(top_rel or ".", f"git ls-files failed ({e}): files git tracks that .gitignore matches are not scanned",
                      "warning", "skipped")
            return []
        if out.returncode != 0:
            if b"not a git repository" not in out.stderr:
                message = out.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
                self.note(top_rel or ".", f"git ls-files failed ({' '.join(message)}): files git tracks that .gitignore "
                          "matches are not scanned", "warning", "skipped")
            return []
        return sorted({p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p})

    def walk(self, top: str, top_rel: str) -> Iterator[_Candidate]:
        real_top = os.path.realpath(top)
        chain_top = self.root if _inside(top, self.root) else top
        # A layer that hides ``top`` itself would hide everything in it: the user named
        # ``top``, so that layer does not apply inside it (git would not descend at all).
        inherited = tuple(
            layer for layer in self.ancestor_layers(top, chain_top) if layer.verdict(top, True) is not True
        )
        exclude = self.exclude if self.exclude and self.exclude.verdict(top, True) is not True else None
        stack: list[_Frame] = []
        self.enter(stack, top, top_rel, inherited, chain_top)
        while stack:
            entries, dir_rel, layers = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            rel = _join(dir_rel, entry.name)
            try:
                if entry.is_symlink():
                    link = self.follow_link(entry.path, rel, real_top, layers, exclude)
                    if link is not None:
                        yield link
                elif entry.is_dir(follow_symlinks=False):
                    cls = self.dir_class(entry.path, entry.name)
                    if cls is not None:
                        if cls != "vcs" and not _ignored(entry.path, True, layers, exclude):
                            self.skipped_folders[cls].append(rel)
                    elif not _ignored(entry.path, True, layers, exclude):
                        self.enter(stack, entry.path, rel, layers, chain_top)
                elif entry.is_file(follow_symlinks=False):
                    if not _ignored(entry.path, False, layers, exclude):
                        yield _Candidate(entry.path, rel, explicit=False, via_link=False)
            except OSError as e:
                self.note(rel, f"Skipped: {e.strerror}", "warning", "skipped")

    def enter(
        self,
        stack: list[_Frame],
        directory: str,
        rel: str,
        layers: tuple[_Layer, ...],
        chain_top: str,
    ) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            self.note(rel, f"Skipped directory: {e.strerror}", "warning", "skipped")
            return
        stack.append((iter(entries), rel, layers + self.dir_layers(directory, chain_top)))

    def ancestor_layers(self, top: str, chain_top: str) -> list[_Layer]:
        layers: list[_Layer] = []
        directory = chain_top
        for part in PurePath(os.path.relpath(top, chain_top)).parts:
            layers += self.dir_layers(directory, chain_top)
            directory = os.path.join(directory, part)
        return layers

    def dir_layers(self, directory: str, chain_top: str) -> tuple[_Layer, ...]:
        """The directory's own ignore layers, lowest priority first."""
        files = [os.path.join(directory, ".gitignore")]
        if directory == chain_top:
            files.insert(0, os.path.join(directory, ".git", "info", "exclude"))
        specs = (self.read_ignore_file(f) for f in files)
        return tuple(_Layer(directory, spec) for spec in specs if spec is not None)

    def read_ignore_file(self, path: str) -> ignore.Spec | None:
        """Patterns of an ignore file; like git, a symlinked one is not read, and an invalid
        pattern is left out (with a note)."""
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                return None
            if st.st_size > MAX_IGNORE_FILE_BYTES:
                self.note(self.rel(path, path), "Ignore file over 1 MiB; not applied", "warning", "config")
                return None
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return None
        except OSError as e:
            self.note(self.rel(path, path), f"Ignore file not applied: {e.strerror}", "warning", "config")
            return None
        patterns, problems = ignore.compile_lines(lines)
        for problem in problems:
            self.note(self.rel(path, path), f"invalid pattern left out ({problem})", "warning", "config")
        return ignore.Spec(patterns) if patterns else None

    def follow_link(
        self, path: str, rel: str, real_top: str, layers: tuple[_Layer, ...], exclude: _Layer | None
    ) -> _Candidate | None:
        target_is_dir = os.path.isdir(path)
        if (target_is_dir and os.path.basename(path) in self.skipped_names) or _ignored(path, target_is_dir, layers, exclude):
            return None
        real = os.path.realpath(path)
        if not _inside(real, real_top):
            self.note(rel, "Symbolic link leads outside the scanned directory; not followed", "note", "symlink")
        elif target_is_dir:
            self.note(rel, "Symbolic link to a directory; such links are not entered", "note", "symlink")
        elif os.path.isfile(real):
            return _Candidate(path, rel, explicit=False, via_link=True)
        else:
            self.note(rel, "Symbolic link does not lead to a regular file; skipped", "note", "symlink")
        return None

    # -- deciding what a file is and whether to scan it ------------------------------

    def identify(self, candidate: _Candidate) -> SourceFile | None:
        try:
            language = detect_language(candidate.path, read_shebang=candidate.explicit)
        except OSError as e:
            self.note(candidate.rel, f"Skipped: {e.strerror}", "warning", "skipped")
            return None
        if language is None:
            if _is_sourceless_bytecode(candidate.path):
                self.note(candidate.rel, "compiled Python without its source beside it (Python imports it): not analysed; "
                          "decompile it or scan the source it was built from", "warning", "compiled")
            elif candidate.explicit:
                self.note(candidate.rel, "Skipped: not a Python, JavaScript, TypeScript or MCP config file", "note", "skipped")
            return None
        if not candidate.explicit and _DECLARATION_FILE.search(candidate.rel):
            self.declarations.append(candidate.rel)
            return None
        return SourceFile(Path(candidate.path), candidate.rel, language)

    def admit(self, file: SourceFile, max_bytes: int | None, skip_minified: bool) -> bool:
        try:
            size = file.path.stat().st_size
            if max_bytes and size > max_bytes:
                limit = f"over the {max_bytes:,}-byte limit (`--max-file-size 0` lifts the limit)"
                self.note(file.rel, f"Skipped: {size:,} bytes, {limit}", "warning", "too-large")
                return False
            if skip_minified and file.language in _JS_LANGUAGES and is_minified(file.path):
                self.note(file.rel, "Skipped: looks minified (`--include-minified` scans it)", "note", "minified")
                return False
        except OSError as e:
            self.note(file.rel, f"Skipped: {e.strerror}", "warning", "skipped")
            return False
        return True


# MCP client configs: Claude Desktop, Claude Code (.mcp.json, ~/.claude.json), Cursor and
# VS Code (mcp.json; VS Code and Gemini CLI also settings.json), Windsurf (mcp_config.json),
# Cline (cline_mcp_settings.json), and any *mcp*.json. The engine reads only files that
# have a servers object, so a settings.json without one costs a substring check.
_DECLARATION_FILE = re.compile(r"\.(?:d\.[cm]?tsx?|pyi)$", re.I)  # TypeScript declarations, Python stubs
MCP_CONFIG_NAME = re.compile(r"(?i)^(claude_desktop_config|\.claude|settings|.*mcp.*)\.jsonc?$")


def is_mcp_config_name(name: str) -> bool:
    return bool(MCP_CONFIG_NAME.match(name))


def detect_language(path: str | Path, *, read_shebang: bool = True) -> str | None:
    """The language by extension; for a file without one (or any file when
    ``read_shebang``), by its shebang line. JSON: MCP client configs by name (any
    ``.json`` file when ``read_shebang``, i.e. named explicitly: its content decides).
    Raises ``OSError`` when that line is unreadable."""
    name = os.path.basename(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if suffix in (".json", ".jsonc"):
        return "json" if read_shebang or is_mcp_config_name(name) else None
    if suffix and not read_shebang:
        return None
    with open(path, "rb") as f:
        head = f.read(SHEBANG_PROBE_BYTES)
    return shebang_language(head.split(b"\n", 1)[0].decode("utf-8", "replace"))


def shebang_language(first_line: str) -> str | None:
    """``python`` or ``javascript`` for a shebang naming their interpreter, else None."""
    if not first_line.startswith("#!"):
        return None
    words = first_line[2:].split()
    if words and words[0].rsplit("/", 1)[-1] == "env":
        words = _env_command(words[1:])
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if _PYTHON_INTERPRETER.fullmatch(program) or words[:2] == ["uv", "run"]:
        return "python"
    return "javascript" if program in _JS_INTERPRETERS else None


def _env_command(args: list[str]) -> list[str]:
    """The command ``env`` runs: its arguments without options and VAR=value settings."""
    i = 0
    while i < len(args):
        if args[i] in _ENV_OPTIONS_WITH_VALUE:
            i += 2
        elif args[i].startswith("-") or "=" in args[i]:
            i += 1
        else:
            return args[i:]
    return []


def is_minified(path: Path) -> bool:
    """``*.min.js``, or a start with a very long line and a long average line."""
    if path.name.lower().endswith(MINIFIED_SUFFIXES):
        return True
    with open(path, "rb") as f:
        head = f.read(MINIFIED_PROBE_BYTES)
    lines = head.split(b"\n")
    longest = max(len(line) for line in lines)
    return longest > MINIFIED_LONGEST_LINE and len(head) / len(lines) > MINIFIED_AVERAGE_LINE


def _dedupe(sources: Iterable[tuple[SourceFile, bool]]) -> list[SourceFile]:
    """One entry per real file, in order; a file found directly wins over a link to it."""
    found = list(sources)
    chosen: dict[str, int] = {}
    for i, (file, via_link) in enumerate(found):
        real = os.path.realpath(file.path)
        previous = chosen.get(real)
        if previous is None or (found[previous][1] and not via_link):
            chosen[real] = i
    keep = set(chosen.values())
    return [file for i, (file, _) in enumerate(found) if i in keep]


def _user_patterns(lines: Sequence[str]) -> ignore.Spec:
    patterns = []
    for line in lines:
        try:
            pattern = ignore.parse(line)
        except ignore.InvalidPattern as e:
            raise ValueError(f"invalid exclude pattern {line!r}: {e}") from None
        if pattern is not None:
            patterns.append(pattern)
    return ignore.Spec(patterns)


def _is_sourceless_bytecode(path: str) -> bool:
    """A ``.pyc`` that ``import`` would load: outside ``__pycache__`` with no ``.py`` beside it."""
    if not path.endswith(".pyc") or os.path.basename(os.path.dirname(path)) == "__pycache__":
        return False
    return not os.path.exists(path[:-1])


def _git_dir_above(directory: str) -> str | None:
    """The ``.git`` (folder or gitfile) of the work tree holding ``directory``, if any."""
    current = os.path.abspath(directory)
    while True:
        candidate = os.path.join(current, ".git")
        if os.path.lexists(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _ignored(path: str, is_dir: bool, layers: tuple[_Layer, ...], exclude: _Layer | None) -> bool:
    if exclude is not None and exclude.verdict(path, is_dir):
        return True
    for layer in reversed(layers):  # the deepest ignore file decides
        verdict = layer.verdict(path, is_dir)
        if verdict is not None:
            return verdict
    return False


def _inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath((path, directory)) == directory
    except ValueError:  # different drives
        return False


def _join(rel: str, name: str) -> str:
    return name if rel in ("", ".") else f"{rel}/{name}"
