"""Matching normaliser: a comparison copy of text that ignores case, accents, quotes, dashes,
punctuation and spacing. Output text is never changed; only dedupe keys and scores use this.

Works on bytes with C-level `str.encode`/`bytes.translate`/`split`/`join` (~15 µs for an
800-character item). Only runs of non-ASCII characters go through Unicode normalisation (NFKD,
casefold, accents dropped): the ASCII encoder hands each maximal run to an error handler, which
folds each distinct run once. ASCII characters are starters, so NFKD never reorders across them
and folding each run on its own equals folding the whole text.
"""

from __future__ import annotations

import codecs
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
# Non-ASCII punctuation common in bulletins: apostrophes are deleted, the rest spaced.
_DELETE_MULTIBYTE = {ord(ch): None for ch in "\u2019\u2018\u02bc\u2032"}
_SPACE_MULTIBYTE = dict.fromkeys(
    map(
        ord,
        "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"  # double quotes, guillemets
        "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, dashes, minus
        "\u2026\u2022\u00b7\u2027\u00a1\u00bf\u00a7\u00b6\u2033\u00b0\u3001\u3002\uff0c",
    ),
    " ",
)
_RUN_TABLE = {**_DELETE_MULTIBYTE, **_SPACE_MULTIBYTE}
_COMBINING_MARKS = re.compile(rb"\xcc[\x80-\xbf]|\xcd[\x80-\xaf]")  # U+0300..U+036F in UTF-8
_ERRORS = "bulletin_tools.textnorm.fold"  # codec error handler: folds runs of non-ASCII text
_run_cache: dict[str, bytes] = {}
_RUN_CACHE_MAX = 1 << 16


def _fold(text: str) -> bytes:
    """NFKD, casefold, accents dropped, non-ASCII quotes and dashes deleted or spaced."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    data = _COMBINING_MARKS.sub(b"", folded.encode("utf-8", "replace"))
    return data.decode("utf-8").translate(_RUN_TABLE).encode("utf-8", "replace")


def _fold_run(error: UnicodeError) -> tuple[bytes, int]:
    """Called by the ASCII encoder for each maximal run of non-ASCII characters."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    out = _run_cache.get(run)
    if out is None:
        out = _fold(run)
        if len(_run_cache) < _RUN_CACHE_MAX:
            _run_cache[run] = out
    return out, error.end


codecs.register_error(_ERRORS, _fold_run)


def normalise_bytes(text: str) -> bytes:
    """Return the matching form of `text` as UTF-8 bytes: words separated by single spaces.

    >>> normalise_bytes("“Stop attacks” – IOM’s 1,195 cafés")
    b'stop attacks ioms 1195 cafes'
    """
    return b" ".join(text.encode("ascii", _ERRORS).translate(_ASCII_TABLE, _ASCII_DELETE).split())


def normalise_text(text: str) -> str:
    """The matching form of `text` as str (for title similarity and debugging)."""
    return normalise_bytes(text).decode("utf-8", "replace")
