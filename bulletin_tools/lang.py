"""Per-language word lists (month and weekday names, chrome lines...) kept as JSON data.

Adding a language means adding `data/lang/<code>.json`; no code path is language-specific.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANGUAGES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Language:
    """The word lists of one language; `raw` holds any extra keys an extractor defines."""

    code: str
    months: dict[str, int]
    month_abbreviations: dict[str, int]
    weekdays: dict[str, int]
    weekday_abbreviations: dict[str, int]
    ordinal_suffixes: tuple[str, ...]
    date_line_labels: tuple[str, ...]
    chrome_lines: frozenset[str]
    raw: dict[str, Any]


@cache
def load_language(code: str) -> Language:
    """Load `data/lang/<code>.json`; raises FileNotFoundError for an unknown language code."""
    path = resources.files("bulletin_tools") / "data" / "lang" / f"{code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Language(
        code=data["code"],
        months=data.get("months", {}),
        month_abbreviations=data.get("month_abbreviations", {}),
        weekdays=data.get("weekdays", {}),
        weekday_abbreviations=data.get("weekday_abbreviations", {}),
        ordinal_suffixes=tuple(data.get("ordinal_suffixes", ())),
        date_line_labels=tuple(data.get("date_line_labels", ())),
        chrome_lines=frozenset(data.get("chrome_lines", ())),
        raw=data,
    )


def merged_list(key: str, codes: tuple[str, ...] = DEFAULT_LANGUAGES) -> list[str]:
    """Union of one word list (e.g. "chrome_labels") over several languages, in order."""
    seen: dict[str, None] = {}
    for code in codes:
        for word in load_language(code).raw.get(key, []):
            seen.setdefault(word, None)
    return list(seen)
