#!/usr/bin/env python3
"""Download and unpack the pinned MCP server packages of the real-world corpus.

Reads ``packages.tsv`` beside this file (columns ``ecosystem``, ``name``, ``version``, ``why``)
and puts every package's files under

    cache/<ecosystem>/<name>@<version>/        (npm scoped names nest: cache/npm/@scope/pkg@1.2.3/)

Nothing is installed, built or run:

* npm: ``npm pack NAME@VERSION --ignore-scripts --pack-destination TMP`` (in an empty temporary
  folder, so no project's ``.npmrc`` or ``package.json`` is involved), then the ``.tgz`` is
  unpacked here with ``tarfile``, its top folder (``package/``) stripped.
* PyPI: the JSON API (``/pypi/NAME/json``, its ``releases``) names the release's files. A
  pure wheel (``*-none-any.whl``, a zip) is preferred, else the sdist (``.tar.gz`` / ``.zip``,
  top folder stripped), else any other wheel. It is downloaded with urllib from PyPI's hosts
  only (a relative file URL is resolved against the API's address), its sha256 checked, and
  unpacked directly: no ``pip download`` (it would run an sdist's build backend).

Unpacking treats every archive as hostile: a member with an absolute path, a drive letter, a
``..`` component or a path that resolves outside the target is skipped; symlinks, hard links,
devices and FIFOs are skipped; file modes are not kept (every file is 0644); each file, the whole
package and the member count are capped, and the byte cap is enforced while copying (a zip's
declared sizes are not trusted). A package is unpacked into a temporary folder and renamed into
place when complete, so an interrupted run leaves nothing half-done: a package whose folder
exists is skipped (idempotent).

Usage:
  python benchmarks/realworld/fetch.py [--only NAME ...] [--jobs N] [--cache DIR] [--list FILE]

Prints a line per package and a summary (fetched, skipped, failed with the reason, and packages
with no JS/TS/Python source or over the size cap). Exits 1 only when no package is available
(none fetched and none already there); 0 otherwise, even when some failed.
Standard library plus the ``npm`` client.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
DEFAULT_LIST = HERE / "packages.tsv"
DEFAULT_CACHE = HERE / "cache"

PYPI_API = "https://pypi.org/pypi/{name}/json"
PYPI_FILE_HOSTS = {"files.pythonhosted.org", "pypi.org"}

MAX_DOWNLOAD = 100 * 1024 * 1024  # bytes of one archive
MAX_FILE = 30 * 1024 * 1024  # bytes of one unpacked file
MAX_TOTAL = 200 * 1024 * 1024  # bytes unpacked per package
MAX_MEMBERS = 50_000  # archive members per package
HUGE = 30 * 1024 * 1024  # unpacked size reported as "huge" (the list should not hold such)
SOURCE_SUFFIXES = (".py", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
NETWORK_TIMEOUT = 120  # seconds
NPM_TIMEOUT = 300


class FetchError(Exception):
    """A package could not be fetched; the message says why."""


@dataclass(frozen=True)
class Package:
    ecosystem: str
    name: str
    version: str
    why: str

    @property
    def label(self) -> str:
        return f"{self.ecosystem}:{self.name}@{self.version}"

    def target(self, cache: Path) -> Path:
        # npm scoped names ("@scope/pkg") nest one level, like node_modules does.
        return cache / self.ecosystem / f"{self.name}@{self.version}"


@dataclass
class Outcome:
    package: Package
    status: str  # fetched | skipped | failed
    detail: str = ""
    files: int = 0
    sources: int = 0
    size: int = 0


# --- the list ------------------------------------------------------------------------

def read_list(path: Path) -> list[Package]:
    packages: list[Package] = []
    seen: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header[:3] != ["ecosystem", "name", "version"]:
            raise SystemExit(f"{path}: the first line must be the header ecosystem<TAB>name<TAB>version<TAB>why")
        for number, line in enumerate(handle, start=2):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) < 3:
                raise SystemExit(f"{path}:{number}: expected at least 3 tab-separated columns")
            ecosystem, name, version = (cell.strip() for cell in cells[:3])
            why = cells[3].strip() if len(cells) > 3 else ""
            if ecosystem not in ("npm", "pypi"):
                raise SystemExit(f"{path}:{number}: ecosystem must be npm or pypi, not {ecosystem!r}")
            if not _safe_name(name) or not _safe_version(version):
                raise SystemExit(f"{path}:{number}: unexpected characters in {name!r} {version!r}")
            if (ecosystem, name) in seen:
                raise SystemExit(f"{path}:{number}: {ecosystem} {name} is listed twice")
            seen.add((ecosystem, name))
            packages.append(Package(ecosystem, name, version, why))
    return packages


def _safe_name(name: str) -> bool:
    body = name[1:] if name.startswith("@") else name
    parts = body.split("/")
    if len(parts) > (2 if name.startswith("@") else 1):
        return False
    return all(part and part not in (".", "..") and all(c.isalnum() or c in "-._~" for c in part) for part in parts)


def _safe_version(version: str) -> bool:
    return bool(version) and version not in (".", "..") and all(c.isalnum() or c in "-.+_" for c in version)


# --- safe unpacking ----------------------------------------------------------------------

class Unpacker:
    """Writes archive members under ``root``, refusing anything that could escape it."""

    def __init__(self, root: Path, strip: int) -> None:
        self.root = root.resolve()
        self.strip = strip
        self.total = 0
        self.members = 0
        self.files = 0
        self.skipped: list[str] = []

    def relative(self, name: str) -> PurePosixPath | None:
        """The member's path below the root, or None (with a reason noted) to skip it."""
        clean = name.replace("\\", "/")
        if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
            self.skipped.append(f"absolute path {name!r}")
            return None
        parts = [part for part in clean.split("/") if part not in ("", ".")]
        if ".." in parts:
            self.skipped.append(f"'..' in {name!r}")
            return None
        if any("\x00" in part for part in parts):
            self.skipped.append(f"NUL in {name!r}")
            return None
        parts = parts[self.strip:]
        if not parts:
            return None
        return PurePosixPath(*parts)

    def write(self, name: str, source: io.BufferedIOBase | None) -> None:
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise FetchError(f"more than {MAX_MEMBERS} archive members")
        relative = self.relative(name)
        if relative is None or source is None:
            return
        destination = self.root.joinpath(*relative.parts)
        try:
            destination.resolve().relative_to(self.root)  # parents may be files or odd names
        except ValueError:
            self.skipped.append(f"outside the target {name!r}")
            return
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # a parent path is a file
            self.skipped.append(f"parent is not a folder {name!r}")
            return
        if destination.parent.is_symlink() or not destination.parent.is_dir():
            self.skipped.append(f"parent is not a folder {name!r}")
            return
        if destination.exists() or destination.is_symlink():
            self.skipped.append(f"duplicate member {name!r}")
            return
        written = 0
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = source.read(1 << 16)
                if not chunk:
                    break
                written += len(chunk)
                self.total += len(chunk)
                if written > MAX_FILE:
                    raise FetchError(f"member {name!r} is over {MAX_FILE // (1024 * 1024)} MB")
                if self.total > MAX_TOTAL:
                    raise FetchError(f"unpacked size over {MAX_TOTAL // (1024 * 1024)} MB")
                out.write(chunk)
        self.files += 1

    def unpack_tar(self, archive: Path) -> None:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:  # streamed: no getmembers() of a huge listing up front
                if member.isdir():
                    self.members += 1
                    continue
                if not member.isfile():  # symlink, hard link, device, FIFO, anything else
                    self.members += 1
                    self.skipped.append(f"not a regular file {member.name!r}")
                    continue
                if member.size > MAX_FILE:
                    raise FetchError(f"member {member.name!r} is over {MAX_FILE // (1024 * 1024)} MB")
                handle = tar.extractfile(member)
                self.write(member.name, handle)

    def unpack_zip(self, archive: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise FetchError(f"more than {MAX_MEMBERS} archive members")
            for info in infos:
                if info.is_dir():
                    self.members += 1
                    continue
                mode = (info.external_attr >> 16) & 0o170000
                if mode and not stat.S_ISREG(mode):  # symlinks and the like (Unix zips)
                    self.members += 1
                    self.skipped.append(f"not a regular file {info.filename!r}")
                    continue
                if info.file_size > MAX_FILE:
                    raise FetchError(f"member {info.filename!r} is over {MAX_FILE // (1024 * 1024)} MB")
                with zf.open(info) as handle:
                    self.write(info.filename, handle)


def common_top(names: list[str]) -> int:
    """1 when every member sits in one top folder (to strip), else 0."""
    tops = {name.replace("\\", "/").lstrip("./").split("/", 1)[0] for name in names if name.strip("./")}
    nested = all("/" in name.replace("\\", "/").lstrip("./") for name in names if name.strip("./") and not name.endswith("/"))
    return 1 if len(tops) == 1 and nested else 0


def tar_names(archive: Path) -> list[str]:
    with tarfile.open(archive, mode="r:*") as tar:
        names = []
        for member in tar:
            names.append(member.name + ("/" if member.isdir() else ""))
            if len(names) > MAX_MEMBERS:
                raise FetchError(f"more than {MAX_MEMBERS} archive members")
        return names


def unpack(archive: Path, destination: Path, kind: str) -> Unpacker:
    """kind: npm-tgz (strip the top folder), wheel (as is), sdist-tar / sdist-zip (strip one common top folder)."""
    if kind == "npm-tgz":
        unpacker = Unpacker(destination, strip=1)
        unpacker.unpack_tar(archive)
    elif kind == "wheel":
        unpacker = Unpacker(destination, strip=0)
        unpacker.unpack_zip(archive)
    elif kind == "sdist-tar":
        unpacker = Unpacker(destination, strip=common_top(tar_names(archive)))
        unpacker.unpack_tar(archive)
    elif kind == "sdist-zip":
        with zipfile.ZipFile(archive) as zf:
            strip = common_top(zf.namelist())
        unpacker = Unpacker(destination, strip=strip)
        unpacker.unpack_zip(archive)
    else:
        raise FetchError(f"unknown archive kind {kind}")
    return unpacker


# --- downloads ---------------------------------------------------------------------------

def npm_pack(package: Package, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not on PATH")
    spec = f"{package.name}@{package.version}"
    env = dict(os.environ)
    env.update({
        "npm_config_ignore_scripts": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        "npm_config_loglevel": "error",
    })
    try:
        run = subprocess.run(
            [npm, "pack", spec, "--ignore-scripts", "--pack-destination", str(workdir), "--json"],
            cwd=workdir, env=env, capture_output=True, text=True, timeout=NPM_TIMEOUT, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise FetchError(f"npm pack timed out after {NPM_TIMEOUT}s") from None
    if run.returncode != 0:
        message = " ".join((run.stderr or run.stdout).split())
        raise FetchError(f"npm pack failed: {message[:300]}")
    tgz = sorted(workdir.glob("*.tgz"))
    if len(tgz) != 1:
        raise FetchError(f"npm pack left {len(tgz)} .tgz files")
    if tgz[0].stat().st_size > MAX_DOWNLOAD:
        raise FetchError(f"tarball over {MAX_DOWNLOAD // (1024 * 1024)} MB")
    return tgz[0]


def http_get(url: str, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "mcpleaks-realworld-fetch", "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} for {url}") from None
    except (urllib.error.URLError, OSError) as error:
        raise FetchError(f"network error for {url}: {error}") from None
    if len(data) > limit:
        raise FetchError(f"{url} is over {limit // (1024 * 1024)} MB")
    return data


def choose_pypi_file(files: list[dict]) -> tuple[dict, str]:
    """The file to unpack and its kind: a pure wheel, else the sdist, else any wheel."""
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel" and f.get("filename", "").endswith(".whl")]
    pure = [f for f in wheels if f["filename"].endswith("-none-any.whl")]
    if pure:
        return pure[0], "wheel"
    for f in files:
        if f.get("packagetype") == "sdist":
            name = f.get("filename", "")
            if name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
                return f, "sdist-tar"
            if name.endswith(".zip"):
                return f, "sdist-zip"
    if wheels:
        return wheels[0], "wheel"
    raise FetchError("no wheel or sdist in the release")


def pypi_download(package: Package, workdir: Path) -> tuple[Path, str]:
    # The project document lists every release's files (``releases``); the per-version
    # endpoint is not served everywhere (a mirror may answer 404).
    api = PYPI_API.format(name=urllib.parse.quote(package.name))
    try:
        project = json.loads(http_get(api, 50 * 1024 * 1024))
    except json.JSONDecodeError:
        raise FetchError("the PyPI JSON API answered something that is not JSON") from None
    releases = project.get("releases") or {}
    if package.version in releases:
        files = releases[package.version]
    elif (project.get("info") or {}).get("version") == package.version:
        files = project.get("urls", [])
    else:
        raise FetchError(f"PyPI has no release {package.version} (latest: {(project.get('info') or {}).get('version')})")
    files = [f for f in files if not f.get("yanked")]
    chosen, kind = choose_pypi_file(files)
    # Resolved against the API address: a PyPI mirror may answer with relative file URLs.
    url = urllib.parse.urljoin(api, chosen.get("url", ""))
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in PYPI_FILE_HOSTS:
        raise FetchError(f"refusing a file URL outside PyPI: {url}")
    if chosen.get("size", 0) > MAX_DOWNLOAD:
        raise FetchError(f"{chosen['filename']} is over {MAX_DOWNLOAD // (1024 * 1024)} MB")
    data = http_get(url, MAX_DOWNLOAD)
    expected = (chosen.get("digests") or {}).get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise FetchError(f"sha256 mismatch for {chosen['filename']}")
    filename = Path(PurePosixPath(chosen["filename"]).name)
    if filename.name in ("", ".", ".."):
        raise FetchError("odd file name in the release")
    archive = workdir / filename.name
    archive.write_bytes(data)
    return archive, kind


# --- one package --------------------------------------------------------------------------

def census(folder: Path) -> tuple[int, int, int]:
    files = sources = size = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for filename in filenames:
            path = Path(dirpath, filename)
            try:
                info = path.lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            files += 1
            size += info.st_size
            if filename.endswith(SOURCE_SUFFIXES) and not filename.endswith(".d.ts"):
                sources += 1
    return files, sources, size


def fetch_one(package: Package, cache: Path) -> Outcome:
    target = package.target(cache)
    if target.is_dir():
        files, sources, size = census(target)
        return Outcome(package, "skipped", "already in the cache", files, sources, size)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging_root = cache / ".staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fetch-", dir=staging_root))
    try:
        download = work / "download"
        download.mkdir()
        unpacked = work / "unpacked"
        unpacked.mkdir()
        if package.ecosystem == "npm":
            archive, kind = npm_pack(package, download), "npm-tgz"
        else:
            archive, kind = pypi_download(package, download)
        try:
            unpacker = unpack(archive, unpacked, kind)
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
            raise FetchError(f"cannot unpack {archive.name}: {error}") from None
        if unpacker.files == 0:
            raise FetchError(f"{archive.name} holds no regular file")
        try:
            unpacked.rename(target)
        except OSError:
            if target.is_dir():  # another run got there first
                return Outcome(package, "skipped", "already in the cache")
            raise
        files, sources, size = census(target)
        detail = archive.name
        if unpacker.skipped:
            detail += f"; {len(unpacker.skipped)} member(s) skipped, e.g. {unpacker.skipped[0]}"
        return Outcome(package, "fetched", detail, files, sources, size)
    except FetchError as error:
        return Outcome(package, "failed", str(error))
    except Exception as error:  # a report, not a crash: say what went wrong and go on
        return Outcome(package, "failed", f"{type(error).__name__}: {error}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="fetch only this package (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=4, help="parallel downloads (default 4)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder (default: cache/ beside this file)")
    parser.add_argument("--list", type=Path, default=DEFAULT_LIST, help="package list (default: packages.tsv beside this file)")
    args = parser.parse_args(argv)

    packages = read_list(args.list)
    if args.only:
        wanted = set(args.only)
        packages = [p for p in packages if p.name in wanted]
        missing = wanted - {p.name for p in packages}
        if missing:
            print(f"not in {args.list.name}: {', '.join(sorted(missing))}", file=sys.stderr)
        if not packages:
            return 1
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)

    lock = threading.Lock()
    done = [0]
    started = time.monotonic()

    def task(package: Package) -> Outcome:
        outcome = fetch_one(package, cache)
        with lock:
            done[0] += 1
            extra = f"{outcome.files} files, {outcome.sources} source, {_mb(outcome.size)}" if outcome.status != "failed" else outcome.detail
            print(f"[{done[0]:>3}/{len(packages)}] {outcome.status:<7} {package.label}  ({extra})", flush=True)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(task, packages))
    shutil.rmtree(cache / ".staging", ignore_errors=True)

    fetched = [o for o in outcomes if o.status == "fetched"]
    skipped = [o for o in outcomes if o.status == "skipped"]
    failed = [o for o in outcomes if o.status == "failed"]
    present = fetched + skipped
    print()
    print(f"fetched {len(fetched)}, skipped {len(skipped)} (already there), failed {len(failed)}"
          f" of {len(packages)} in {time.monotonic() - started:.0f}s; cache: {cache}")
    for outcome in failed:
        print(f"  failed  {outcome.package.label}: {outcome.detail}")
    for outcome in present:
        if outcome.sources == 0:
            print(f"  warning {outcome.package.label}: no JS/TS/Python source (drop it from the list)")
        if outcome.size > HUGE:
            print(f"  warning {outcome.package.label}: {_mb(outcome.size)} unpacked, over {_mb(HUGE)} (drop it from the list)")
    noted = [o for o in fetched if "skipped" in o.detail]
    for outcome in noted:
        print(f"  note    {outcome.package.label}: {outcome.detail}")
    by_eco: dict[str, list[int]] = {}
    for outcome in present:
        entry = by_eco.setdefault(outcome.package.ecosystem, [0, 0, 0, 0])
        entry[0] += 1
        entry[1] += outcome.files
        entry[2] += outcome.sources
        entry[3] += outcome.size
    for ecosystem, (count, files, sources, size) in sorted(by_eco.items()):
        print(f"  {ecosystem}: {count} packages, {files} files, {sources} source files, {_mb(size)}")
    return 0 if present else 1


if __name__ == "__main__":
    sys.exit(main())
