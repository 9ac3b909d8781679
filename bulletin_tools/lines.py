"""Line-level reading of a dump: whitespace normalisation and the kind of each non-blank line.

A line is a date line, page chrome, a separator or text. The rules are general shapes (a full
date standing alone, a pagination counter, a label with a colon, a copyright line) plus the chrome
words of each language in `data/lang/*.json`; nothing here is fitted to one publisher.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .lang import DEFAULT_LANGUAGES, load_language, merged_list

ODD_SPACES = "\u00a0\u1680\u202f\u205f\u3000\t\n\f\v\r\x85\u2028\u2029" + "".join(
    map(chr, range(0x2000, 0x200B))
)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x7f" + "".join(map(chr, range(0x0E, 0x20)))
INVISIBLE += "".join(map(chr, range(0x00, 0x09)))
BULLET_MARKS = frozenset("\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7*-\u2013\u2014>")
BULLET = re.compile(r"^[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7*\-\u2013\u2014>]\s+\S")
SEPARATOR = re.compile(r"^[^\w\s]*(?:\s*[^\w\s])*$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(?=\S)")
EMPHASIS_MARKS = "*_"
BRACKET_PAIRS = {"(": ")", "[": "]"}
DATE_WRAPPERS = EMPHASIS_MARKS + "(["  # what may wrap a whole date line (see unwrap_date_line)
EMPHASIS = re.compile(r"([*_]{1,3})(?=[^\s*_])(.*[^\s*_])\1")  # fullmatch; "* item" stays
LIST_NUMBER = re.compile(r"^(?:\d{1,3}[.)]|\(\d{1,3}\))\s+(?=[A-Z\u00c0-\u00de\"\u201c'\d])")
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
COPYRIGHT = re.compile(r"^(?:\u00a9|\(c\)\s|copyright\b)", re.IGNORECASE)
LONE_NUMBER = re.compile(r"^\d{1,4}$")
HAS_DIGIT = re.compile(r"\d")
# every date-line pattern writes a 4-digit year; the lookbehind goes last so the regex engine
# can scan for a digit first (twice as fast as a leading lookbehind, which runs at every position)
HAS_YEAR = re.compile(r"\d\d\d\d(?!\d)(?<!\d{5})")
MAX_DATE_LINE = 80
MAX_FIELD_LINE = 240  # a line of "Label: value | ..." fields (see date_in_fields)
FIELD_CHARS = 60
FIELD_WORDS = 5
USER_NAME = re.compile(r"[\w.\-]{2,30}")  # a site's user name after "by": "admin", "j.doe"
NOISE_KINDS = ("chrome", "separator")  # line kinds that are never item text
LABEL_REACH = 30
CRUMB = "[>\u203a\u00bb]"
BREADCRUMB = re.compile(rf"^[^>\u203a\u00bb]{{1,30}}(?:\s{CRUMB}\s[^>\u203a\u00bb]{{1,60}}){{2,}}$")
SHORT_CHROME_CHARS = 60
CHROME_WORD_TRIM = " .:!>\u00bb\u203a\u2192|\u2026"  # around "Read more »", "Share:"
CLOCK = r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?"  # matched casefolded


@dataclass(slots=True)
class Line:
    """A classified non-blank line, or (after `parse_units.make_units`) the consecutive lines of
    a hard-wrapped paragraph. One object per line serves both stages: parse time is dominated by
    per-line object work.

    `number` is the first line's 1-based number; `parts` holds each line's text when the unit
    spans several lines (None for one line), so line `number + k` reads `parts[k]`.
    `block` counts blank-line-separated blocks in the window; `blank_before` says a blank line
    (or the window's start) precedes it.
    """

    number: int
    text: str
    indent: int
    kind: str  # "date" | "chrome" | "separator" | "text"
    block: int = 0
    blank_before: bool = True
    date: str | None = None
    reason: str = ""
    parts: list[str] | None = None
    shape: str | None = None  # cached title shape (parse_units.title_shape)

    @property
    def last_number(self) -> int:
        return self.number + len(self.parts) - 1 if self.parts else self.number

    def line_texts(self) -> list[str]:
        return self.parts if self.parts else [self.text]

    def append(self, line: Line) -> None:
        """Join the next line of a wrapped paragraph (it must be the very next line)."""
        if self.parts is None:
            self.parts = [self.text]
        self.parts.append(line.text)
        self.text = f"{self.text} {line.text}"
        self.shape = None


def normalise_text(raw: str) -> str:
    """Fold odd spaces to one space and drop invisible characters, keeping visible text intact."""
    return _fold_spaces(raw).strip()


def classify_line(number: int, raw: str) -> Line:
    """Read one raw line into a `Line` with its kind ("blank" when it has no visible text)."""
    lines = classify_lines(number, [raw])
    return lines[0] if lines else Line(number, "", 0, "blank")


@dataclass(slots=True)
class LineMarks:
    """Where a window's lines of interest are, noted while classifying: each list would
    otherwise cost the parser one more pass over every line.

    `dates` and `noise` index date lines and chrome/separator lines; `title_candidates` the text
    lines of at most `title_limit` characters that do not end in a full stop; `pair_lengths`
    the length of every text line followed, with no blank line between, by another text line
    (what the wrap-width guess needs); `indented` says some line is indented.
    """

    dates: list[int] = field(default_factory=list)
    noise: list[int] = field(default_factory=list)
    title_candidates: list[int] = field(default_factory=list)
    pair_lengths: list[int] = field(default_factory=list)
    indented: bool = False


def classify_lines(first_number: int, raws: list[str]) -> list[Line]:
    """Classify a window of raw lines; returns the non-blank ones with their block numbers."""
    return classify_window(first_number, raws)[0]


def classify_window(
    first_number: int, raws: list[str], title_limit: int = 0
) -> tuple[list[Line], LineMarks]:
    """`classify_lines`, with the window's `LineMarks` (title candidates up to `title_limit`).

    One tight loop, because per-line work dominates parse time.
    """
    out: list[Line] = []
    append = out.append
    marks = LineMarks()
    dates, noise, candidates, pairs = (
        marks.dates,
        marks.noise,
        marks.title_candidates,
        marks.pair_lengths,
    )
    block = 0
    blank_before = True
    text_before = -1  # the length of the line before when it is a text line, else -1
    for number, raw in enumerate(raws, first_number):
        if not raw:
            blank_before = True
            continue
        # most lines are printable with single spaces and only need stripping
        text = raw.strip() if raw.isprintable() and "  " not in raw else _fold_spaces(raw).strip()
        if not text:
            blank_before = True
            continue
        if blank_before:
            block += 1
            text_before = -1
        indent = len(raw) - len(raw.lstrip(" \t\u00a0")) if raw[0] in " \t\u00a0" else 0
        if indent:
            marks.indented = True
        line = Line(number, text, indent, "text", block, blank_before)
        index = len(out)
        append(line)
        blank_before = False
        size = len(text)
        # most lines are long body paragraphs: no date line, and plain unless a chrome mark shows
        if size <= MAX_DATE_LINE:
            kind = _short_line_kind(line)
        elif _plain(text):
            kind = "text"
        else:  # size > SHORT_CHROME_CHARS
            kind = _field_date_kind(line) if "|" in text else _chrome_kind(line)
        if kind == "text":
            if text_before >= 0:
                pairs.append(text_before)
            if size <= title_limit and text[-1] != ".":
                candidates.append(index)
            text_before = size
        else:
            (dates if kind == "date" else noise).append(index)
            text_before = -1
    return out, marks


def marks_of(lines: list[Line], title_limit: int) -> LineMarks:
    """The `LineMarks` of lines already classified (after wrapped lines were joined)."""
    marks = LineMarks()
    for index, line in enumerate(lines):
        kind = line.kind
        if kind == "text":
            previous = lines[index - 1] if index else None
            if previous and previous.kind == "text" and not line.blank_before:
                marks.pair_lengths.append(len(previous.text))
            if len(line.text) <= title_limit and line.text[-1] != ".":
                marks.title_candidates.append(index)
        else:
            (marks.dates if kind == "date" else marks.noise).append(index)
        marks.indented = marks.indented or line.indent > 0
    return marks


def _short_line_kind(line: Line) -> str:
    """A short line is a date line, chrome, or text (a title, a short paragraph)."""
    text = line.text
    plain = unwrap_date_line(text) if text[0] in DATE_WRAPPERS else text
    if _may_open_date(plain) and HAS_YEAR.search(plain):
        iso = parse_date_line(plain)
        if iso:
            line.kind = "date"
            line.date = iso
            return "date"
    if "|" in text:
        return _field_date_kind(line)
    if len(text) <= SHORT_CHROME_CHARS or not _plain(text):
        return _chrome_kind(line)
    return "text"


def _field_date_kind(line: Line) -> str:
    """A line of fields parted by pipes is a date line when one field is a date ("Format: News
    and Press Release | Source: UNHCR | Posted: 12 Mar 2021"); else it may be chrome."""
    iso = date_in_fields(line.text)
    if iso is None:
        return _chrome_kind(line)
    line.kind = "date"
    line.date = iso
    return "date"


def date_in_fields(text: str) -> str | None:
    """ISO date of the first field that is a date line, in a line of short fields parted by
    pipes, each a "Label: value" or a few words; None for any other line."""
    if len(text) > MAX_FIELD_LINE or not HAS_YEAR.search(text):
        return None
    parts = [part.strip() for part in text.split("|")]
    if len(parts) < 2 or not all(_short_field(part) for part in parts):
        return None
    for part in parts:
        iso = parse_date_line(part)
        if iso:
            return iso
    return None


def _short_field(part: str) -> bool:
    return 0 < len(part) <= FIELD_CHARS and (":" in part or part.count(" ") < FIELD_WORDS)


def _chrome_kind(line: Line) -> str:
    """Mark a line that chrome_reason recognises; returns its kind."""
    reason = chrome_reason(line.text)
    if reason is not None:
        line.kind = "separator" if reason == "separator" else "chrome"
        line.reason = reason
    return line.kind


def _plain(text: str) -> bool:
    """A line longer than SHORT_CHROME_CHARS with none of the marks chrome needs, so
    `chrome_reason` can be skipped.

    The marks are looked for only where the chrome shapes put them: a link fills the line, a
    label's colon and a breadcrumb's first crumb come within the first LABEL_REACH characters.
    This runs on every long line: one slice serves both of those checks.
    """
    first = text[0]
    if not first.isalnum() or "|" in text:
        return False
    if first in "hHwWcC" and (URL_ONLY.match(text) or COPYRIGHT.match(text)):
        return False
    head = text[: LABEL_REACH + 4]
    if " > " in head or (":" in head and head.index(":") < LABEL_REACH):
        return False
    return text.isascii() or not ("\u203a" in text or "\u00bb" in text)


def _fold_spaces(text: str) -> str:
    """normalise_text without the strip. The usual odd character, the no-break space, goes
    first; only a line still not printable pays a `char in text` scan per odd character (cheaper
    than any regex or translate over the line)."""
    text = text.replace("\u00a0", " ")
    if not text.isprintable():
        for char in ODD_SPACES:
            if char in text:
                text = text.replace(char, " ")
        for char in INVISIBLE:
            if char in text:
                text = text.replace(char, "")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def chrome_reason(text: str) -> str | None:
    """Why a line is page chrome rather than content (None when it is content).

    Each costly pattern runs only behind a cheap guard (a character it needs): this runs on
    every line, and case-insensitive alternations are slow in Python's regex engine.
    """
    first = text[0]
    if not first.isalnum() and SEPARATOR.match(text):
        return "separator"
    short = len(text) <= SHORT_CHROME_CHARS
    if short:
        core = text.strip(CHROME_WORD_TRIM)  # casefold never shortens: test the length first
        words = _chrome_words()
        if len(core) <= _longest_chrome_word() and core.casefold() in words:
            return "page chrome"
        space = core.find(" ")  # a row of buttons opens with one: the rest is split only then
        if space > 0 and core[:space].casefold() in words and _button_row(core[space + 1 :], words):
            return "page chrome"
        if first.isdigit() and LONE_NUMBER.match(text):
            return "page number"
        if first.isdigit() and _reading_time().match(text):
            return "reading time"
        if first.isalpha() and HAS_DIGIT.search(text) and _pagination().match(text):
            return "pagination"
    if ("://" in text or first in "wW") and URL_ONLY.match(text):
        return "link"
    if first in "\u00a9(cC" and COPYRIGHT.match(text):
        return "copyright or photo credit"
    if ":" in text[:LABEL_REACH] and _chrome_label().match(text):
        return "label line"
    if "|" in text and (first == "|" or _is_pipe_menu(text)):
        return "menu or tag line"
    if (" > " in text or " \u203a " in text or " \u00bb " in text) and BREADCRUMB.match(text):
        return "breadcrumb"
    return None


def _button_row(rest: str, words: frozenset[str]) -> bool:
    """'Facebook Twitter LinkedIn Email': a row of share buttons pasted as words, each a chrome
    word on its own; `rest` is the row after its first word, which the caller has checked."""
    return all(word.casefold() in words for word in rest.split())


@lru_cache(maxsize=1)
def _reading_time() -> re.Pattern[str]:
    """'3 min read', '5 minutos de lectura' (from the languages' `reading_time_words`)."""
    words = "|".join(map(re.escape, merged_list("reading_time_words")))
    return re.compile(rf"^\d{{1,3}}\s*(?:{words})\.?$", re.IGNORECASE)


def _is_pipe_menu(text: str) -> bool:
    """'Share | Tweet | Email': short segments joined by pipes."""
    parts = [p.strip() for p in text.split("|")]
    return len(parts) >= 2 and all(len(p.split()) <= 3 for p in parts)


@lru_cache(maxsize=1)
def _chrome_words() -> frozenset[str]:
    words: set[str] = set()
    for code in DEFAULT_LANGUAGES:
        words |= load_language(code).chrome_lines
    return frozenset(words)


@lru_cache(maxsize=1)
def _longest_chrome_word() -> int:
    return max(map(len, _chrome_words()), default=0)


@lru_cache(maxsize=1)
def _chrome_label() -> re.Pattern[str]:
    labels = sorted(merged_list("chrome_labels"), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(map(re.escape, labels))})\s*:", re.IGNORECASE)


@lru_cache(maxsize=1)
def _title_labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in merged_list("title_labels"))


