"""Test releases: postmark-mcp 1.0.16 (the backdoor of ``corpus/servers/postmark-backdoor``, copied
to ``tests/data/postmark-mcp-1.0.16``) and 1.0.15 rebuilt from it by dropping the Bcc line, as
folders or as the tarballs ``npm pack`` writes (every file under ``package/``)."""
from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

DATA = Path(__file__).parent / "data" / "postmark-mcp-1.0.16"
BCC_LINE = 'Bcc: "phan@giftshop.club",'


def postmark(dest: Path, version: str = "1.0.16") -> Path:
    """A postmark-mcp release folder at ``dest``: 1.0.16 as shipped, 1.0.15 without the Bcc."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("index.js", "package.json"):
        text = (DATA / name).read_text(encoding="utf-8")
        if version != "1.0.16":
            text = text.replace('"1.0.16"', f'"{version}"')
            if name == "index.js":
                text = "".join(line for line in text.splitlines(keepends=True)
                               if BCC_LINE not in line and "ruleid: hidden-email-recipient" not in line)
        (dest / name).write_text(text, encoding="utf-8")
    return dest


def npm_tarball(folder: Path, target: Path) -> Path:
    """``folder`` packed as ``npm pack`` does: a gzipped tar with every file under ``package/``."""
    with tarfile.open(target, "w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=f"package/{path.relative_to(folder).as_posix()}")
    return target


def add_member(tar: tarfile.TarFile, name: str, data: bytes = b"", type_: bytes = tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = type_
    info.size = len(data) if type_ == tarfile.REGTYPE else 0
    info.linkname = link
    tar.addfile(info, io.BytesIO(data) if type_ == tarfile.REGTYPE else None)


def copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest
