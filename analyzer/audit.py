"""``mcpleaks audit``: the MCP servers this machine runs, resolved to the code they run, scanned.

1. Find the MCP client configs of a user (:data:`CLIENT_CONFIGS`, under ``--home``) and of
   projects (``--project``, by default the current folder; and the project folders Claude Code
   lists in ``~/.claude.json``), plus any ``--config FILE``. JSON with comments is read by the
   config engine (``engines.mcp_config.server_entries``), Codex's TOML by ``tomllib``.
2. Resolve each server to installed code without running anything (:func:`resolve`): ``npx``
   → the npx cache, a project's or the global ``node_modules``; ``uvx``/``uv tool run`` → uv's
   tool folder and caches; ``pipx run`` → pipx's venvs and cache; ``python -m``/console scripts
   → the virtualenv they live in; ``node``/``python`` FILE → the file's package; ``docker`` and
   remote servers are listed as not inspectable, saying why.
3. Scan each resolved package with every rule (dependency folders, bundles and minified files
   included: installed code is what runs), and each config with ``mcp-config-secret``.
4. Match installed releases against OSV advisories (the ones shipped in
   ``analyzer/advisories/`` and ``--advisories FILE_OR_DIR``); flag unpinned ``npx -y`` servers.
5. Optionally write a lock (version, content hash, capabilities per server) or compare with one.

Symlinks are never followed out of a package; nothing found is imported, installed or run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer import capabilities
from analyzer.model import Finding, Note, Rule, ScanResult
from analyzer.safeio import UnsafeFile, read_regular
from analyzer.secrets import redact_text

CONFIG_MAX_BYTES = 64 << 20
LOCK_VERSION = 1
MAX_CACHE_ENTRIES = 5_000

# (client, path relative to the home folder, format)
CLIENT_CONFIGS: tuple[tuple[str, str, str], ...] = (
    ("Claude Desktop", "Library/Application Support/Claude/claude_desktop_config.json", "json"),
    ("Claude Desktop", "AppData/Roaming/Claude/claude_desktop_config.json", "json"),
    ("Claude Desktop", ".config/Claude/claude_desktop_config.json", "json"),
    ("Claude Code", ".claude.json", "json"),
    ("Claude Code", ".claude/settings.json", "json"),
    ("Cursor", ".cursor/mcp.json", "json"),
    ("VS Code", ".config/Code/User/mcp.json", "json"),
    ("VS Code", ".config/Code/User/settings.json", "json"),
    ("VS Code", "Library/Application Support/Code/User/mcp.json", "json"),
    ("VS Code", "Library/Application Support/Code/User/settings.json", "json"),
    ("VS Code", "AppData/Roaming/Code/User/mcp.json", "json"),
    ("VS Code", "AppData/Roaming/Code/User/settings.json", "json"),
    ("VS Code Insiders", ".config/Code - Insiders/User/mcp.json", "json"),
    ("VS Code Insiders", "Library/Application Support/Code - Insiders/User/mcp.json", "json"),
    ("Windsurf", ".codeium/windsurf/mcp_config.json", "json"),
    ("Cline", ".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", "json"),
    ("Cline", "Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", "json"),
    ("Cline", "AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", "json"),
    ("Cline", ".cline/data/settings/cline_mcp_settings.json", "json"),
    ("Roo Code", ".config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json", "json"),
    ("Roo Code", "Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json", "json"),
    ("Zed", ".config/zed/settings.json", "json"),
    ("Zed", "AppData/Roaming/Zed/settings.json", "json"),
    ("Gemini CLI", ".gemini/settings.json", "json"),
    ("Codex", ".codex/config.toml", "toml"),
    ("Amazon Q", ".aws/amazonq/mcp.json", "json"),
    ("Kiro", ".kiro/settings/mcp.json", "json"),
    ("LM Studio", ".lmstudio/mcp.json", "json"),
)
PROJECT_CONFIGS: tuple[tuple[str, str, str], ...] = (
    ("Claude Code", ".mcp.json", "json"),
    ("Cursor", ".cursor/mcp.json", "json"),
    ("VS Code", ".vscode/mcp.json", "json"),
    ("Gemini CLI", ".gemini/settings.json", "json"),
    ("Kiro", ".kiro/settings/mcp.json", "json"),
    ("Amazon Q", ".amazonq/mcp.json", "json"),
)

NPX_CACHES = (".npm/_npx", "AppData/Local/npm-cache/_npx", "AppData/Roaming/npm-cache/_npx")
GLOBAL_NODE_MODULES = (".npm-global/lib/node_modules", ".local/lib/node_modules", "AppData/Roaming/npm/node_modules",
                       ".volta/tools/shared", ".bun/install/global/node_modules")
SYSTEM_NODE_MODULES = ("/usr/local/lib/node_modules", "/usr/lib/node_modules", "/opt/homebrew/lib/node_modules")
UV_TOOL_DIRS = (".local/share/uv/tools", "AppData/Roaming/uv/tools", "AppData/Roaming/uv/data/tools")
UV_CACHES = (".cache/uv", "Library/Caches/uv", "AppData/Local/uv/cache")
PIPX_DIRS = (".local/share/pipx/venvs", ".local/pipx/venvs", ".local/share/pipx/.cache", ".local/pipx/.cache",
             "AppData/Local/pipx/pipx/venvs")

NOT_INSPECTABLE, UNRESOLVED, RESOLVED, ERROR = "not-inspectable", "unresolved", "resolved", "error"
_EXACT_VERSION = re.compile(r"v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?")
_PY_NAME = re.compile(r"[-_.]+")
_NPM_NAME = re.compile(r"(?:@[a-z0-9~][\w.~-]*/)?[a-z0-9~][\w.~-]*", re.I)


# ----------------------------------------------------------------------------- data
@dataclass
class ConfigFile:
    client: str
    path: Path
    fmt: str
    shown: str  # as reports name it: ~/... under the home folder, else absolute
    error: str | None = None


@dataclass
class Resolved:
    ecosystem: str  # npm | PyPI | file
    package: str | None
    version: str | None
    root: Path  # the folder paths are relative to
    paths: list[Path]  # what to scan (folders or files under root)
    others: list[tuple[str, str]] = field(default_factory=list)  # other cached versions (version, path)


@dataclass
class Server:
    client: str
    config: ConfigFile
    name: str
    line: int
    scope: str  # a project folder for Claude Code's per-project servers, else ""
    command: str | None
    args: list[str]
    env_keys: list[str]
    url: str | None
    spec: tuple[str, str, str | None] | None = None  # (ecosystem, package, requested version)
    status: str = UNRESOLVED
    reason: str = ""
    resolved: Resolved | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    files_scanned: int = 0
    advisories: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    content_hash: str | None = None
    caps: capabilities.Capabilities | None = None
    drift: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        scope = f"{self.scope}:" if self.scope else ""
        return f"{self.client}:{self.config.shown}:{scope}{self.name}"


# ----------------------------------------------------------------------------- discovery
def _shown(path: Path, home: Path) -> str:
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return path.as_posix()


def find_configs(home: Path, projects: Sequence[Path] = (), extra: Sequence[Path] = ()) -> list[ConfigFile]:
    """The client configs that exist: the user's, each project's, then ``extra`` (named by hand)."""
    found: list[ConfigFile] = []
    seen: set[str] = set()

    def add(client: str, path: Path, fmt: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen or not path.is_file():
            return
        seen.add(key)
        found.append(ConfigFile(client, path, fmt, _shown(path, home)))

    for client, rel, fmt in CLIENT_CONFIGS:
        add(client, home / rel, fmt)
    for project in projects:
        for client, rel, fmt in PROJECT_CONFIGS:
            if project.resolve() == home.resolve() and rel in (".gemini/settings.json",):
                continue  # the user's own, already listed
            add(client, project / rel, fmt)
    for path in extra:
        add(_guess_client(path), path, "toml" if path.suffix == ".toml" else "json")
    return found


def _guess_client(path: Path) -> str:
    text = path.as_posix().lower()
    for needle, client in (("claude_desktop", "Claude Desktop"), (".claude", "Claude Code"), (".mcp.json", "Claude Code"),
                           ("cursor", "Cursor"), ("windsurf", "Windsurf"), ("cline", "Cline"), ("zed", "Zed"),
                           ("gemini", "Gemini CLI"), ("codex", "Codex"), ("vscode", "VS Code"), ("code/user", "VS Code")):
        if needle in text:
            return client
    return "config"


def read_servers(config: ConfigFile) -> tuple[list[Server], str | None]:
    """The servers a config declares (and its text, for the secret scan), or an error on it."""
    try:
        raw = read_regular(config.path, CONFIG_MAX_BYTES)
    except (UnsafeFile, OSError) as e:
        config.error = f"cannot read: {e}"
        return [], None
    text = raw.decode("utf-8-sig", "replace")
    entries: list[tuple[str, str, dict, int]] = []
    if config.fmt == "toml":
        entries = _toml_entries(text, config)
    else:
        from analyzer.engines import mcp_config

        try:
            entries = mcp_config.server_entries(text)
        except mcp_config.JsoncError as e:
            config.error = f"could not parse as JSON: {e}"
            return [], text
        except RecursionError:
            config.error = "could not parse as JSON: nesting too deep"
            return [], text
    servers = []
    for scope, name, entry, line in entries:
        command, args = _command_of(entry)
        env = entry.get("env") if isinstance(entry.get("env"), dict) else {}
        url = next((entry[k] for k in ("url", "serverUrl", "httpUrl") if isinstance(entry.get(k), str)), None)
        servers.append(Server(config.client, config, name, line, scope, command, args, sorted(map(str, env)), url))
    return servers, text


def _command_of(entry: dict) -> tuple[str | None, list[str]]:
    command = entry.get("command")
    args = entry.get("args")
    if isinstance(command, dict):  # Zed's older {"command": {"path": ..., "args": [...]}}
        args, command = command.get("args"), command.get("path")
    if isinstance(command, list):  # a command line as a list
        command, args = (command[0] if command else None), [*command[1:], *(args if isinstance(args, list) else [])]
    args = [str(a) for a in args] if isinstance(args, list) else []
    return (command if isinstance(command, str) else None), args


def _toml_entries(text: str, config: ConfigFile) -> list[tuple[str, str, dict, int]]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as e:
        config.error = f"could not parse as TOML: {e}"
        return []
    servers = data.get("mcp_servers") if isinstance(data, dict) else None
    out = []
    for name, entry in (servers or {}).items() if isinstance(servers, dict) else []:
        if isinstance(entry, dict):
            m = re.search(rf"^\s*\[mcp_servers\.\"?{re.escape(name)}\"?\]", text, re.M)
            out.append(("", name, entry, text.count("\n", 0, m.start()) + 1 if m else 1))
    return out


# ----------------------------------------------------------------------------- resolution
def _base(command: str) -> str:
    name = command.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".cmd", ".exe", ".bat", ".ps1"):
        name = name.removesuffix(suffix)
    return name


def _npm_spec(spec: str) -> tuple[str, str | None]:
    at = spec.rfind("@")
    if at > 0:
        return spec[:at], spec[at + 1:] or None
    return spec, None


def _py_spec(spec: str) -> tuple[str, str | None]:
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(?:==|@)\s*([\w.+!-]+))?", spec)
    return (m.group(1), m.group(2)) if m else (spec, None)


def _first_positional(args: list[str], with_value: Iterable[str] = ()) -> tuple[int, str | None, dict[str, str]]:
    """(index, first argument that is not an option, options with a value)."""
    options: dict[str, str] = {}
    takes = set(with_value)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return (i + 1, args[i + 1], options) if i + 1 < len(args) else (i, None, options)
        if a.startswith("-"):
            if "=" in a:
                k, v = a.split("=", 1)
                options[k] = v
            elif a in takes and i + 1 < len(args):
                options[a] = args[i + 1]
                i += 1
            else:
                options[a] = ""
            i += 1
            continue
        return i, a, options
    return i, None, options


class Resolver:
    """Where the code of a server lives on this machine (never running anything to find out)."""

    def __init__(self, home: Path, projects: Sequence[Path] = (), system: bool = False) -> None:
        self.home = home
        self.projects = list(projects)
        self.system = system  # also look in system-wide folders (/usr/lib/node_modules...)

    # -- npm ---------------------------------------------------------------------------
    def npm_candidates(self, name: str) -> list[tuple[str, Path]]:
        """(where, package folder) for every copy of npm package ``name`` found."""
        out: list[tuple[str, Path]] = []
        for rel in NPX_CACHES:
            cache = self.home / rel
            if cache.is_dir():
                for entry in sorted(cache.iterdir())[:MAX_CACHE_ENTRIES]:
                    out.append(("npx cache", entry / "node_modules" / name))
        for project in self.projects:
            out.append(("project node_modules", project / "node_modules" / name))
        for rel in GLOBAL_NODE_MODULES:
            out.append(("global node_modules", self.home / rel / name))
        nvm = self.home / ".nvm" / "versions" / "node"
        if nvm.is_dir():
            for version in sorted(nvm.iterdir()):
                out.append(("global node_modules", version / "lib" / "node_modules" / name))
        if self.system:
            out += [("global node_modules", Path(p) / name) for p in SYSTEM_NODE_MODULES]
        return [(where, path) for where, path in out if _real_dir(path) and _package_json(path).get("name") == name]

    def npm(self, name: str, version: str | None) -> Resolved | None:
        copies = [(where, path, str(_package_json(path).get("version") or "")) for where, path in self.npm_candidates(name)]
        if not copies:
            return None
        matching = [c for c in copies if version is None or not _EXACT_VERSION.fullmatch(version) or c[2] == version.lstrip("v")]
        if not matching:
            return None
        matching.sort(key=lambda c: _version_key(c[2]), reverse=True)
        where, path, found = matching[0]
        others = sorted({(v, str(p)) for _, p, v in copies if p != path})
        return Resolved("npm", name, found or None, path, [path], others)

    # -- Python ------------------------------------------------------------------------
    def site_packages_roots(self) -> list[tuple[str, Path]]:
        roots: list[tuple[str, Path]] = []
        for rel in UV_TOOL_DIRS:
            base = self.home / rel
            for sp in _glob_dirs(base, "*/lib/python*/site-packages") + _glob_dirs(base, "*/Lib/site-packages"):
                roots.append(("uv tool", sp))
        for rel in UV_CACHES:
            base = self.home / rel
            for pattern in ("archive-v0/*", "environments-v2/*/lib/python*/site-packages", "builds-v0/*/lib/python*/site-packages"):
                roots += [("uv cache", sp) for sp in _glob_dirs(base, pattern)]
        for rel in PIPX_DIRS:
            base = self.home / rel
            roots += [("pipx", sp) for sp in _glob_dirs(base, "*/lib/python*/site-packages") + _glob_dirs(base, "*/Lib/site-packages")]
        return roots

    def python(self, name: str, version: str | None, roots: Sequence[tuple[str, Path]] | None = None) -> Resolved | None:
        want = _norm(name)
        copies = []
        for where, sp in (roots if roots is not None else self.site_packages_roots()):
            for dist in _glob_dirs(sp, "*.dist-info"):
                dist_name, dist_version = _dist_name_version(dist)
                if _norm(dist_name) == want:
                    copies.append((where, sp, dist, dist_version))
        if version:
            copies = [c for c in copies if c[3] == version]
        if not copies:
            return None
        copies.sort(key=lambda c: _version_key(c[3]), reverse=True)
        where, sp, dist, found = copies[0]
        files = _record_files(sp, dist)
        others = sorted({(c[3], str(c[2])) for c in copies[1:]})
        return Resolved("PyPI", _dist_name_version(dist)[0], found or None, sp, files or [sp], others)

    def venv_of(self, executable: str) -> Path | None:
        path = Path(executable)
        if not path.is_absolute():
            return None
        for parent in list(path.parents)[:3]:
            if (parent / "pyvenv.cfg").is_file():
                return parent
        return None

    def console_script(self, venv: Path, script: str) -> Resolved | None:
        for sp in _glob_dirs(venv, "lib/python*/site-packages") + _glob_dirs(venv, "Lib/site-packages"):
            for dist in _glob_dirs(sp, "*.dist-info"):
                if _declares_script(dist, script):
                    name, version = _dist_name_version(dist)
                    return Resolved("PyPI", name, version, sp, _record_files(sp, dist) or [sp])
        return None

    def module(self, venv: Path, module: str) -> Resolved | None:
        top = module.split(".")[0]
        for sp in _glob_dirs(venv, "lib/python*/site-packages") + _glob_dirs(venv, "Lib/site-packages"):
            for dist in _glob_dirs(sp, "*.dist-info"):
                top_level = _read(dist / "top_level.txt") or ""
                files = _record_files(sp, dist)
                if top in top_level.split() or any(f.relative_to(sp).parts[0] in (top, f"{top}.py") for f in files):
                    name, version = _dist_name_version(dist)
                    return Resolved("PyPI", name, version, sp, files or [sp])
            if _real_dir(sp / top) or (sp / f"{top}.py").is_file():
                target = sp / top if _real_dir(sp / top) else sp / f"{top}.py"
                return Resolved("file", top, None, sp, [target])
        return None

    def local(self, file: str, cwd: str | None) -> Resolved | None:
        path = Path(file).expanduser() if file.startswith("~") else Path(file)
        if not path.is_absolute():
            if not cwd:
                return None
            path = Path(cwd) / path
        if not path.exists() or (path.is_dir() and path.resolve() in (self.home.resolve(), Path(path.anchor))):
            return None  # never the whole home folder or disk
        start = path if path.is_dir() else path.parent
        for folder in [start, *list(start.parents)[:4]]:
            if folder == self.home or folder == Path(folder.anchor):
                break
            if (folder / "package.json").is_file():
                pkg = _package_json(folder)
                return Resolved("npm", str(pkg.get("name") or folder.name), str(pkg.get("version") or "") or None, folder, [folder])
            if (folder / "pyproject.toml").is_file() or (folder / "setup.py").is_file():
                return Resolved("PyPI", folder.name, None, folder, [folder])
        return Resolved("file", path.name, None, start, [path])


def resolve(server: Server, resolver: Resolver) -> None:
    """Fill in ``server.spec``, ``status``, ``reason`` and ``resolved``."""
    if server.url or not server.command:
        server.status = NOT_INSPECTABLE
        server.reason = (f"remote server ({_host(server.url)}): its code runs elsewhere" if server.url
                         else "no command to resolve")
        return
    command, args = server.command, list(server.args)
    base = _base(command)
    if base == "cmd" and args[:1] and args[0].lower() in ("/c", "/k"):  # Windows: cmd /c npx ...
        command, args = args[1] if len(args) > 1 else "", args[2:]
        base = _base(command)
    if base in ("docker", "podman", "nerdctl"):
        image = _docker_image(args)
        server.status = NOT_INSPECTABLE
        server.reason = f"runs the container image {image or '?'}: its code is in the image, not on this machine as source"
        return
    if base in ("npx", "bunx") or (base in ("pnpm", "yarn") and args[:1] in (["dlx"], ["exec"])):
        if base in ("pnpm", "yarn"):
            args = args[1:]
        i, spec, options = _first_positional(args, ("-p", "--package", "-c", "--call"))
        spec = options.get("--package") or options.get("-p") or spec
        if not spec:
            server.reason = "npx with no package"
            return
        name, version = _npm_spec(spec)
        if not _NPM_NAME.fullmatch(name):
            server.reason = f"{spec!r} is not an npm package name (a path, a git or tarball URL?)"
            return
        server.spec = ("npm", name, version)
        if not version or not _EXACT_VERSION.fullmatch(version):
            server.warnings.append(
                f"unpinned: `{_line(command, args)}` runs whatever was published last (or is cached), at every launch; "
                f"pin an exact version ({name}@<version>) and review each update (mcpleaks diff)")
        server.resolved = resolver.npm(name, version)
        _done(server, f"{name}{'@' + version if version else ''} is not in the npx cache, a project's or the global "
                      "node_modules (it is downloaded at the next launch)")
        return
    if base in ("uvx", "uv", "pipx"):
        if base == "uv":
            if args[:2] == ["tool", "run"]:
                args = args[2:]
            else:
                _, _, options = _first_positional(args, ("--directory", "--project", "--with", "--python", "-p"))
                folder = options.get("--directory") or options.get("--project")
                if folder:
                    server.resolved = resolver.local(folder, None)
                    _done(server, f"uv project folder {folder} not found")
                else:
                    server.reason = "uv run without --directory: the project is the client's working folder, unknown"
                return
        if base == "pipx":
            if args[:1] != ["run"]:
                server.reason = "pipx without run"
                return
            args = args[1:]
        _, spec, options = _first_positional(args, ("--from", "--spec", "--python", "-p", "--with", "--index-url", "-i"))
        spec = options.get("--from") or options.get("--spec") or spec
        if not spec:
            server.reason = f"{base} with no package"
            return
        name, version = _py_spec(spec)
        server.spec = ("PyPI", name, version)
        if not version:
            server.warnings.append(f"unpinned: `{_line(server.command, server.args)}` runs the newest release it finds at launch; pin one "
                                   f"({name}=={'<version>'}) and review each update (mcpleaks diff)")
        server.resolved = resolver.python(name, version)
        _done(server, f"{name}{'==' + version if version else ''} is not in uv's tool folder or cache or in pipx's venvs")
        return
    if base.startswith("python") or base == "py":
        venv = resolver.venv_of(command)
        i, first, options = _first_positional(args, ("-m", "-c", "-X", "-W"))
        if "-m" in options:
            module = options["-m"]
            server.spec = ("PyPI", module, None)
            server.resolved = resolver.module(venv, module) if venv else None
            _done(server, f"module {module}: " + ("not found in the virtualenv " + str(venv) if venv else
                                                  "run by a Python that is not in a virtualenv: which installation is unknown"))
            return
        if first:
            server.resolved = resolver.local(first, _cwd(server))
            _done(server, f"script {first} not found")
            return
        server.reason = "python with no script or module"
        return
    if base in ("node", "bun", "deno", "tsx", "ts-node"):
        _, first, _ = _first_positional([a for a in args if a != "run"], ("-r", "--require", "--import", "--loader"))
        if first:
            server.resolved = resolver.local(first, _cwd(server))
            _done(server, f"script {first} not found")
            return
        server.reason = f"{base} with no script"
        return
    venv = resolver.venv_of(command)
    if venv is not None:
        server.resolved = resolver.console_script(venv, _base(command))
        _done(server, f"no package in {venv} declares the console script {_base(command)}")
        return
    if command.startswith(("/", "~", ".")) or re.match(r"^[A-Za-z]:[\\/]", command):
        server.resolved = resolver.local(command, _cwd(server))
        _done(server, f"{command} not found")
        return
    # a bare command name: a global npm package's bin, a uv tool's or pipx venv's console script
    for where, sp in resolver.site_packages_roots():
        for dist in _glob_dirs(sp, "*.dist-info"):
            if _declares_script(dist, base):
                name, version = _dist_name_version(dist)
                server.resolved = Resolved("PyPI", name, version, sp, _record_files(sp, dist) or [sp])
                _done(server, "")
                return
    server.reason = f"`{command}` is a program on the PATH; which package installed it is unknown"


def _line(command: str, args: Sequence[str]) -> str:
    return " ".join([_base(command), *args])[:200]


def _done(server: Server, missing: str) -> None:
    if server.resolved is not None:
        server.status = RESOLVED
        server.reason = ""
    else:
        server.status = UNRESOLVED
        server.reason = missing


def _cwd(server: Server) -> str | None:
    return server.scope or (str(server.config.path.parent.parent) if server.config.path.parent.name in (".cursor", ".vscode")
                            else str(server.config.path.parent))


def _docker_image(args: list[str]) -> str | None:
    if args[:1] != ["run"]:
        return None
    _, image, _ = _first_positional(args[1:], ("-e", "--env", "-v", "--volume", "--name", "--network", "-p", "--publish",
                                               "--env-file", "-w", "--workdir", "--entrypoint", "-u", "--user", "--mount",
                                               "--platform", "--pull"))
    return image


def _host(url: str | None) -> str:
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url or "", re.I)
    return m.group(1) if m else "?"


# ----------------------------------------------------------------------------- file helpers
def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _glob_dirs(base: Path, pattern: str) -> list[Path]:
    if not _real_dir(base):
        return []
    return [p for p in sorted(base.glob(pattern))[:MAX_CACHE_ENTRIES] if _real_dir(p)]


def _read(path: Path, limit: int = 4 << 20) -> str | None:
    try:
        return read_regular(path, limit).decode("utf-8", "replace")
    except (UnsafeFile, OSError):
        return None


def _package_json(folder: Path) -> dict:
    text = _read(folder / "package.json")
    try:
        data = json.loads(text) if text else {}
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _dist_name_version(dist: Path) -> tuple[str, str]:
    meta = _read(dist / "METADATA") or ""
    fields = dict(line.split(": ", 1) for line in meta.splitlines()[:60] if ": " in line)
    if "Name" in fields:
        return fields["Name"].strip(), fields.get("Version", "").strip()
    stem = dist.name.removesuffix(".dist-info")
    name, _, version = stem.partition("-")
    return name, version


def _declares_script(dist: Path, script: str) -> bool:
    text = _read(dist / "entry_points.txt") or ""
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[console_scripts]" and line.split("=", 1)[0].strip() == script:
            return True
    return False


def _record_files(site_packages: Path, dist: Path) -> list[Path]:
    """The files a distribution installed under ``site_packages`` (its RECORD), links and paths
    outside left out."""
    out = []
    base = site_packages.resolve()
    for line in (_read(dist / "RECORD", 64 << 20) or "").splitlines():
        rel = line.split(",", 1)[0].strip()
        if not rel or rel.startswith(("/", "..")) or "/../" in rel:
            continue
        path = site_packages / rel
        try:
            if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(base):
                out.append(path)
        except OSError:
            continue
    return out


def _norm(name: str) -> str:
    return _PY_NAME.sub("-", name).lower()


def _version_key(version: str | None) -> tuple:
    parts = re.findall(r"\d+|[A-Za-z]+", version or "")
    release = tuple(int(p) for p in re.findall(r"\d+", (version or "").split("-")[0].split("+")[0]))
    pre = "-" in (version or "") or any(p.isalpha() and p.lower() in ("a", "b", "rc", "alpha", "beta", "dev", "pre") for p in parts)
    return release, 0 if pre else 1, tuple(parts)


# ----------------------------------------------------------------------------- advisories
def load_advisories(extra: Sequence[Path] = ()) -> tuple[list[dict], list[str]]:
    """OSV records: the ones shipped with mcpleaks, then ``extra`` files or folders (searched
    for ``*.json``). Returns (records, problems)."""
    shipped = Path(__file__).parent / "advisories"
    records: list[dict] = []
    problems: list[str] = []
    sources = sorted(shipped.glob("*.json"))
    for path in extra:
        if path.is_dir():
            sources += sorted(p for p in path.rglob("*.json") if p.is_file() and not p.is_symlink())
        elif path.is_file():
            sources.append(path)
        else:
            problems.append(f"{path}: no such advisory file or folder")
    for path in sources:
        text = _read(path, 16 << 20)
        try:
            data = json.loads(text) if text is not None else None
        except (ValueError, RecursionError):
            data = None
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("affected"), list) and not item.get("withdrawn"):
                records.append(item)
            elif path.parent != shipped and data is not None and not isinstance(item, dict):
                problems.append(f"{path}: not an OSV record")
        if data is None:
            problems.append(f"{path}: not an OSV record (unreadable or invalid JSON)")
    return records, problems


def matching_advisories(records: Sequence[dict], ecosystem: str, name: str, version: str | None) -> list[dict]:
    out = []
    for record in records:
        for affected in record.get("affected") or []:
            if not isinstance(affected, dict):
                continue
            pkg = affected.get("package") or {}
            eco = str(pkg.get("ecosystem", ""))
            same = (eco == ecosystem == "npm" and pkg.get("name") == name) or \
                   (eco.lower() == ecosystem.lower() == "pypi" and _norm(str(pkg.get("name", ""))) == _norm(name))
            if same and _affects(affected, version):
                out.append(record)
                break
    return out


def _affects(affected: dict, version: str | None) -> bool:
    if version is None:
        return False
    versions = affected.get("versions")
    if isinstance(versions, list) and version in versions:
        return True
    for rng in affected.get("ranges") or []:
        if not isinstance(rng, dict) or rng.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        inside = False
        key = _version_key(version)
        for event in sorted((e for e in rng.get("events") or [] if isinstance(e, dict)),
                            key=lambda e: _version_key(str(next(iter(e.values()), "0")))):
            if "introduced" in event and (event["introduced"] == "0" or key >= _version_key(str(event["introduced"]))):
                inside = True
            if "fixed" in event and key >= _version_key(str(event["fixed"])):
                inside = False
            if "last_affected" in event and key > _version_key(str(event["last_affected"])):
                inside = False
            if "limit" in event and key >= _version_key(str(event["limit"])):
                inside = False
        if inside:
            return True
    return False


def advisory_entry(record: dict, server: Server, version: str, path: str) -> dict[str, Any]:
    malicious = str(record.get("id", "")).startswith("MAL-") or "malicious" in str(record.get("summary", "")).lower()
    env = ", ".join(server.env_keys) or "none set in the config; also what it read from the environment"
    if malicious:
        action = (f"remove it: delete it from the config and from this machine ({path}); rotate every credential "
                  f"the server could read (its environment: {env}) and review what it sent or accessed")
    else:
        action = f"update to a fixed release or remove it ({path}); see the references"
    return {
        "id": record.get("id"),
        "aliases": record.get("aliases") or [],
        "summary": record.get("summary") or (record.get("details") or "")[:200],
        "version": version,
        "path": path,
        "malicious": malicious,
        "action": action,
        "references": [r.get("url") for r in record.get("references") or [] if isinstance(r, dict) and r.get("url")],
    }


# ----------------------------------------------------------------------------- scanning
def _package_files(resolved: Resolved) -> list[Path]:
    """The regular files of the package (no links, nested dependency folders left out)."""
    out: list[Path] = []
    for path in resolved.paths:
        if path.is_file() and not path.is_symlink():
            out.append(path)
        elif _real_dir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in ("node_modules", ".git") and not os.path.islink(os.path.join(folder, d)))
                out += [Path(folder) / f for f in sorted(files) if not os.path.islink(os.path.join(folder, f))]
    return out


def content_hash(resolved: Resolved) -> str:
    digest = hashlib.sha256()
    for path in sorted(_package_files(resolved)):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(path.relative_to(resolved.root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return "sha256:" + digest.hexdigest()


def scan_server(server: Server, rules: Sequence[Rule], jobs: int | None) -> None:
    from analyzer.discover import discover
    from analyzer.scanner import Selection, scan_paths

    resolved = server.resolved
    assert resolved is not None
    selection = Selection(frozenset(r.id for r in rules))
    result = scan_paths(resolved.paths, resolved.root, selection, include_minified=True, jobs=jobs, inline_ignores=False,
                        include_tests=True)
    server.findings = result.findings
    server.notes = [n for n in result.notes if n.kind != "skipped-dirs"]
    server.files_scanned = result.files_scanned
    server.content_hash = content_hash(resolved)
    files, _ = discover(resolved.paths, resolved.root, use_git=False)
    server.caps = capabilities.collect(resolved.root, files)
    if resolved.ecosystem == "PyPI":
        for dist in {p.parent for p in resolved.paths if p.parent.name.endswith(".dist-info")}:
            capabilities.collect_metadata(dist, server.caps, resolved.root)


def scan_config(config: ConfigFile, text: str, rules: Sequence[Rule]) -> list[Finding]:
    """The config file itself with the config rules (``mcp-config-secret``: secrets pasted into
    ``env``, ``headers``, ``args``); its path in findings is as the report shows it."""
    from analyzer.scanner import Options, analyse

    ids = frozenset(r.id for r in rules if "json" in r.languages)
    if not ids or config.fmt != "json":
        return []
    result = analyse(config.shown, text, "json", Options(ids, inline_ignores=False))
    return result.kept


# ----------------------------------------------------------------------------- the audit
@dataclass
class AuditResult:
    home: Path
    configs: list[ConfigFile]
    servers: list[Server]
    config_findings: dict[str, list[Finding]]  # config shown path -> findings
    notes: list[Note]
    lock_problems: list[str] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return sum(len(s.findings) for s in self.servers) + sum(len(f) for f in self.config_findings.values())

    @property
    def advisories(self) -> int:
        return sum(len(s.advisories) for s in self.servers)

    @property
    def drifted(self) -> int:
        return sum(1 for s in self.servers if s.drift)


def run_audit(home: Path, projects: Sequence[Path], extra_configs: Sequence[Path], rules: Sequence[Rule],
              advisory_paths: Sequence[Path] = (), jobs: int | None = None, system: bool = False) -> AuditResult:
    configs = find_configs(home, projects, extra_configs)
    claude_projects: list[Path] = []
    servers: list[Server] = []
    config_findings: dict[str, list[Finding]] = {}
    for config in configs:
        found, text = read_servers(config)
        servers += found
        claude_projects += [Path(s.scope) for s in found if s.scope]
        if text is not None and config.error is None:
            findings = scan_config(config, text, rules)
            if findings:
                config_findings[config.shown] = findings
    # the project folders Claude Code knows: their own .mcp.json and friends
    more = [p for p in dict.fromkeys(claude_projects) if p.is_dir() and p not in projects]
    if more:
        known = {c.path for c in configs}
        for config in find_configs(home, more):
            if config.path not in known:
                configs.append(config)
                found, text = read_servers(config)
                servers += found
                if text is not None and config.error is None and (findings := scan_config(config, text, rules)):
                    config_findings[config.shown] = findings
    records, problems = load_advisories(advisory_paths)
    notes = [Note("", p, "warning", "config") for p in problems]
    notes += [Note(c.shown, c.error, "warning", "parse-error") for c in configs if c.error]
    resolver = Resolver(home, [*projects, *more], system)
    scanned: dict[str, Server] = {}
    for server in servers:
        resolve(server, resolver)
        if server.resolved is not None:
            key = str(server.resolved.root) + "|" + "|".join(map(str, server.resolved.paths))
            if key in scanned:  # the same package behind two entries: scan once
                twin = scanned[key]
                server.findings, server.notes, server.files_scanned = twin.findings, twin.notes, twin.files_scanned
                server.content_hash, server.caps = twin.content_hash, twin.caps
            else:
                scan_server(server, rules, jobs)
                scanned[key] = server
        _advisories(server, resolver, records)
    return AuditResult(home, configs, servers, config_findings, notes)


def _advisories(server: Server, resolver: Resolver, records: Sequence[dict]) -> None:
    copies: list[tuple[str, str]] = []
    ecosystem = None
    name = None
    if server.resolved is not None and server.resolved.package and server.resolved.ecosystem in ("npm", "PyPI"):
        ecosystem, name = server.resolved.ecosystem, server.resolved.package
        copies = [(server.resolved.version or "", str(server.resolved.root if ecosystem == "npm" else server.resolved.paths[0].parent
                                                      if server.resolved.paths else server.resolved.root)),
                  *server.resolved.others]
    elif server.spec is not None:
        ecosystem, name = server.spec[0], server.spec[1]
        if server.spec[2]:
            copies = [(server.spec[2], "not installed: the pinned release, fetched at the next launch")]
    if not name or not ecosystem:
        return
    seen = set()
    for version, path in copies:
        for record in matching_advisories(records, ecosystem, name, version or None):
            if (record.get("id"), version) not in seen:
                seen.add((record.get("id"), version))
                server.advisories.append(advisory_entry(record, server, version, path))


# ----------------------------------------------------------------------------- lock and drift
def lock_document(result: AuditResult) -> dict[str, Any]:
    servers = {}
    for s in result.servers:
        entry: dict[str, Any] = {"status": s.status, "package": s.resolved.package if s.resolved else (s.spec[1] if s.spec else None),
                                 "version": s.resolved.version if s.resolved else None}
        if s.resolved is not None:
            entry["hash"] = s.content_hash
            entry["capabilities"] = s.caps.to_json() if s.caps else {}
        servers[s.key] = entry
    return {"version": LOCK_VERSION, "servers": dict(sorted(servers.items()))}


def check_lock(result: AuditResult, lock: dict[str, Any]) -> None:
    """Mark each server whose version, code or capabilities changed since the lock (``drift``)."""
    locked = lock.get("servers") if isinstance(lock.get("servers"), dict) else {}
    for s in result.servers:
        old = locked.get(s.key)
        if not isinstance(old, dict):
            s.drift.append("a server not in the lock")
            continue
        if s.resolved is None:
            continue
        version = s.resolved.version
        if old.get("version") != version:
            s.drift.append(f"version {old.get('version')} -> {version}")
        if old.get("hash") and old.get("hash") != s.content_hash:
            s.drift.append("its code changed (content hash)")
        if s.caps is not None and "capabilities" in old:
            added, _ = capabilities.diff(capabilities.Capabilities.from_json(old["capabilities"]), s.caps)
            s.drift += [capabilities.describe(c) for c in added]
    current = {s.key for s in result.servers}
    for key in sorted(set(locked) - current):
        result.lock_problems.append(f"{key}: in the lock, no longer configured")


def load_lock(path: Path) -> dict[str, Any]:
    text = _read(path, 64 << 20)
    if text is None:
        raise ValueError(f"{path}: cannot read the lock")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ValueError(f"{path}: not a lock file ({e})") from None
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("servers"), dict):
        raise ValueError(f"{path}: not a mcpleaks lock (version {LOCK_VERSION} with \"servers\")")
    return data


# ----------------------------------------------------------------------------- reports
def _package_label(s: Server) -> str:
    if s.resolved is not None and s.resolved.package:
        return f"{s.resolved.package}@{s.resolved.version}" if s.resolved.version else s.resolved.package
    if s.spec is not None:
        sep = "@" if s.spec[0] == "npm" else "=="
        return f"{s.spec[1]}{sep}{s.spec[2]}" if s.spec[2] else s.spec[1]
    return "-"


def server_json(s: Server, rules: Sequence[Rule]) -> dict[str, Any]:
    from analyzer.report import render

    findings = []
    if s.findings and s.resolved is not None:
        findings = json.loads(render("json", ScanResult(findings=s.findings), rules, s.resolved.root))["findings"]
    return {
        "client": s.client,
        "config": s.config.shown,
        "scope": s.scope or None,
        "name": s.name,
        "line": s.line,
        "command": s.command,
        "args": s.args,
        "env": s.env_keys,
        "url": s.url,
        "package": s.resolved.package if s.resolved else (s.spec[1] if s.spec else None),
        "version": s.resolved.version if s.resolved else (s.spec[2] if s.spec else None),
        "ecosystem": s.resolved.ecosystem if s.resolved else (s.spec[0] if s.spec else None),
        "source": str(s.resolved.root) if s.resolved else None,
        "status": s.status,
        "reason": s.reason or None,
        "files_scanned": s.files_scanned,
        "findings": findings,
        "advisories": s.advisories,
        "warnings": s.warnings,
        "hash": s.content_hash,
        "capabilities": s.caps.to_json() if s.caps else None,
        "drift": s.drift,
        "notes": [{"path": n.path, "level": n.level, "kind": n.kind, "message": n.message} for n in s.notes],
    }


def render_json(result: AuditResult, rules: Sequence[Rule]) -> str:
    from analyzer import __version__
    from analyzer.report import render

    config_findings = []
    for shown, findings in result.config_findings.items():
        config_findings += json.loads(render("json", ScanResult(findings=findings), rules, result.home))["findings"]
    document = {
        "version": __version__,
        "configs": [{"client": c.client, "path": c.shown, "error": c.error} for c in result.configs],
        "servers": [server_json(s, rules) for s in result.servers],
        "config_findings": config_findings,
        "notes": [{"path": n.path, "level": n.level, "kind": n.kind, "message": n.message} for n in result.notes],
        "lock": {"removed": result.lock_problems},
        "summary": {"configs": len(result.configs), "servers": len(result.servers),
                    "resolved": sum(1 for s in result.servers if s.status == RESOLVED),
                    "findings": result.findings, "advisories": result.advisories, "drifted": result.drifted,
                    "unpinned": sum(1 for s in result.servers if any(w.startswith("unpinned") for w in s.warnings))},
    }
    return redact_text(json.dumps(document, indent=2)) + "\n"


def render_text(result: AuditResult, rules: Sequence[Rule], color: bool = False) -> str:
    from analyzer.report import render
    from analyzer.report.text import _clean

    lines = [f"MCP client configs: {len(result.configs)}" + ("" if result.configs else " (none found)")]
    lines += [f"  {c.client}: {c.shown}" + (f" ({c.error})" if c.error else "") for c in result.configs]
    lines.append("")
    rows = [("CLIENT", "SERVER", "PACKAGE", "SOURCE / STATUS", "FINDINGS", "ADVISORIES")]
    for s in result.servers:
        name = f"{s.name} ({s.scope})" if s.scope else s.name
        advisories = ", ".join(str(a["id"]) for a in s.advisories) or "-"
        status = _shown(s.resolved.root, result.home) if s.resolved else s.status
        rows.append((s.client, name, _package_label(s), status, str(len(s.findings)), advisories))
    widths = [min(60, max(len(_clean(r[i])) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        lines.append("  ".join(_clean(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
    for s in result.servers:
        details: list[str] = []
        if s.status != RESOLVED and s.reason:
            details.append(f"  {s.status}: {s.reason}")
        details += [f"  warning: {w}" for w in s.warnings]
        for a in s.advisories:
            details.append(f"  ADVISORY {a['id']} ({a['version'] or '?'}): {a['summary']}")
            details.append(f"    what to do: {a['action']}")
            details += [f"    see: {ref}" for ref in a["references"][:3]]
        details += [f"  drift: {d}" for d in s.drift]
        if s.findings and s.resolved is not None:
            body = render("text", ScanResult(findings=s.findings), rules, s.resolved.root, color=color)
            details += ["  " + line if line else "" for line in body.rstrip("\n").rsplit("\n\n", 1)[0].splitlines()]
        if details:
            lines += ["", f"{s.client} / {s.name} ({s.config.shown}:{s.line}) - {_package_label(s)}"]
            if s.resolved is not None:
                lines.append(f"  source: {_shown(s.resolved.root, result.home)}")
            lines += details
    for shown, findings in result.config_findings.items():
        body = render("text", ScanResult(findings=findings), rules, result.home, color=color)
        lines += ["", f"In the config {shown}:"] + body.rstrip("\n").rsplit("\n\n", 1)[0].splitlines()
    if result.notes:
        lines += [""] + [f"{n.path + ': ' if n.path else ''}{n.level}: {n.message}" for n in result.notes]
    if result.lock_problems:
        lines += [""] + [f"lock: {p}" for p in result.lock_problems]
    lines += ["", f"{len(result.servers)} server(s) in {len(result.configs)} config(s): "
                  f"{sum(1 for s in result.servers if s.status == RESOLVED)} resolved and scanned, "
                  f"{result.findings} finding(s), {result.advisories} advisory match(es)"
                  + (f", {result.drifted} changed since the lock" if result.drifted else "") + "."]
    return redact_text("\n".join(_clean(line) if "\x1b" not in line else line for line in lines)) + "\n"


AUDIT_RULES = {
    "mcp-known-malicious-release": ("error", 9.8, "An installed MCP server release matches a published advisory"),
    "mcp-unpinned-server": ("warning", 5.0, "An MCP server runs whatever release was published last (no pinned version)"),
    "mcp-server-drift": ("warning", 7.0, "An MCP server's code or capabilities changed since the lock"),
}


def render_sarif(result: AuditResult, rules: Sequence[Rule], automation_id: str = "mcpleaks/audit/") -> str:
    """One run: the scan findings of every server (each package folder its own uriBaseId,
    ``SERVER1``...), the config findings (``HOME``), and audit results (advisories, unpinned
    servers, drift) pointing at the server's entry in its config."""
    from analyzer.report import render

    base = json.loads(render("sarif", ScanResult(notes=result.notes), rules, result.home, automation_id=automation_id))
    run = base["runs"][0]
    run["originalUriBaseIds"] = {"HOME": run["originalUriBaseIds"]["%SRCROOT%"]}
    results = run["results"]

    def adopt(findings: Sequence[Finding], root: Path, uri_base: str) -> None:
        log = json.loads(render("sarif", ScanResult(findings=list(findings)), rules, root, automation_id=automation_id))
        sub = log["runs"][0]
        run["originalUriBaseIds"][uri_base] = sub["originalUriBaseIds"]["%SRCROOT%"]
        for r in sub["results"]:
            for loc in r.get("locations", []) + r.get("relatedLocations", []):
                loc["physicalLocation"]["artifactLocation"]["uriBaseId"] = uri_base
            results.append(r)

    home = result.home
    for shown, findings in result.config_findings.items():
        fixed = [f if not f.path.startswith("~/") else _rel(f, f.path[2:]) for f in findings]
        adopt(fixed, home, "HOME")
    for i, s in enumerate(result.servers, start=1):
        if s.findings and s.resolved is not None:
            adopt(s.findings, s.resolved.root, f"SERVER{i}")
            props = {"client": s.client, "server": s.name, "package": _package_label(s)}
            for r in results[-len(s.findings):]:
                r.setdefault("properties", {}).update(props)
    driver = run["tool"]["driver"]
    extra = []
    for rule_id, (level, severity, message) in AUDIT_RULES.items():
        extra.append({"id": rule_id, "name": "".join(p.title() for p in rule_id.split("-")),
                      "shortDescription": {"text": message}, "fullDescription": {"text": message},
                      "help": {"text": message, "markdown": message}, "defaultConfiguration": {"level": level},
                      "properties": {"tags": ["security", "supply-chain"], "security-severity": f"{severity:.1f}",
                                     "precision": "high", "category": "supply-chain"}})
    offset = len(driver["rules"])
    driver["rules"] += extra
    index = {r["id"]: offset + i for i, r in enumerate(extra)}

    def config_location(s: Server) -> dict[str, Any]:
        try:
            uri, uri_base = s.config.path.relative_to(home).as_posix(), "HOME"
        except ValueError:
            uri, uri_base = s.config.path.as_uri(), None
        artifact = {"uri": uri, **({"uriBaseId": uri_base} if uri_base else {})}
        return {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(1, s.line)}}}

    for s in result.servers:
        where = [config_location(s)]
        for a in s.advisories:
            results.append({"ruleId": "mcp-known-malicious-release", "ruleIndex": index["mcp-known-malicious-release"],
                            "level": "error", "message": {"text": f"{s.name}: {_package_label(s)} is {a['id']}: {a['summary']}. "
                                                                  f"What to do: {a['action']}"},
                            "locations": where, "partialFingerprints": {"mcpleaks/v1": _fp(s.key, a["id"], a["version"])},
                            "properties": {"advisory": a}})
        for w in s.warnings:
            results.append({"ruleId": "mcp-unpinned-server", "ruleIndex": index["mcp-unpinned-server"], "level": "warning",
                            "message": {"text": f"{s.name}: {w}"}, "locations": where,
                            "partialFingerprints": {"mcpleaks/v1": _fp(s.key, "unpinned")}})
        if s.drift:
            results.append({"ruleId": "mcp-server-drift", "ruleIndex": index["mcp-server-drift"], "level": "warning",
                            "message": {"text": f"{s.name}: changed since the lock: {'; '.join(s.drift)}"}, "locations": where,
                            "partialFingerprints": {"mcpleaks/v1": _fp(s.key, "drift", *s.drift)}})
    run["properties"] = {"servers": [{k: v for k, v in server_json(s, rules).items() if k not in ("findings", "notes")}
                                     for s in result.servers]}
    return redact_text(json.dumps(base, indent=2)) + "\n"


