"""The actual tidying."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import defaultdict
from pathlib import Path

from ._const import ARCHIVE_AFTER_DAYS, CATEGORIES
from ._paths import RULES_FILE


def load_rules() -> dict[str, str]:
    if RULES_FILE.exists():
        # ok: sensitive-file-read
        return json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return {}


def category_for(path: Path, rules: dict[str, str]) -> str:
    ext = path.suffix.lower()
    if ext in rules:
        return rules[ext]
    for name, exts in CATEGORIES.items():
        if ext in exts:
            return name
    return "other"


def organize(folder: Path, dry_run: bool = True) -> dict[str, list[str]]:
    rules = load_rules()
    moves: dict[str, list[str]] = defaultdict(list)
    for entry in sorted(folder.iterdir()):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        cat = category_for(entry, rules)
        moves[cat].append(entry.name)
        if not dry_run:
            target = folder / cat
            target.mkdir(exist_ok=True)
            shutil.move(str(entry), target / entry.name)
    return dict(moves)


def duplicates(folder: Path) -> list[list[str]]:
    by_hash: dict[str, list[str]] = defaultdict(list)
    for entry in folder.rglob("*"):
        if entry.is_file():
            # ok: sensitive-file-read
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
            by_hash[digest].append(str(entry.relative_to(folder)))
    return [names for names in by_hash.values() if len(names) > 1]


def archive_old(folder: Path, dry_run: bool = True) -> list[str]:
    cutoff = time.time() - ARCHIVE_AFTER_DAYS * 86400
    old = [e for e in folder.iterdir() if e.is_file() and e.stat().st_mtime < cutoff]
    if not dry_run and old:
        archive = folder / "_archive"
        archive.mkdir(exist_ok=True)
        for e in old:
            shutil.move(str(e), archive / e.name)
    return [e.name for e in old]
