"""Unpacking release archives (hostile input) for ``mcpleaks diff``, and the registry downloads
that produce them.

Archives: ``.tgz``/``.tar.gz``/``.tar`` (``npm pack`` output, Python sdists) and ``.whl``/``.zip``.
Nothing in an archive is trusted: every member is read by hand and written by us into a fresh
temporary folder, so no member can name where it lands. Absolute names, ``..`` parts, drive
letters and NUL bytes are refused; links (symbolic or hard), devices and FIFOs are never created;
the member count, each member's size and the total unpacked size are capped (zip bombs). When
every member sits in one top folder (``package/`` for npm, ``name-1.0/`` for an sdist), that
folder is the release's root, so that two releases line up path for path.

Registry specs (``npm:NAME@VERSION``, ``pypi:NAME==VERSION``) are fetched with npm's own client
(``npm pack --ignore-scripts``: downloads the tarball, runs nothing) and PyPI's JSON API (the
wheel, else the sdist archive, checked against the sha256 PyPI publishes; never ``pip download``
of an sdist, which would run its build backend). Nothing is installed or run.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 50_000
MAX_MEMBER_BYTES = 64 << 20
MAX_TOTAL_BYTES = 512 << 20
MAX_DOWNLOAD_BYTES = 256 << 20
DOWNLOAD_TIMEOUT = 60
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".whl", ".zip")
_NPM_SPEC = re.compile(r"npm:((?:@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*)@([\w.+-]+)", re.I)
_PYPI_SPEC = re.compile(r"pypi:([A-Za-z0-9][\w.-]*)==([\w.+!-]+)")


class ArchiveError(Exception):
    """An archive or registry spec that cannot be used; the message says why."""


@dataclass
class Unpacked:
    root: Path  # the release's root folder (inside ``workdir``)
    workdir: Path  # the temporary folder to remove
    skipped: list[str] = field(default_factory=list)  # members not written, with the reason

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def is_archive(path: str | Path) -> bool:
    return str(path).lower().endswith(ARCHIVE_SUFFIXES)


def is_registry_spec(spec: str) -> bool:
    return spec.startswith(("npm:", "pypi:"))


def _safe_name(name: str) -> str | None:
    """The member's relative POSIX path, or None when it could land outside the folder."""
    if "\0" in name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class _Writer:
    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.total = 0
        self.count = 0
        self.skipped: list[str] = []

    def member(self) -> None:
        self.count += 1
        if self.count > MAX_MEMBERS:
            raise ArchiveError(f"more than {MAX_MEMBERS:,} members: not unpacked (an archive bomb?)")

    def write(self, name: str, stream, size: int) -> None:
        rel = _safe_name(name)
        if rel is None:
            self.skipped.append(f"{name!r}: a path outside the archive's folder, not written")
            return
        if size > MAX_MEMBER_BYTES:
            self.skipped.append(f"{rel}: {size:,} bytes, over the {MAX_MEMBER_BYTES:,}-byte limit per file, not written")
            return
        target = self.dest / rel
        for parent in reversed(target.parents):  # no link can exist: we create every folder ourselves
            if parent == self.dest or self.dest not in parent.parents:
                continue
            if parent.exists() and not parent.is_dir():
                self.skipped.append(f"{rel}: a file and a folder share a name, not written")
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            self.skipped.append(f"{rel}: appears more than once, the first copy kept")
            return
        written = 0
        with open(target, "xb") as out:
            while chunk := stream.read(1 << 16):
                written += len(chunk)
                self.total += len(chunk)
                if written > MAX_MEMBER_BYTES or self.total > MAX_TOTAL_BYTES:
                    out.close()
                    target.unlink()
                    raise ArchiveError(f"unpacks to more than {MAX_TOTAL_BYTES:,} bytes (or a member lied about its "
                                       "size): not unpacked (an archive bomb?)")
                out.write(chunk)
        os.chmod(target, 0o644)

    def directory(self, name: str) -> None:
        rel = _safe_name(name)
        if rel is not None and not (self.dest / rel).exists():
            (self.dest / rel).mkdir(parents=True, exist_ok=True)


def unpack(archive: str | Path) -> Unpacked:
    """Unpack ``archive`` into a new temporary folder (see the module docs for what is refused)."""
    archive = Path(archive)
    workdir = Path(tempfile.mkdtemp(prefix="mcpleaks-release-"))
    dest = workdir / "x"
    dest.mkdir()
    writer = _Writer(dest)
    try:
        if not archive.is_file():
            raise ArchiveError(f"{archive}: not a file")
        name = archive.name.lower()
        if name.endswith((".whl", ".zip")):
            _unzip(archive, writer)
        else:
            _untar(archive, writer)
    except ArchiveError:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, ValueError) as e:
        shutil.rmtree(workdir, ignore_errors=True)
        raise ArchiveError(f"{archive}: cannot unpack: {e}") from None
    entries = list(dest.iterdir())
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() and not name.endswith(".whl") else dest
    return Unpacked(root, workdir, writer.skipped)


def _untar(archive: Path, writer: _Writer) -> None:
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            writer.member()
            if member.isdir():
                writer.directory(member.name)
            elif member.isreg():
                stream = tar.extractfile(member)
                if stream is not None:
                    writer.write(member.name, stream, member.size)
            else:
                kind = "a link" if member.issym() or member.islnk() else "a device or special file"
                writer.skipped.append(f"{member.name!r}: {kind}, not written")


def _unzip(archive: Path, writer: _Writer) -> None:
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            writer.member()
            mode = stat.S_IFMT(info.external_attr >> 16)  # 0: no file type recorded (a plain file)
            if info.is_dir():
                writer.directory(info.filename)
            elif mode and stat.S_ISLNK(mode):
                writer.skipped.append(f"{info.filename!r}: a link, not written")
            elif mode and not stat.S_ISREG(mode):
                writer.skipped.append(f"{info.filename!r}: a device or special file, not written")
            else:
                with zf.open(info) as stream:
                    writer.write(info.filename, stream, info.file_size)


# ----------------------------------------------------------------------------- registries
def fetch(spec: str) -> Unpacked:
    """Download a registry spec's release archive and unpack it (nothing installed or run)."""
    m = _NPM_SPEC.fullmatch(spec)
    if m:
        return _npm(m.group(1), m.group(2))
    m = _PYPI_SPEC.fullmatch(spec)
    if m:
        return _pypi(m.group(1), m.group(2))
    raise ArchiveError(f"{spec!r}: a registry spec is npm:NAME@VERSION or pypi:NAME==VERSION (an exact version)")


def _npm(name: str, version: str) -> Unpacked:
    npm = shutil.which("npm")
    if npm is None:
        raise ArchiveError("npm is not installed: it is needed to fetch npm: specs (or pass a .tgz from `npm pack`)")
    tmp = Path(tempfile.mkdtemp(prefix="mcpleaks-npm-"))
    try:
        run = subprocess.run([npm, "pack", f"{name}@{version}", "--ignore-scripts", "--json", "--pack-destination", str(tmp)],
                             cwd=tmp, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT * 3,
                             env={**os.environ, "npm_config_ignore_scripts": "true", "npm_config_update_notifier": "false"})
        if run.returncode != 0:
            detail = (run.stderr or run.stdout).strip().splitlines()
            raise ArchiveError(f"npm pack {name}@{version} failed: {detail[-1] if detail else 'exit ' + str(run.returncode)}")
        tarballs = sorted(tmp.glob("*.tgz"))
        if not tarballs:
            raise ArchiveError(f"npm pack {name}@{version} wrote no tarball")
        return unpack(tarballs[0])
    except subprocess.TimeoutExpired:
        raise ArchiveError(f"npm pack {name}@{version} timed out") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _pypi_json(url: str) -> dict | None:
    """PyPI's JSON for ``url``; None when it has no such page (404)."""
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as r:
            data = json.loads(r.read(64 << 20))
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise ArchiveError(f"PyPI answered {e.code} for {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise ArchiveError(f"cannot reach PyPI ({url}): {getattr(e, 'reason', e)}") from None
    return data if isinstance(data, dict) else None


def _pypi(name: str, version: str) -> Unpacked:
    base = f"https://pypi.org/pypi/{urllib.parse.quote(name)}/"
    url = f"{base}{urllib.parse.quote(version)}/json"
    meta = _pypi_json(url)
    files: list = meta.get("urls", []) if meta else []
    if meta is None:  # a mirror without the per-release page: the project page lists every release
        url = f"{base}json"
        project = _pypi_json(url)
        if project is None:
            raise ArchiveError(f"PyPI has no project {name}")
        files = (project.get("releases") or {}).get(version)
        if files is None:
            raise ArchiveError(f"PyPI has no {name}=={version}")
    files = [f for f in files if isinstance(f, dict) and not f.get("yanked") and isinstance(f.get("url"), str)]
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel"]
    wheels.sort(key=lambda f: (not str(f.get("filename", "")).endswith("-none-any.whl"), f.get("filename", "")))
    sdists = [f for f in files if f.get("packagetype") == "sdist" and is_archive(f.get("filename", ""))]
    chosen = (wheels or sdists or [None])[0]
    if chosen is None:
        raise ArchiveError(f"PyPI lists no wheel or sdist archive for {name}=={version}")
    download = urllib.parse.urljoin(url, chosen["url"])
    if not download.startswith("https://"):
        raise ArchiveError(f"PyPI gave a download address that is not https: {download}")
    filename = os.path.basename(str(chosen["filename"]))
    tmp = Path(tempfile.mkdtemp(prefix="mcpleaks-pypi-"))
    try:
        target = tmp / filename
        digest = hashlib.sha256()
        size = 0
        with urllib.request.urlopen(download, timeout=DOWNLOAD_TIMEOUT) as r, open(target, "wb") as out:
            while chunk := r.read(1 << 16):
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise ArchiveError(f"{filename}: larger than {MAX_DOWNLOAD_BYTES:,} bytes, not downloaded")
                digest.update(chunk)
                out.write(chunk)
        expected = (chosen.get("digests") or {}).get("sha256")
        if expected and digest.hexdigest() != expected:
            raise ArchiveError(f"{filename}: sha256 does not match the one PyPI publishes")
        return unpack(target)
    except (urllib.error.URLError, OSError) as e:
        raise ArchiveError(f"cannot download {filename}: {getattr(e, 'reason', e)}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