@lru_cache(maxsize=1)
def _pagination() -> re.Pattern[str]:
    lead = "|".join(map(re.escape, merged_list("pagination_words")))
    of = "|".join(map(re.escape, merged_list("of_words")))
    return re.compile(rf"^(?:{lead})\s+\d+\s*[-\u2013\u2014]\s*\d+\s+(?:{of})\s+\d+\b", re.I)


# --- date lines ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for code in DEFAULT_LANGUAGES:
        lang = load_language(code)
        table.update(lang.month_abbreviations)
        table.update(lang.months)
    return table


Shapes = tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def _date_line_grammar() -> tuple[re.Pattern[str], Shapes, re.Pattern[str]]:
    """(head, cores, tail) patterns for date lines, matched on the casefolded line.

    Month and weekday words are matched as any word and looked up in the language tables, which
    is several times faster than alternations of every name.
    """
    labels, weekdays, suffixes = set(), set(), set()
    bylines = set(merged_list("date_line_bylines"))
    for code in DEFAULT_LANGUAGES:
        lang = load_language(code)
        labels |= set(lang.date_line_labels)
        weekdays |= set(lang.weekdays) | set(lang.weekday_abbreviations)
        suffixes |= set(lang.ordinal_suffixes)
    head = re.compile(
        rf"(?:(?:{_alternation(labels)})\s*:?\s+)?(?:(?:{_alternation(weekdays)})\.?,?\s+)?"
        r"(?:(?:the|el)\s+)?"
    )
    ordinal = rf"(?:{_alternation(suffixes)})?\.?"
    word = r"([^\W\d_]+)\.?"
    day_of = rf"(?:(?:{_alternation(set(merged_list('date_day_month_connectors')))})\s+)?"
    of = rf"(?:(?:{_alternation(set(merged_list('date_month_year_connectors')))})\s+)?"
    cores = (
        # "10 October, 2019", "10th of October 2019", "10-Oct-2019", "10/Oct/2019"
        (
            "dmy",
            re.compile(
                rf"(\d{{1,2}}){ordinal}(?:\s*|[-/]){day_of}{word}(?:,?\s*|[-/]){of}(\d{{4}})"
            ),
        ),
        ("mdy", re.compile(rf"{word}\s+(\d{{1,2}}){ordinal},?\s+(\d{{4}})")),
        ("ymd", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:t[\d:]+\S*)?")),
        ("num", re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")),
        ("ymd", re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")),
    )
    byline = rf"(?P<byline>\s*[-\u2013\u2014,]?\s*(?:{_alternation(bylines)})\s+\S.*)"
    tail = re.compile(
        rf"(?:\s*(?:[-\u2013\u2014,|@]|at|a las)?\s*{CLOCK})?(?:\s*[|\u00b7\u2022].*|{byline})?\s*"
    )
    return head, cores, tail


def _may_open_date(text: str) -> bool:
    """Cheap guard: a date line opens with a digit, a month, a weekday or a label word.

    The first three letters are looked up before the first word is cut out: most lines that
    reach here are titles, and this runs on every one of them.
    """
    if text[0].isdigit():
        return True
    head = text[:3].casefold()
    if head[:3] not in _date_opening_prefixes() and head[:2] not in _date_opening_prefixes():
        return False
    first = text.split(None, 1)[0].casefold().rstrip(".,:")
    return first in _date_opening_words()


@lru_cache(maxsize=1)
def _date_opening_prefixes() -> frozenset[str]:
    """The first three letters of each date opening word, or the whole of a shorter one."""
    return frozenset(word[:3] for word in _date_opening_words())


@lru_cache(maxsize=1)
def _date_opening_words() -> frozenset[str]:
    words = set(_month_table()) | {"the", "el"}
    for code in DEFAULT_LANGUAGES:
        lang = load_language(code)
        words |= set(lang.weekdays) | set(lang.weekday_abbreviations)
        words |= {label.split()[0] for label in lang.date_line_labels}
    return frozenset(words | _byline_first_words())


def _alternation(words: set[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lru_cache(maxsize=4096)
def parse_date_line(text: str, dayfirst: bool = True) -> str | None:
    """ISO date of a line that is only a date (with an optional label, weekday, time or tag).

    Cached: a bulletin repeats its date lines ("10 October, 2019" over every item of an issue).
    """
    text = unwrap_date_line(text)
    if len(text) > MAX_DATE_LINE or not HAS_YEAR.search(text) or not _may_open_date(text):
        return None
    head, cores, tail = _date_line_grammar()
    folded = text.casefold()
    start = head.match(folded).end()  # type: ignore[union-attr]  # all-optional: always matches
    for shape, core in cores:
        match = core.match(folded, start)
        end = match and tail.fullmatch(folded, match.end())
        if end and (end.start("byline") < 0 or _names_a_person(text, end.start("byline"))):
            iso = _date_iso(shape, match.groups(), dayfirst)
            if iso:
                return iso
    rest = _after_byline(text)  # "By Jane Doe | 12 March 2021"
    return parse_date_line(rest, dayfirst) if rest else None


# between a date and the title printed on the same line: "12/03/2021 - Title", "May 5, 2021 | Title"
DATE_TITLE_SEPARATOR = re.compile(r"\s*[-\u2013\u2014|:\u00b7\u2022]\s*|\s+")
# before a date printed after the title: "Title (12 March 2021)", "Title - March 12, 2021"
TITLE_DATE_SEPARATORS = "(-\u2013\u2014|,\u00b7\u2022"
MIN_DATED_TITLE_WORDS = 3
TITLE_OPENING_QUOTES = "\"'\u201c\u2018\u00ab\u00bf\u00a1"


@lru_cache(maxsize=1024)
def split_dated_title(text: str, dayfirst: bool = True) -> tuple[str, str, bool] | None:
    """(ISO date, title, date first?) of a title line that also prints its date, before or
    after the title: "12/03/2021 - Floods in the north", "Floods in the north (12 March 2021)".
    None when the line holds no such date, or too little title (three words) beside it."""
    found = _date_before_title(text, dayfirst)
    first = found is not None
    found = found or _date_after_title(text, dayfirst)
    if found is None or found[1].count(" ") < MIN_DATED_TITLE_WORDS - 1:
        return None
    return found[0], found[1], first


def date_line_is_title_line(title: str, date_line: str | None) -> bool:
    """Was an item's date read from its title line ("12/03/2021 - Title")? Then its date line is
    that whole line, and the title a part of it (shown and counted once)."""
    if not date_line or title not in date_line:
        return False
    dated = split_dated_title(strip_title_marks(date_line))
    return dated is not None and dated[1] == title


def _date_before_title(text: str, dayfirst: bool) -> tuple[str, str] | None:
    if text[:1] in BRACKET_PAIRS:
        return _bracketed_date_before_title(text, dayfirst)
    if not _may_open_date(text) or not HAS_YEAR.search(text, 0, 40):
        return None
    folded = text.casefold()
    if len(folded) != len(text):  # offsets in the folded line would not fit the text
        return None
    head, cores, _ = _date_line_grammar()
    start = head.match(folded).end()  # type: ignore[union-attr]  # all-optional: always matches
    for shape, core in cores:
        match = core.match(folded, start)
        separator = match and DATE_TITLE_SEPARATOR.match(text, match.end())
        if not separator:
            continue
        title = text[separator.end() :]
        if title[:1].isupper() or title[:1].isdigit() or title[:1] in TITLE_OPENING_QUOTES:
            iso = _date_iso(shape, match.groups(), dayfirst)
            return (iso, title) if iso else None
    return None


def _bracketed_date_before_title(text: str, dayfirst: bool) -> tuple[str, str] | None:
    """ "[12/03/2021] Title", "(March 12, 2021) - Title": a date in brackets opening the line."""
    close = text.find(BRACKET_PAIRS[text[0]], 1, MAX_DATE_LINE)
    if close < 0:
        return None
    title = text[close + 1 :].lstrip(" -\u2013\u2014|:")
    if not (title[:1].isupper() or title[:1].isdigit() or title[:1] in TITLE_OPENING_QUOTES):
        return None
    iso = parse_date_line(text[1:close].strip(), dayfirst)
    return (iso, title) if iso else None


def _date_after_title(text: str, dayfirst: bool) -> tuple[str, str] | None:
    if not text[-1].isdigit() and not text.endswith(")"):
        return None
    found = None
    cut = len(text)
    for _ in range(4):  # "Title - Thursday, March 12, 2021": widen the date while it reads
        cut = max(text.rfind(mark, 0, cut) for mark in TITLE_DATE_SEPARATORS)
        if cut <= 0:
            break
        tail = text[cut + 1 :].strip()
        if text[cut] == "(":
            tail = tail[:-1].strip() if tail.endswith(")") else ""
        iso = parse_date_line(tail, dayfirst) if tail else None
        if iso:
            found = iso, text[:cut].rstrip(" -\u2013\u2014|,\u00b7\u2022")
        elif found:
            break
    return found


BYLINE_SEPARATOR = re.compile(r"\s+[|\u00b7\u2022\u2013\u2014-]\s+|,\s+")


def _after_byline(text: str) -> str | None:
    """The date after a byline that opens the line ("By Jane Doe | 12 March 2021"), else None."""
    if text.split(None, 1)[0].casefold() not in _byline_first_words():
        return None
    separator = BYLINE_SEPARATOR.search(text)
    if separator is None or not _names_a_person(text[: separator.start()], 0):
        return None
    return text[separator.end() :]


@lru_cache(maxsize=1)
def _byline_first_words() -> frozenset[str]:
    """ "by", "written", "posted", "por": the words a byline opens with."""
    return frozenset(byline.split()[0] for byline in _byline_words()[0])


def names_a_person(text: str) -> bool:
    """Is the whole text a byline ("By Jane Doe", "Por Ana Pérez")?"""
    return _names_a_person(text, 0)


def _names_a_person(text: str, start: int) -> bool:
    """Is text[start:] a byline ("by Jane Doe", "— por Ana Pérez"), not a sentence going on
    ("by the end of the month")? After its byline words come one to five capitalised words
    (lower-case particles such as "de" or "van" allowed). `start` indexes the casefolded line,
    so a line that casefolding lengthened is refused."""
    if len(text.casefold()) != len(text):
        return False
    folded_tail = text[start:].casefold().lstrip(" -\u2013\u2014,")
    bylines, particles = _byline_words()
    for word in bylines:
        if folded_tail.startswith(word + " "):
            names = text[len(text) - len(folded_tail) + len(word) :].split()
            break
    else:
        return False
    if len(names) == 1 and USER_NAME.fullmatch(names[0]):
        return names[0].casefold() not in _byline_non_names()  # "by admin", not "by the"
    return 0 < len(names) <= 5 and all(n[0].isupper() or n in particles for n in names)


@lru_cache(maxsize=1)
def _byline_non_names() -> frozenset[str]:
    return frozenset(merged_list("byline_non_names"))


@lru_cache(maxsize=1)
def _byline_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """Byline words, longest first ("written by" before "by"), and name particles ("de")."""
    bylines = sorted(merged_list("date_line_bylines"), key=len, reverse=True)
    return tuple(bylines), frozenset(merged_list("name_particles"))


def _date_iso(shape: str, groups: tuple[str, ...], dayfirst: bool) -> str | None:
    """ISO date from a date-line match; None for a word that is no month or an impossible day."""
    try:
        if shape in ("dmy", "mdy"):
            day, word, year = groups if shape == "dmy" else (groups[1], groups[0], groups[2])
            month = _month_table().get(word)
            return date(int(year), month, int(day)).isoformat() if month else None
        if shape == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2])).isoformat()
        first, second, year = (int(g) for g in groups)
        day, month = (first, second) if dayfirst else (second, first)
        if month > 12 >= day:
            day, month = month, day
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def strip_title_marks(text: str) -> str:
    """Drop a Markdown heading mark, a list number, emphasis around the whole line, or a
    field label ("Title:", "Título:", from the languages' `title_labels`)."""
    first = text[:1]
    if first in EMPHASIS_MARKS:
        return strip_emphasis(text)
    if first == "#" or first.isdigit() or (first == "(" and text[1:2].isdigit()):  # "(2) Title"
        return strip_emphasis(LIST_NUMBER.sub("", MARKDOWN_HEADING.sub("", text), count=1))
    if first > "\u00ff" and first not in BULLET_MARKS:
        return _strip_symbol_mark(text)
    colon = text.find(":", 1, LABEL_REACH)  # "Title: ..." in a form-like export
    if colon > 0 and text[:colon].rstrip().casefold() in _title_labels():
        return text[colon + 1 :].lstrip() or text
    return text


def _strip_symbol_mark(text: str) -> str:
    """'\u25b6 Title', '\U0001f4cc Title' -> 'Title': a pictograph or arrow set before a heading
    (list bullets stay: see BULLET_MARKS)."""
    end = 0
    while end < len(text) and (text[end] in "\u200d\ufe0f" or _is_symbol(text[end])):
        end += 1  # emoji sequences join symbols with ZWJ and variation selectors
    if 0 < end < len(text) and text[end] == " ":
        return text[end:].lstrip() or text
    return text


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char)[0] == "S"


