"""Reading and writing the files mcpleaks itself uses (configuration, baselines, reports)
when the tree they sit in may be hostile.

- :func:`read_regular` reads a file only if it is a regular file (not a FIFO, which would
  block forever, not a device such as ``/dev/zero``, which never ends, not a directory),
  and never more than a size limit; a symlink is followed, but what it leads to must pass
  the same checks.
- :func:`write_replacing` writes to a temporary file beside the destination and renames it
  over the destination (``os.replace``): a reader never sees half a report, and a symlink
  planted at the destination is never written through. A destination that *is* a symlink
  (or anything but a regular file) is refused: mcpleaks does not guess whether the link or
  its target was meant.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class UnsafeFile(Exception):
    """A file that is not read or written, and why (the message does not name the file:
    callers prefix their own wording)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; raises
    :class:`UnsafeFile` (or ``OSError`` when it cannot be opened) otherwise. Opening does
    not block on a FIFO (``O_NONBLOCK``), and the read stops after ``limit + 1`` bytes
    whatever the file claims its size is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"is {_kind(info.st_mode)}, not a regular file: not read")
        if info.st_size > limit:
            raise UnsafeFile(f"is larger than {_size(limit)}: not read")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise UnsafeFile(f"is larger than {_size(limit)}: not read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 and not limit % (1 << 20) else f"{limit} bytes"


def write_replacing(destination: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``destination`` atomically: a temporary
    file in the same directory, then ``os.replace``. Raises :class:`UnsafeFile` when the
    destination is a symlink or exists as anything but a regular file, ``OSError`` when
    the write fails (the temporary file is removed). A new file gets the usual
    permissions (0666 less the umask); an existing one keeps its own."""
    try:
        info = os.lstat(destination)
    except FileNotFoundError:
        mode = None
    else:
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeFile("is a symbolic link: not written through (remove the link, or name another file)")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"is {_kind(info.st_mode)}: not replaced")
        mode = stat.S_IMODE(info.st_mode)
    if mode is None:
        mode = 0o666 & ~_umask()
    directory = destination.parent if str(destination.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            with contextlib.suppress(OSError, AttributeError):  # no fchmod on Windows
                os.fchmod(f.fileno(), mode)
            f.write(text)
        os.replace(tmp, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
