"""Settings from the closest configuration file: ``.mcpleaks.toml`` or ``mcpleaks.toml`` (the
keys at the top level; for projects without a ``pyproject.toml``, such as JavaScript and
TypeScript servers), or the ``[tool.mcpleaks]`` table of a ``pyproject.toml``.

```toml
[tool.mcpleaks]                       # in pyproject.toml; in (.)mcpleaks.toml, no table header
select = ["hidden-email-recipient"]   # only these rules
ignore = ["payload-logging-request"]  # never these rules
exclude = ["tests/fixtures/"]         # gitignore-style, relative to this file's directory
max-file-size = 2_000_000             # bytes; 0 = no limit
include-minified = false
```

As in ruff, the search goes from the start directory up to the filesystem root, and the first
directory holding a configuration wins; within one directory ``.mcpleaks.toml`` comes before
``mcpleaks.toml``, which comes before a ``pyproject.toml`` (and a ``pyproject.toml`` counts only
when it has a ``[tool.mcpleaks]`` table; a dedicated file counts even when empty).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analyzer import ignore

from analyzer.safeio import UnsafeFile, read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_MAX_FILE_SIZE = 1_000_000
MAX_CONFIG_BYTES = 4 << 20  # a pyproject.toml larger than this is refused
KEYS = ("select", "ignore", "exclude", "max-file-size", "include-minified")
DEDICATED = (".mcpleaks.toml", "mcpleaks.toml")  # in this order, before pyproject.toml
CONFIG_FILES = (*DEDICATED, "pyproject.toml")  # every file name that may hold settings


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and key."""


@dataclass
class Config:
    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_file_size: int | None = DEFAULT_MAX_FILE_SIZE  # None: no limit
    include_minified: bool = False
    source: Path | None = None  # the configuration file it was read from

    def merged(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        exclude: Sequence[str] = (),
        max_file_size: int | None = None,
        include_minified: bool = False,
    ) -> Config:
        """This config with command-line values on top: ``select`` and ``max_file_size``
        (0 = no limit) replace when given, ``ignore`` and ``exclude`` extend,
        ``include_minified`` turns the option on."""
        return replace(
            self,
            select=list(select) if select is not None else self.select,
            ignore=[*self.ignore, *ignore],
            exclude=[*self.exclude, *exclude],
            max_file_size=(max_file_size or None) if max_file_size is not None else self.max_file_size,
            include_minified=self.include_minified or include_minified,
        )


def load_config(start: Path) -> Config:
    """The config of the closest directory, from ``start`` (a file or directory) up to the
    filesystem root, that holds ``.mcpleaks.toml``, ``mcpleaks.toml`` or a ``pyproject.toml``
    with a ``[tool.mcpleaks]`` table (in that order of precedence within a directory);
    defaults when there is none. A file that cannot be read safely (not a regular file, over
    ``MAX_CONFIG_BYTES``, not UTF-8, not TOML, nested too deep) is a :class:`ConfigError`
    naming it, never a traceback and never silently skipped."""
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        for name in DEDICATED:
            dedicated = candidate / name
            if _present(dedicated):
                return _parse(_read_toml(dedicated), dedicated, "")
        pyproject = candidate / "pyproject.toml"
        if _present(pyproject):
            table = _mcpleaks_table(pyproject)
            if table is not None:
                return _parse(table, pyproject, "[tool.mcpleaks] ")
    return Config()


def _present(path: Path) -> bool:
    """There is something at ``path`` to read or to complain about (a dangling link is nothing)."""
    return os.path.lexists(path) and not (path.is_symlink() and not path.exists())


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except UnsafeFile as e:
        raise ConfigError(f"{path}: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (invalid byte at offset {e.start}); TOML files must be UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deep to read") from None
    except MemoryError:
        raise ConfigError(f"{path}: too large to read") from None
    except ValueError as e:  # e.g. an integer with too many digits
        raise ConfigError(f"{path}: invalid TOML: {e}") from None


def _mcpleaks_table(pyproject: Path) -> dict[str, Any] | None:
    data = _read_toml(pyproject)
    tool = data.get("tool")
    table = tool.get("mcpleaks") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: `tool.mcpleaks` must be a table")
    return table


def _parse(table: dict[str, Any], source: Path, where: str = "[tool.mcpleaks] ") -> Config:
    """``where`` names the place of the keys in messages: ``[tool.mcpleaks] `` in a
    pyproject.toml, nothing in a dedicated file (whose keys are top level)."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        hint = ("; in this file the keys are top level, without a [tool.mcpleaks] header"
                if "tool" in unknown and not where else "")
        raise ConfigError(
            f"{source}: unknown key(s) in {where.strip() or source.name}: {', '.join(unknown)}; "
            f"valid keys: {', '.join(KEYS)}{hint}"
        )
    config = Config(source=source)
    if "select" in table:
        config.select = _string_list(table, "select", source, where)
    if "ignore" in table:
        config.ignore = _string_list(table, "ignore", source, where)
    if "exclude" in table:
        config.exclude = _patterns(table, "exclude", source, where)
    if "max-file-size" in table:
        config.max_file_size = _file_size(table["max-file-size"], source, where)
    if "include-minified" in table:
        value = table["include-minified"]
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {where}include-minified must be true or false")
        config.include_minified = value
    return config


def _string_list(table: dict[str, Any], key: str, source: Path, where: str) -> list[str]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{source}: {where}{key} must be a list of non-empty strings")
    return value


def _patterns(table: dict[str, Any], key: str, source: Path, where: str) -> list[str]:
    patterns = _string_list(table, key, source, where)
    for pattern in patterns:
        try:
            ignore.parse(pattern)
        except ignore.InvalidPattern as e:
            raise ConfigError(f"{source}: {where}{key}: invalid pattern {pattern!r} ({e})") from None
    return patterns


def _file_size(value: object, source: Path, where: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: {where}max-file-size must be a number of bytes (0 = no limit)")
    return value or None
