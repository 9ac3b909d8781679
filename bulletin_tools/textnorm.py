"""Matching normaliser: a comparison copy of text that ignores case, accents, quotes, dashes,
punctuation and spacing. Output text is never changed; only dedupe keys and scores use this.

Works on UTF-8 bytes with C-level `bytes.translate`/`replace` so a million items stay fast.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_bytes", "normalise_text"]

# ASCII: letters lowercased, digits kept, everything else a space. Commas and apostrophes are
# deleted instead, so "1,195" == "1195" and "IOM's" == "IOM’s" == "IOMs".
_ASCII_TABLE = bytes(
    (b | 0x20)
    if chr(b).isalpha() and b < 128
    else b
    if (chr(b).isdigit() and b < 128) or b >= 128
    else 0x20
    for b in range(256)
)
_ASCII_DELETE = b",'`"
# Non-ASCII punctuation common in bulletins (UTF-8): apostrophes are deleted, the rest spaced.
_DELETE_MULTIBYTE = ("\u2019", "\u2018", "\u02bc", "\u2032")
_SPACE_MULTIBYTE = (
    "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"  # double quotes, guillemets
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, dashes, minus
    "\u2026\u2022\u00b7\u2027\u00a1\u00bf\u00a7\u00b6\u2033\u00b0\u3001\u3002\uff0c"
)
_DELETE_BYTES = tuple(ch.encode() for ch in _DELETE_MULTIBYTE)
_SPACE_BYTES = tuple(ch.encode() for ch in _SPACE_MULTIBYTE)
_COMBINING_MARKS = re.compile(rb"\xcc[\x80-\xbf]|\xcd[\x80-\xaf]")  # U+0300..U+036F in UTF-8


def normalise_bytes(text: str) -> bytes:
    """Return the matching form of `text` as UTF-8 bytes: words separated by single spaces.

    >>> normalise_bytes("“Stop attacks” – IOM’s 1,195 cafés")
    b'stop attacks ioms 1195 cafes'
    """
    if text.isascii():
        data = text.encode()
    else:
        folded = unicodedata.normalize("NFKD", text).casefold()
        data = _COMBINING_MARKS.sub(b"", folded.encode("utf-8", "replace"))
        for mark in _DELETE_BYTES:
            if mark in data:
                data = data.replace(mark, b"")
        for mark in _SPACE_BYTES:
            if mark in data:
                data = data.replace(mark, b" ")
    return b" ".join(data.translate(_ASCII_TABLE, _ASCII_DELETE).split())


def normalise_text(text: str) -> str:
    """The matching form of `text` as str (for title similarity and debugging)."""
    return normalise_bytes(text).decode("utf-8", "replace")