def _rel(finding: Finding, path: str) -> Finding:
    import dataclasses

    return dataclasses.replace(finding, path=path)


def _fp(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode("utf-8", "surrogateescape")).hexdigest()[:32]


# ----------------------------------------------------------------------------- CLI
AUDIT_EPILOG = """\
Finds the MCP client configs of the user (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf,
Cline, Roo Code, Zed, Gemini CLI, Codex, Amazon Q, Kiro, LM Studio) and of the projects named
(--project; default: the current folder), resolves every server to the code it runs (npx and uv
caches, pipx, virtualenvs, global node_modules, local files) without running anything, scans it
with every rule, scans the configs for pasted secrets, and matches installed releases against
OSV advisories (postmark-mcp 1.0.16 ships with mcpleaks; add more with --advisories).

exit status: 0 clean, 1 findings, an advisory match or (with --lock) a change since the lock,
2 usage or internal error.

examples:
  mcpleaks audit                               this user's servers
  mcpleaks audit --format json -o mcp-audit.json
  mcpleaks audit --advisories ~/malicious-packages/osv/malicious/npm
  mcpleaks audit --write-lock mcp-lock.json    record versions, hashes and capabilities
  mcpleaks audit --lock mcp-lock.json          the rug-pull alarm: what changed since"""


