"""Settings from the ``[tool.mcpleaks]`` table of the nearest ``pyproject.toml`` that has one.

```toml
[tool.mcpleaks]
select = ["hidden-email-recipient"]   # only these rules
ignore = ["payload-logging-request"]  # never these rules
exclude = ["tests/fixtures/"]         # gitignore-style, relative to this file's directory
max-file-size = 2_000_000             # bytes; 0 = no limit
include-minified = false
```
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


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and key."""


@dataclass
class Config:
    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_file_size: int | None = DEFAULT_MAX_FILE_SIZE  # None: no limit
    include_minified: bool = False
    source: Path | None = None  # the pyproject.toml it was read from

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
    """The config of the nearest ``pyproject.toml`` with a ``[tool.mcpleaks]`` table,
    searching from ``start`` (a file or directory) up to the filesystem root;
    defaults when there is none. A ``pyproject.toml`` that cannot be read safely (not a
    regular file, over ``MAX_CONFIG_BYTES``, not UTF-8, not TOML, nested too deep) is a
    :class:`ConfigError` naming it, never a traceback and never silently skipped."""
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if os.path.lexists(pyproject) and not (pyproject.is_symlink() and not pyproject.exists()):
            table = _mcpleaks_table(pyproject)
            if table is not None:
                return _parse(table, pyproject)
    return Config()


def _mcpleaks_table(pyproject: Path) -> dict[str, Any] | None:
    try:
        raw = read_regular(pyproject, MAX_CONFIG_BYTES)
    except UnsafeFile as e:
        raise ConfigError(f"{pyproject}: {e}") from None
    except OSError as e:
        raise ConfigError(f"{pyproject}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{pyproject}: not UTF-8 text (invalid byte at offset {e.start}); TOML files must be UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{pyproject}: invalid TOML: {e}") from None
    except RecursionError:
        raise ConfigError(f"{pyproject}: invalid TOML: arrays or tables nested too deep to read") from None
    except MemoryError:
        raise ConfigError(f"{pyproject}: too large to read") from None
    except ValueError as e:  # e.g. an integer with too many digits
        raise ConfigError(f"{pyproject}: invalid TOML: {e}") from None
    tool = data.get("tool")
    table = tool.get("mcpleaks") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: `tool.mcpleaks` must be a table")
    return table


def _parse(table: dict[str, Any], source: Path) -> Config:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{source}: unknown key(s) in [tool.mcpleaks]: {', '.join(unknown)}; valid keys: {', '.join(KEYS)}"
        )
    config = Config(source=source)
    if "select" in table:
        config.select = _string_list(table, "select", source)
    if "ignore" in table:
        config.ignore = _string_list(table, "ignore", source)
    if "exclude" in table:
        config.exclude = _patterns(table, "exclude", source)
    if "max-file-size" in table:
        config.max_file_size = _file_size(table["max-file-size"], source)
    if "include-minified" in table:
        value = table["include-minified"]
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: [tool.mcpleaks] include-minified must be true or false")
        config.include_minified = value
    return config


def _string_list(table: dict[str, Any], key: str, source: Path) -> list[str]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{source}: [tool.mcpleaks] {key} must be a list of non-empty strings")
    return value


def _patterns(table: dict[str, Any], key: str, source: Path) -> list[str]:
    patterns = _string_list(table, key, source)
    for pattern in patterns:
        try:
            ignore.parse(pattern)
        except ignore.InvalidPattern as e:
            raise ConfigError(f"{source}: [tool.mcpleaks] {key}: invalid pattern {pattern!r} ({e})") from None
    return patterns


def _file_size(value: object, source: Path) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: [tool.mcpleaks] max-file-size must be a number of bytes (0 = no limit)")
    return value or None
