"""Decoding a raw dump: bytes in, lines of text out, streaming, in one pass over the file.

Predictable rules: a file that starts like a PDF, an archive or an image (or holds NUL or
control bytes) is refused; a BOM decides the codec; BOM-less UTF-16 is spotted from its NULs;
otherwise the bytes are read as strict UTF-8 for as long as they are valid, then as Windows
cp1252 (the usual legacy paste), then as Latin-1 (for the five bytes cp1252 leaves undefined),
with a warning naming the line where the switch happened. A whole cp1252 file thus reads as
cp1252, and a file that is UTF-8 in its first part and cp1252 after (two pastes joined) reads
right in both parts. CRLF, CR and LF all end a line.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from .errors import InputError

SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1 << 20
AUTO_CODECS = ("utf-8", "cp1252", "latin-1")
CODEC_NAMES = {"utf-8": "UTF-8", "cp1252": "cp1252", "latin-1": "Latin-1"}

BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Readable(Protocol):
    """What decoding needs of a source: a display name, a path, and somewhere to report."""

    name: str
    path: Path
    encoding: str
    warnings: list[str]


@dataclass(slots=True)
class _Switch:
    """Marker in the decoded stream: the bytes from here on are read with another codec.

    `clean` says everything before reads the same in the new codec (all ASCII, say), so the
    file is simply in the new codec rather than mixed.
    """

    previous: str
    codec: str
    clean: bool


# characters cp1252 gives to bytes 0x80-0x9F, where Latin-1 has control codes
CP1252_ONLY = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


def iter_line_blocks(source: Readable, encoding: str | None = None) -> Iterator[list[str]]:
    """The source's lines (without line endings) in lists of many lines, streaming.

    Reading a megabyte at a time and splitting is several times faster than line iteration,
    and handing on whole lists spares a generator step per line.
    """
    pending = ""
    carry_cr = False
    lines_done = 0
    repairs = _Repairs()
    for piece in _decoded_pieces(source, encoding):
        if isinstance(piece, _Switch):
            _note_switch(source, piece, lines_done + 1)
            continue
        if carry_cr:
            piece, carry_cr = "\r" + piece, False
        if "\r" in piece:
            if piece.endswith("\r"):
                piece, carry_cr = piece[:-1], True
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        lines = piece.split("\n")
        joined = bool(pending)
        if pending:
            lines[0] = pending + lines[0]  # not pending + piece: that copies the whole piece
        pending = lines.pop()
        if lines:
            if _may_hold_mojibake(piece) or (joined and _may_hold_mojibake(lines[0])):
                repairs.fix(lines, lines_done + 1)
            lines_done += len(lines)
            yield lines
    if carry_cr or pending:
        last = [pending]
        if _may_hold_mojibake(pending):
            repairs.fix(last, lines_done + 1)
        yield last
    repairs.note(source)


# how UTF-8 text reads when decoded as cp1252 or Latin-1: "Ã©" for "é", "â€œ" for "“", "Â°"
MOJIBAKE_MARKS = ("\u00c3", "\u00c2", "\u00e2\u20ac")


def _may_hold_mojibake(text: str) -> bool:
    """A cheap scan of a whole decoded piece; most text never needs the line-by-line repair.
    One-character searches run at memory speed, a two-character one 25 times slower: the
    euro sign is looked for alone first."""
    if text.isascii():
        return False
    return "\u00c3" in text or "\u00c2" in text or ("\u20ac" in text and "\u00e2\u20ac" in text)


def repair_mojibake(line: str) -> str:
    """The line with its mojibake undone, or the line itself (the same object) when it has
    none. Only a re-decoding as UTF-8 counts: ftfy's other guesses (a C1 control read as
    cp1252) would change text that was never garbled."""
    if not any(mark in line for mark in MOJIBAKE_MARKS):
        return line
    from ftfy import fix_encoding_and_explain  # loaded only for a file that needs it

    fixed, steps = fix_encoding_and_explain(line)
    return fixed if fixed != line and _utf8_repair(steps) else line


def _utf8_repair(steps: list[tuple[str, str]]) -> bool:
    """Did ftfy re-decode the text as UTF-8, and do nothing else but tidy that decoding?"""
    decodes = [arg for op, arg in steps if op == "decode"]
    return (
        bool(decodes)
        and all(arg == "utf-8" for arg in decodes)
        and (("transcode", "fix_c1_controls") not in steps)
    )


@dataclass
class _Repairs:
    """Lines whose mojibake was repaired: UTF-8 text once decoded in a one-byte codec and saved
    again ("MÃ©decins" for "Médecins"), as editors do. ftfy undoes it only where the characters
    spell a UTF-8 sequence, so real "Ã" or "Â" text stays as it is."""

    count: int = 0
    first_line: int = 0

    def fix(self, lines: list[str], first_number: int) -> None:
        for k, line in enumerate(lines):
            fixed = repair_mojibake(line)
            if fixed is not line:
                lines[k] = fixed
                self.count += 1
                self.first_line = self.first_line or first_number + k

    def note(self, source: Readable) -> None:
        if self.count:
            source.warnings.append(
                f"{source.name}: repaired mis-decoded text (such as 'Ã©' for 'é') on "
                f"{self.count} line(s), the first at line {self.first_line}"
            )


def iter_lines(source: Readable, encoding: str | None = None) -> Iterator[str]:
    """Yield the source's lines without their line endings, streaming in large chunks."""
    for block in iter_line_blocks(source, encoding):
        yield from block


