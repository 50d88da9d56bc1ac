"""GitHub code scanning's ``primaryLocationLineHash``, computed as ``upload-sarif`` does.

The algorithm of github/codeql-action ``src/fingerprints.ts``, reimplemented: for every line, a
polynomial rolling hash (base 37, wrapping at 64 bits) over the 100 characters that start at the
line. Spaces and tabs are skipped, CR and CRLF count as LF, and the input is followed by one end
marker (65535) and zero padding so that the last lines get full windows. Characters are UTF-16
code units, as JavaScript sees them, and the file is decoded as UTF-8 with replacement characters.
A hash already seen earlier in the file is told apart by its occurrence count: ``<hex>:<n>``.
"""
from __future__ import annotations

import sys
from array import array
from collections.abc import Collection, Iterator
from itertools import chain, repeat

_BLOCK_SIZE = 100
_BASE = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_BASE, _BLOCK_SIZE, 1 << 64)
_END = 0xFFFF
_TAB, _LF, _CR, _SPACE = 0x09, 0x0A, 0x0D, 0x20


def _utf16_units(text: str) -> array:
    units = array("H", text.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":
        units.byteswap()
    return units


def iter_line_hashes(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line, hash)`` for every line of ``text`` (1-based, in order).

    A text ending in a newline has a last, empty line, as GitHub counts it.
    """
    window = [0] * _BLOCK_SIZE
    line_at = [0] * _BLOCK_SIZE  # line number that starts at this window slot, 0 for none
    seen: dict[str, int] = {}
    value = index = line = 0
    line_start, prev_cr = True, False
    # Zero padding goes through the same steps as input: it is never skipped and starts no line.
    for unit in chain(_utf16_units(text), (_END,), repeat(0, _BLOCK_SIZE)):
        if unit in (_SPACE, _TAB) or (prev_cr and unit == _LF):
            prev_cr = False
            continue
        prev_cr = unit == _CR
        if prev_cr:
            unit = _LF
        if line_at[index]:
            digest = format(value, "x")
            seen[digest] = seen.get(digest, 0) + 1
            yield line_at[index], f"{digest}:{seen[digest]}"
            line_at[index] = 0
        if line_start:
            line += 1
            line_at[index] = line
        line_start = unit == _LF
        value = (value * _BASE + unit - _FIRST_MOD * window[index]) & _MASK
        window[index] = unit
        index = (index + 1) % _BLOCK_SIZE


def line_hashes(text: str, lines: Collection[int] | None = None) -> dict[int, str]:
    """Map line (1-based) to its hash: every line, or only ``lines`` (stopping after the last)."""
    if lines is None:
        return dict(iter_line_hashes(text))
    last = max(lines, default=0)
    found: dict[int, str] = {}
    for line, digest in iter_line_hashes(text):
        if line > last:
            break
        if line in lines:
            found[line] = digest
    return found
