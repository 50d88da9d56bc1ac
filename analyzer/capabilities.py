"""What a package can do: its capabilities, for ``mcpleaks diff`` and the audit lock.

A release's capabilities are plain sets of strings, one set per kind:

- ``host``: outbound hosts (URL literals, ``host``/``hostname`` options)
- ``recipient``: constant e-mail addresses (a Bcc, a support address)
- ``env``: environment variables read (``*``: the whole environment)
- ``file``: files read outside the package (``~`` is the home folder: ``~/.ssh/id_rsa``)
- ``process``: processes spawned (the program when a literal names it, else the API or module)
- ``dependency``: declared dependencies (``package.json``, ``pyproject.toml``, ``requirements*.txt``,
  a wheel's ``METADATA``, lock files), ``npm:NAME`` or ``pypi:NAME``
- ``install-script``: code that runs on install or start-up: npm ``preinstall``/``install``/
  ``postinstall``/``prepare`` scripts, ``binding.gyp``, a Python ``setup.py`` or build backend, ``.pth`` files

Each value keeps the first place it was seen (``path:line``), to show next to it. Source files are
read by the engines (``Engine.capabilities``), which give plain data: no parser node leaves an
engine. Manifests are read here, as data. Nothing is imported or run.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import decoding
from analyzer.discover import SourceFile, discover
from analyzer.engines import engine_for
from analyzer.secrets import redact_text

KINDS = ("host", "recipient", "env", "file", "process", "dependency", "install-script")
KIND_WORDS = {
    "host": "outbound host", "recipient": "e-mail recipient", "env": "environment variable read",
    "file": "file read outside the package", "process": "process spawned", "dependency": "dependency",
    "install-script": "install script",
}
NPM_INSTALL_SCRIPTS = ("preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare")
_MANIFEST_MAX = 4 << 20
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"})


@dataclass
class Capabilities:
    items: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in KINDS})

    def add(self, kind: str, value: str, where: str) -> None:
        if kind in self.items and value:
            self.items[kind].setdefault(value, where)

    def to_json(self) -> dict[str, list[str]]:
        return {kind: sorted(values) for kind, values in self.items.items()}

    @classmethod
    def from_json(cls, data: object) -> "Capabilities":
        caps = cls()
        if isinstance(data, dict):
            for kind in KINDS:
                for value in data.get(kind) or []:
                    if isinstance(value, str):
                        caps.add(kind, value, "")
        return caps


@dataclass(frozen=True)
class Change:
    kind: str
    value: str
    where: str  # path:line in the newer release ("" when unknown)


def collect(root: Path, files: Sequence[SourceFile] | None = None) -> Capabilities:
    """The capabilities of the package at ``root``: its source files (discovered like a scan
    that walks dependency and virtualenv folders too, unless ``files`` are given) and manifests."""
    if files is None:
        files, _ = discover([root], root, include_folders=("dependencies", "virtualenvs"), use_git=False)
    caps = Capabilities()
    for file in files:
        try:
            data = file.path.read_bytes()
        except OSError:
            continue
        decoded = decoding.decode(data, file.language)
        engine = engine_for(file.language)
        if decoded.text is None or engine is None:
            continue
        try:
            found = engine.capabilities(decoded.text, file.language)
        except (RecursionError, MemoryError, ValueError):
            continue
        for kind, value, line in sorted(found, key=lambda c: c[2]):
            if kind == "host" and (value in _LOCAL_HOSTS or "." not in value.strip("[]") and ":" not in value):
                continue
            caps.add(kind, redact_text(value), f"{file.rel}:{line}")
    _manifests(root, caps)
    return caps


def diff(old: Capabilities, new: Capabilities) -> tuple[list[Change], list[Change]]:
    """(added, removed): the values ``new`` has that ``old`` lacks, and the reverse."""
    added = [Change(k, v, w) for k in KINDS for v, w in sorted(new.items[k].items()) if v not in old.items[k]]
    removed = [Change(k, v, w) for k in KINDS for v, w in sorted(old.items[k].items()) if v not in new.items[k]]
    return added, removed


def changes_json(changes: Iterable[Change]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for c in changes:
        out.setdefault(c.kind, []).append({"value": c.value, "where": c.where})
    return out


def describe(change: Change) -> str:
    where = f" ({change.where})" if change.where else ""
    return f"new {KIND_WORDS[change.kind]}: {change.value}{where}"


# ----------------------------------------------------------------------------- manifests
def _read_json(path: Path) -> object:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MANIFEST_MAX:
            return None
        return json.loads(path.read_bytes().decode("utf-8-sig", "replace"))
    except (OSError, ValueError, RecursionError):
        return None


def _read_text(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MANIFEST_MAX:
            return None
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def _read_toml(path: Path) -> dict:
    text = _read_text(path)
    if text is None:
        return {}
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _manifests(root: Path, caps: Capabilities) -> None:
    pkg = _read_json(root / "package.json")
    if isinstance(pkg, dict):
        for section in ("dependencies", "optionalDependencies", "peerDependencies"):
            deps = pkg.get(section)
            if isinstance(deps, dict):
                for name in deps:
                    caps.add("dependency", f"npm:{name}", "package.json")
        scripts = pkg.get("scripts")
        if isinstance(scripts, dict):
            for name in NPM_INSTALL_SCRIPTS:
                if isinstance(scripts.get(name), str):
                    caps.add("install-script", f"{name}: {redact_text(scripts[name])}", "package.json")
    if (root / "binding.gyp").is_file() and not (root / "binding.gyp").is_symlink():
        caps.add("install-script", "binding.gyp (node-gyp builds native code on install)", "binding.gyp")
    lock = _read_json(root / "package-lock.json") or _read_json(root / "npm-shrinkwrap.json")
    if isinstance(lock, dict) and isinstance(lock.get("packages"), dict):
        for key in lock["packages"]:
            if isinstance(key, str) and "node_modules/" in key:
                caps.add("dependency", "npm:" + key.rsplit("node_modules/", 1)[1], "package-lock.json")
    project = _read_toml(root / "pyproject.toml")
    proj = project.get("project") if isinstance(project.get("project"), dict) else {}
    for req in proj.get("dependencies") or []:
        _requirement(caps, req, "pyproject.toml")
    optional = proj.get("optional-dependencies")
    if isinstance(optional, dict):
        for reqs in optional.values():
            for req in reqs if isinstance(reqs, list) else []:
                _requirement(caps, req, "pyproject.toml")
    poetry = ((project.get("tool") or {}).get("poetry") or {}).get("dependencies") if isinstance(project.get("tool"), dict) else None
    if isinstance(poetry, dict):
        for name in poetry:
            if name.lower() != "python":
                caps.add("dependency", f"pypi:{_norm(name)}", "pyproject.toml")
    backend = (project.get("build-system") or {}).get("build-backend") if isinstance(project.get("build-system"), dict) else None
    if isinstance(backend, str):
        caps.add("install-script", f"build backend {backend} (runs when built from source)", "pyproject.toml")
    if (root / "setup.py").is_file() and not (root / "setup.py").is_symlink():
        caps.add("install-script", "setup.py (runs when built from source)", "setup.py")
    for req_file in sorted(root.glob("requirements*.txt")):
        for line in (_read_text(req_file) or "").splitlines():
            if not line.strip().startswith(("#", "-")):
                _requirement(caps, line, req_file.name)
    for lock_name in ("uv.lock", "poetry.lock"):
        data = _read_toml(root / lock_name)
        for entry in data.get("package") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                caps.add("dependency", f"pypi:{_norm(entry['name'])}", lock_name)
    for meta in sorted(root.glob("*.dist-info/METADATA")) + sorted(root.glob("PKG-INFO")):
        for line in (_read_text(meta) or "").splitlines():
            if line.startswith("Requires-Dist:"):
                _requirement(caps, line.split(":", 1)[1], meta.relative_to(root).as_posix())
    for pth in sorted(root.glob("*.pth")):
        text = _read_text(pth) or ""
        if any(line.startswith(("import ", "import\t")) for line in text.splitlines()):
            caps.add("install-script", f"{pth.name} (runs at every Python start)", pth.name)


def _requirement(caps: Capabilities, req: object, where: str) -> None:
    if isinstance(req, str):
        m = _REQ_NAME.match(req)
        if m:
            caps.add("dependency", f"pypi:{_norm(m.group(1))}", where)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def collect_metadata(dist_info: Path, caps: Capabilities, root: Path) -> None:
    """An installed distribution's declared dependencies (``Requires-Dist`` in its METADATA) and
    ``.pth`` start-up hooks it installed (listed in its RECORD)."""
    where = dist_info.relative_to(root).as_posix() if dist_info.is_relative_to(root) else dist_info.name
    for line in (_read_text(dist_info / "METADATA") or "").splitlines():
        if line.startswith("Requires-Dist:") and "extra ==" not in line:
            _requirement(caps, line.split(":", 1)[1], f"{where}/METADATA")
    for line in (_read_text(dist_info / "RECORD") or "").splitlines():
        name = line.split(",", 1)[0]
        if name.endswith(".pth") and "/" not in name:
            text = _read_text(dist_info.parent / name) or ""
            if any(row.startswith(("import ", "import\t")) for row in text.splitlines()):
                caps.add("install-script", f"{name} (runs at every Python start)", name)