def add_parser(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    audit = sub.add_parser("audit", help="the MCP servers this machine runs: resolve, scan, match advisories",
                           description="Inventory the MCP servers that the MCP clients of this user launch, resolve "
                                       "each to its installed code and scan it.",
                           epilog=AUDIT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--home", metavar="DIR", help="the home folder to audit (default: the current user's)")
    audit.add_argument("--config", action="append", default=[], metavar="FILE", help="also read this client config (repeatable)")
    audit.add_argument("--project", action="append", default=[], metavar="DIR",
                       help="a project folder with its own configs (.mcp.json, .cursor/, .vscode/) and node_modules "
                            "(repeatable; default: the current folder)")
    audit.add_argument("--advisories", action="append", default=[], metavar="FILE_OR_DIR",
                       help="OSV advisory files or folders to match besides the shipped ones (repeatable)")
    audit.add_argument("--system", action="store_true", help="also look in system-wide node_modules (/usr/lib/node_modules...)")
    audit.add_argument("--write-lock", metavar="FILE", help="record each server's version, content hash and capabilities")
    audit.add_argument("--lock", metavar="FILE", help="report servers whose code or capabilities changed since the lock")
    audit.add_argument("--sarif-category", default="mcpleaks/audit/", metavar="ID", help="SARIF automationDetails.id")
    common(audit)


def command(args: argparse.Namespace, selected_rules, emit, color, usage_error) -> int:
    from analyzer.safeio import write_replacing

    rules = selected_rules(args)
    home = Path(args.home).expanduser() if args.home else Path.home()
    if not home.is_dir():
        raise usage_error(f"--home {args.home}: not a folder")
    projects = [Path(p).absolute() for p in args.project] or [Path.cwd()]
    extra = [Path(p) for p in args.config]
    for path in extra:
        if not path.is_file():
            raise usage_error(f"--config {path}: no such file")
    lock = None
    if args.lock:
        try:
            lock = load_lock(Path(args.lock))
        except ValueError as e:
            raise usage_error(str(e)) from None
    result = run_audit(home.absolute(), projects, extra, rules, [Path(p) for p in args.advisories], jobs=args.jobs,
                       system=args.system)
    if lock is not None:
        check_lock(result, lock)
    if args.write_lock:
        try:
            write_replacing(Path(args.write_lock), json.dumps(lock_document(result), indent=2) + "\n")
        except (UnsafeFile, OSError) as e:
            raise usage_error(f"cannot write {args.write_lock}: {e}") from None
        print(f"mcpleaks: {len(result.servers)} server(s) written to the lock {args.write_lock}", file=sys.stderr)
    if args.format == "json":
        report = render_json(result, rules)
    elif args.format == "sarif":
        report = render_sarif(result, rules, args.sarif_category)
    else:
        report = render_text(result, rules, color(args))
    emit(args, report, result.findings + result.advisories, "finding(s) and advisory match(es)")
    if any(n.kind == "internal-error" for s in result.servers for n in s.notes):
        return 2
    return 1 if result.findings or result.advisories or result.drifted else 0
