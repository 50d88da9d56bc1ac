"""Bytes to text, as the language itself reads them: nothing an attacker writes into a
file's bytes may hide its code from the scan.

- Python: exactly CPython's rules (``tokenize.detect_encoding``): a UTF-8 BOM, a PEP 263
  coding cookie on line 1 or 2 naming any codec CPython accepts (``latin-1``, ``cp1252``,
  ``utf-7``...), UTF-8 otherwise. The text analysed is the text CPython compiles, so a
  ``utf-7`` comment that decodes into code is analysed as code.
- JavaScript, TypeScript, JSON: UTF-8 (a BOM is dropped). Node runs a file with invalid
  bytes in a comment or string, so invalid bytes are replaced (U+FFFD, one per invalid
  sequence; line breaks are ASCII, so lines are unchanged) and the file is analysed anyway,
  with a note naming where.
- A file CPython would refuse (undecodable bytes, an unknown codec) is still analysed, the
  same lossy way, with a note: it cannot run, but it may be the copy a fix will make run.
- NUL characters, which Node accepts in strings and comments, become U+FFFD (one for one).
- Only binary files (a known binary signature, or mostly control bytes) are skipped.
"""
from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass, field

# Signatures of binary formats that are never source text.
_BINARY_SIGNATURES = (
    b"\x7fELF", b"MZ\x90\x00", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa",
    b"\x00asm", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG\r\n\x1a\n", b"GIF8", b"\xff\xd8\xff", b"%PDF-", b"BZh", b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c", b"SQLite format 3\x00",
)
_PROBE = 8192
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_UTF8_FAMILY = frozenset({"utf-8", "utf-8-sig", "ascii"})
MAX_PLACES = 5  # replaced-byte positions named in a note


@dataclass
class Decoded:
    text: str | None  # None: not text (binary), not analysed
    encoding: str = "utf-8"
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, level, message)


def is_binary(data: bytes) -> bool:
    """A known binary signature, or a head that is mostly control bytes."""
    if data.startswith(_BINARY_SIGNATURES):
        return True
    head = data[:_PROBE]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > len(head) * 0.3


def decode(data: bytes, language: str) -> Decoded:
    """The text of a source file of ``language`` and what the user must know about its decoding."""
    if is_binary(data):
        return Decoded(None, notes=[("decode-error", "warning", "binary file (its signature or bytes are not text): not scanned")])
    if language == "python":
        out = _python(data)
    else:
        out = _utf8(data, "")
    if out.text is not None and "\0" in out.text:
        out.text = out.text.replace("\0", "\ufffd")
        out.notes.append(("decoded-lossy", "note", "NUL characters read as U+FFFD; the file was analysed"))
    return out


def _utf8(data: bytes, why: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        first = e.start
    else:
        notes = [("decoded-lossy", "warning", f"{why}read as UTF-8 and analysed")] if why else []
        return Decoded(text, notes=notes)
    text = data.decode("utf-8", "replace")
    places = _replaced_places(data, first)
    more = "" if len(places) < MAX_PLACES else ", …"
    where = ", ".join(f"line {line} byte 0x{byte:02x}" for line, byte in places) + more
    message = f"{why}not valid UTF-8 ({where}): invalid bytes read as U+FFFD and the file analysed"
    return Decoded(text, notes=[("decoded-lossy", "warning", message)])


def _replaced_places(data: bytes, start: int) -> list[tuple[int, int]]:
    """(line, byte) of the first few invalid UTF-8 bytes from ``start`` on."""
    places: list[tuple[int, int]] = []
    at = start
    while at < len(data) and len(places) < MAX_PLACES:
        try:
            data[at:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            bad = at + e.start
            places.append((data.count(b"\n", 0, bad) + 1, data[bad]))
            at = bad + max(1, e.end - e.start)
    return places


def _python(data: bytes) -> Decoded:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # reads at most two lines
    except SyntaxError as e:  # an unknown codec, or a BOM that contradicts the cookie
        return _utf8(data, f"CPython refuses its encoding declaration ({e.msg}); ")
    name = codecs.lookup(encoding).name
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return _utf8(data, f"not valid {name} (CPython would refuse it); ")
    except Exception:  # a codec that is not bytes-to-text: CPython refuses it too
        return _utf8(data, f"the declared encoding {name!r} is not a text codec; ")
    out = Decoded(text, encoding=name)
    if name not in _UTF8_FAMILY:
        moved = text.count("\n") != data.count(b"\n")
        why = "; it decodes to other lines than the bytes show, and line numbers are the decoded text's" if moved else ""
        out.notes.append(("encoding", "note", f"decoded as {name}, as its coding declaration tells CPython{why}"))
    return out