def _decoded_pieces(source: Readable, encoding: str | None) -> Iterator[str | _Switch]:
    with source.path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        reason = binary_reason(head)
        if reason:
            raise InputError(f"{source.name}: {reason}")
        codec = encoding or _declared_codec(head)
        if codec is None:
            yield from _auto_decoded(source, handle, head)
        else:
            yield from _fixed_decoded(source, handle, head, codec, user_given=bool(encoding))


def _declared_codec(head: bytes) -> str | None:
    """The codec a BOM (or BOM-less UTF-16's NUL pattern) declares; None: work it out."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    return _utf16_without_bom(head[:8192])


def _fixed_decoded(
    source: Readable, handle: BinaryIO, head: bytes, codec: str, *, user_given: bool
) -> Iterator[str]:
    """One codec for the whole file: strict when detected, lenient when the user chose it."""
    try:
        decoder = codecs.getincrementaldecoder(codec)("replace" if user_given else "strict")
    except LookupError:
        raise InputError(f"unknown encoding {codec!r}") from None
    source.encoding = codec
    chunk = head
    try:
        while chunk:
            yield decoder.decode(chunk)
            chunk = handle.read(CHUNK_BYTES)
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source.name}: cannot decode as {codec}: {exc}") from None


def _auto_decoded(source: Readable, handle: BinaryIO, head: bytes) -> Iterator[str | _Switch]:
    """UTF-8 while valid, then cp1252, then Latin-1 (which decodes any byte)."""
    chain = iter(AUTO_CODECS)
    codec = next(chain)
    source.encoding = codec
    buffered = head
    clean = True  # the text so far reads the same in the next codec of the chain
    while True:
        chunk = handle.read(CHUNK_BYTES)
        data = buffered + chunk if buffered else chunk
        final = not chunk
        while True:
            try:
                text, used = _decode_step(codec, data, final)
                break
            except UnicodeDecodeError as exc:
                if exc.start:
                    prefix = _decode_step(codec, data[: exc.start], True)[0]
                    clean = clean and _same_in_next(codec, prefix)
                    yield prefix
                data = data[exc.start :]
                previous, codec = codec, next(chain)
                yield _Switch(previous, codec, clean)
        if text:
            clean = clean and _same_in_next(codec, text)
            yield text
        buffered = data[used:]
        if final:
            return


def _same_in_next(codec: str, text: str) -> bool:
    """Would the bytes behind `text` (read in `codec`) read the same in the chain's next codec?"""
    if codec == "utf-8":
        return text.isascii()
    return text.isascii() or not any(char in text for char in CP1252_ONLY)


def _decode_step(codec: str, data: bytes, final: bool) -> tuple[str, int]:
    """Decode what can be decoded; a UTF-8 sequence cut by the chunk end waits for the next."""
    if codec == "utf-8":
        return codecs.utf_8_decode(data, "strict", final)
    return data.decode(codec), len(data)


def _note_switch(source: Readable, switch: _Switch, line: int) -> None:
    """Record a codec change: with nothing but look-alike text before, it is the file's
    encoding; otherwise the file is mixed and the warning names the line."""
    old, new = CODEC_NAMES[switch.previous], CODEC_NAMES[switch.codec]
    hint = "(use --encoding to override)"
    if switch.clean:
        source.encoding = switch.codec
        source.warnings.append(f"{source.name}: not valid {old}; decoded as {new} {hint}")
    else:
        source.encoding = f"{source.encoding}+{switch.codec}"
        where = f"from line {line} on; decoded as {new} from there"
        source.warnings.append(f"{source.name}: not valid {old} {where} {hint}")


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are not text (None when they look like text)."""
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"binary file ({what}), not a text dump"
    if any(head.startswith(bom) for bom, _ in BOMS):
        return None
    sample = head[:8192]
    if b"\x00" in sample and _utf16_without_bom(sample) is None:
        return "binary file (contains NUL bytes), not a text dump"
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\v\x00\x1a")
    if sample and controls / len(sample) > 0.05:
        return "binary file (control bytes), not a text dump"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Spot BOM-less UTF-16 text: NULs in every other byte of mostly-ASCII text."""
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None