def strip_emphasis(text: str) -> str:
    """'**Title**' or '*10 October 2019*' -> the text inside (Markdown bold or italics around
    the whole line, as pages converted to Markdown write headings and dates)."""
    if text[:1] in EMPHASIS_MARKS and text[-1:] in EMPHASIS_MARKS:
        match = EMPHASIS.fullmatch(text)
        if match:
            return match.group(2)
    return text


def unwrap_date_line(text: str) -> str:
    """A date line inside Markdown emphasis or brackets, without them: '*10 October 2019*',
    '(10 October 2019)', '[10 October 2019]' -> '10 October 2019'."""
    text = strip_emphasis(text)
    if text[:1] in "([" and text[-1:] == BRACKET_PAIRS[text[0]]:
        return text[1:-1].strip()
    return text


def strip_bullet(text: str) -> str:
    """'• Title' -> 'Title' (a bullet set before a dump's every title)."""
    return text[1:].lstrip() if is_bullet(text) else text


def is_bullet(text: str) -> bool:
    return text[:1] in BULLET_MARKS and BULLET.match(text) is not None


def is_markdown_heading(text: str) -> int:
    """Heading level of a Markdown heading line, 0 when it is not one."""
    match = MARKDOWN_HEADING.match(text)
    return len(match.group(1)) if match else 0
