"""Which paragraph units are titles, and which date line belongs to which title.

The rules read a window's units (see `parse_units`): a date line anchors the title above or
below it (the dump's own habit, learnt from its unambiguous cases, settles the rest), or closes
the item above it; a title may print its own date; an undated title is a heading-like line
standing alone before body text (across chrome, under a kicker, over a teaser), or a short
sentence glued on its body where the dump's titles sit on theirs. `parse` builds the items.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from .lines import (
    BULLET_MARKS,
    NOISE_KINDS,
    LineMarks,
    is_bullet,
    is_markdown_heading,
    names_a_person,
    split_dated_title,
    strip_bullet,
    strip_title_marks,
)
from .parse_units import (
    MAX_TITLE_CHARS,
    QUESTION_ENDS,
    Unit,
    at_boundary,
    ends_sentence,
    is_body,
    long_enough_for_title,
    title_shape,
    unit_at,
)

DATE_OR_NOISE = ("date", *NOISE_KINDS)
TITLE_CANDIDATE_CHARS = MAX_TITLE_CHARS + 8  # a title line may carry a heading mark
SENTENCE_TITLE_CHARS = 150  # a title ending in a full stop is one short sentence
ENTRY_MARKS = "#*_-\u2022\u25b6\u25ba\u25cf\u25a0 "  # marks a contents entry or title may wear
KICKER_MAX_WORDS = 4  # "Press release", "Regional Conference on Migration"
STANDFIRST_OVER_TITLE = 1.5  # a standfirst is clearly longer than its headline
TEASER_OVER_TITLE = 1.2  # a teaser is clearly longer than its title (a table of contents is not)


@dataclass(slots=True)
class TitleWindow:
    """A window's units and the titles found in them, handed to the item builder."""

    units: list[Unit]
    titles: set[int] = field(default_factory=set)
    date_of: dict[int, int] = field(default_factory=dict)  # title index -> date unit index
    dates_below: set[int] = field(default_factory=set)  # date units right under their title
    dates_after_titles: bool = False  # undated titles print their date after the title
    noise: list[int] = field(default_factory=list)  # indices of chrome and separator units


def find_titles(units: list[Unit], marks: LineMarks) -> TitleWindow:
    """Decide which units are titles, and which date line belongs to which title."""
    win = TitleWindow(units, noise=marks.noise)
    _mark_bullet_headings(units, marks.title_candidates)
    above, below = _date_candidates(units, marks.dates)
    taken: set[int] = set()
    for d in marks.dates:
        text = units[d].text
        # only a tag after "|", "·" or "•" may hold a title (see `_prints_its_title`)
        if ("|" in text or "\u00b7" in text or "\u2022" in text) and _prints_its_title(
            units, d, below
        ):
            win.date_of[d] = d  # the date line is its own title: "May 5, 2021 | Title"
            taken.add(d)
    closing = _closing_dates(
        units, [d for d in marks.dates if d not in taken] if taken else marks.dates
    )
    _pair_dates_with_titles(win, above, below, closing, taken)
    _add_undated_titles(win, taken, marks.title_candidates)
    if _titles_sit_on_their_bodies(win):
        _add_sentence_titles(win, taken)
    _drop_contents_entries(win)
    win.titles |= win.date_of.keys()
    _attach_closing_dates(win, closing)
    win.dates_after_titles = _dates_after_titles(win)
    return win


def _mark_bullet_headings(units: list[Unit], candidates: list[int]) -> None:
    """A dump that sets a bullet before every title ("• Title / body") shows it by bullet lines
    that open a block alone, over body text, with no list around them. Where two or more do,
    they are headings: their title shape is read without the bullet. A list item stays one."""
    # most candidates are plain lines: the first character rules them out before any call
    found = [
        i
        for i in candidates
        if units[i].text[:1] in BULLET_MARKS and _lone_bullet_over_body(units, i)
    ]
    if len(found) < 2:
        return
    # the dump's habit shown, the titles ending in a full stop (no candidates) join them
    for i, unit in enumerate(units):
        if unit.kind == "text" and _lone_bullet_over_body(units, i):
            unit.shape = _shape_without_bullet(unit)


def _lone_bullet_over_body(units: list[Unit], i: int) -> bool:
    """Is unit i one bullet line opening its block (or under a kicker), not in a list, with
    body text under it (across a date line or chrome)?"""
    unit = units[i]
    if not is_bullet(unit.text) or unit.parts is not None:
        return False
    prev = unit_at(units, i - 1)
    if prev is not None and prev.kind == "text" and not _under_kicker(units, i):
        if not unit.blank_before or prev.text.endswith(":"):
            return False  # inside a list, or a list's first item under its lead-in
        if prev.blank_before and is_bullet(prev.text):
            return False  # the items of a list parted by blank lines
    j = i + 1
    while j < len(units) and units[j].kind in DATE_OR_NOISE and j <= i + 2:
        j += 1  # "• Title / 12 March 2021 / body", "• Title / Share / body"
    nxt = unit_at(units, j)
    return nxt is not None and is_body(nxt) and not is_bullet(nxt.text)


def _shape_without_bullet(unit: Unit) -> str:
    bare = Unit(unit.number, strip_bullet(unit.text), unit.indent, unit.kind)
    return title_shape(bare) if long_enough_for_title(bare) else ""


def _pair_dates_with_titles(
    win: TitleWindow,
    above: dict[int, int],
    below: dict[int, int],
    closing: set[int],
    taken: set[int],
) -> None:
    """Give each date line the title it heads or closes; the dump's habit breaks ties."""
    prefer_below = _prefer_below(win.units, above, below)
    for d in sorted(above.keys() | below.keys()):
        if d in closing or d in taken:
            continue
        head, close = above.get(d), below.get(d)  # the title under it, the title above it
        if head in taken:
            head = None
        if close in taken:
            close = None
        title = close if close is not None and (head is None or prefer_below) else head
        if title is None or title in win.date_of:
            continue
        win.date_of[title] = d
        if d > title:
            win.dates_below.add(d)
        taken.add(title)
        taken.add(d)


def _dates_after_titles(win: TitleWindow) -> bool:
    """Do the window's undated titles print their date after the title ("Title (12 March
    2021)")? Only as a habit of the dump: one title ending in a date ("Ministerial meeting on
    migration, 12 May 2019") names an event, and the date is part of it."""
    undated = [t for t in win.titles if t not in win.date_of]
    if len(undated) < 2:
        return False
    units = win.units
    ends = "0123456789)*_"  # a date's last character, or Markdown emphasis around the line
    ending = [strip_title_marks(units[t].text) for t in undated if units[t].text[-1] in ends]
    dated = [split_dated_title(title) for title in ending]
    after = sum(1 for found in dated if found and not found[2])
    return after >= 2 and 2 * after > len(undated)


def _prints_its_title(units: list[Unit], d: int, below: dict[int, int]) -> bool:
    """Is date line d ("May 5, 2021 | Floods in the north") an item's title with its date,
    rather than a date line with a tag ("21/03/2023 | Press release")? So when a title follows
    the date, body text comes under it, and no heading above could take the date."""
    nxt = unit_at(units, d + 1)
    if nxt is None or not is_body(nxt) or title_shape(nxt) == "strong":
        return False
    if d in below and title_shape(units[below[d]]) == "strong":
        return False
    dated = split_dated_title(units[d].text)
    return dated is not None and not names_a_person(dated[1])  # "By Jane Doe | 12 May 2021"


def _closing_dates(units: list[Unit], dates: list[int]) -> set[int]:
    """Date lines printed after their item's body, when that is the window's habit.

    Many list pages print the date last: "Title / teaser. / Published: 12 March 2021", then a
    blank line and the next title. Such a date line is glued to the body text above it (maybe
    across chrome such as "Read more") and cut off from the title below; when most of a
    window's date lines look so, each of those closes the item above it instead of heading the
    next one. (When blank lines part every line, only a dump's edges could tell the two habits
    apart, and a paste cut mid-item fools them: such dates keep heading the next item.)
    """
    closing = {d for d in dates if not units[d].blank_before and _glued_to_body_above(units, d)}
    return closing if 2 * len(closing) > len(dates) else set()


def _glued_to_body_above(units: list[Unit], d: int) -> bool:
    """Is date line d glued to body text above it, with a blank line and a heading (or the
    end) below it? Chrome may sit on either side.

    "Title ending in a full stop. / date / blank / Body." looks alike: there the line above
    is one short line opening its block, or the text below is a whole paragraph.
    """
    nxt = unit_at(units, _past_glued_chrome(units, d + 1))  # chrome under it goes with it
    if nxt is not None and not nxt.blank_before:
        return False
    i = d
    while i > 0 and not units[i].blank_before and units[i - 1].kind in NOISE_KINDS:
        i -= 1
    if i == 0 or units[i].blank_before or not is_body(units[i - 1]):
        return False
    above = units[i - 1]
    title_above = above.blank_before and not _paragraph(above)  # one short line, alone
    return not (nxt is not None and _reads_as_body(nxt) and (title_above or _paragraph(nxt)))


def _paragraph(unit: Unit) -> bool:
    """A body paragraph, too long for a title ending in a full stop (see `_reads_as_body`)."""
    return _reads_as_body(unit) and (
        unit.parts is not None or len(unit.text) > SENTENCE_TITLE_CHARS
    )


def _reads_as_body(unit: Unit) -> bool:
    """Body text and no heading ("What is it, and how can it help?" is both: a heading)."""
    return is_body(unit) and (not _may_be_heading(unit) or title_shape(unit) != "strong")


def _attach_closing_dates(win: TitleWindow, closing: set[int]) -> None:
    """Give each closing date line to the nearest title above it, if that title has none."""
    titles = sorted(win.titles)
    for d in sorted(closing):
        k = bisect_left(titles, d) - 1
        if k >= 0 and titles[k] not in win.date_of:
            win.date_of[titles[k]] = d


def _date_candidates(units: list[Unit], dates: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """For each date line, the title it could head (above) or close (below)."""
    above: dict[int, int] = {}
    below: dict[int, int] = {}
    count = len(units)
    for d in dates:
        nxt = units[d + 1] if d + 1 < count else None
        after = units[d + 2] if d + 2 < count else None
        if (
            nxt
            and title_shape(nxt)
            and (after is None or after.kind == "text" or _body_past_chrome(units, d + 2))
        ):
            above[d] = d + 1
        t = _past_chrome_above(units, d - 1)  # "Title / Share / date / body"
        prev = units[t] if t >= 0 else None
        if (
            prev
            and (title_shape(prev) if t == d - 1 else title_shape(prev) == "strong")
            and long_enough_for_title(prev)  # "Press release / date / Title": a kicker
            # the last item of a list of dated titles has nothing under its date
            and (nxt is None or nxt.kind == "text" or _body_past_chrome(units, d + 1))
            and (at_boundary(units, t) or _under_kicker(units, t))
        ):
            below[d] = t
    return above, below


def _past_chrome_above(units: list[Unit], i: int) -> int:
    """The first index from i back that is no chrome line (two at most: "Share", "Print").
    Across chrome only a heading-like title takes the date: a sentence may be anything."""
    j = i
    while j >= 0 and i - j < 2 and units[j].kind == "chrome":
        j -= 1
    return j


def _body_past_chrome(units: list[Unit], i: int) -> bool:
    """Is unit i chrome with body text after it ("date / Title / Share / body")? Across chrome
    only body text will do: a line under a photo credit may be anything."""
    if units[i].kind not in NOISE_KINDS:
        return False
    body = _past_chrome(units, i)
    return body is not None and is_body(body)


def _past_chrome(units: list[Unit], i: int) -> Unit | None:
    """The first unit from i on that is no chrome or separator (None at the end)."""
    count = len(units)
    while i < count and units[i].kind in NOISE_KINDS:
        i += 1
    return units[i] if i < count else None


def _prefer_below(units: list[Unit], above: dict[int, int], below: dict[int, int]) -> bool:
    """The dump's habit: date lines under titles if its telling cases say so.

    A date line with a possible title on one side only tells; so does one with a strong title
    (a heading) on one side and only a weak one (a sentence ending in a full stop) on the other,
    as in "HEADING / date / First sentence of the body." with no blank lines between; and one
    between alike lines that a blank line parts from one of them ("Title. / date / blank /
    Sentence.").
    """
    votes_above = votes_below = 0
    for d in above.keys() | below.keys():
        head, close = above.get(d), below.get(d)
        if close is None:
            votes_above += 1
        elif head is None:
            votes_below += 1
        else:
            head_shape, close_shape = title_shape(units[head]), title_shape(units[close])
            if head_shape != close_shape:
                votes_above += head_shape == "strong"
                votes_below += close_shape == "strong"
            else:  # alike shapes: the blank lines group the date with one of them
                glued_above, glued_below = not units[d].blank_before, not units[head].blank_before
                votes_above += glued_below and not glued_above
                votes_below += glued_above and not glued_below
    return votes_below > votes_above


def _add_undated_titles(win: TitleWindow, taken: set[int], candidates: list[int]) -> None:
    """Titles without a date line: a short line standing alone, followed by body text.
    `candidates` are the text units short enough for a title that do not end in a full stop
    (a line ending in one is never a strong title: most body text is left out cheaply)."""
    units = win.units
    for i in candidates:
        unit = units[i]
        if i in taken:
            continue
        if title_shape(unit) != "strong" or not long_enough_for_title(unit):
            continue
        if not (at_boundary(units, i) or _under_kicker(units, i)) or _follows_title(win, i):
            continue
        if _heads_body(units, i):
            win.titles.add(i)
            taken.add(i)


def _under_kicker(units: list[Unit], i: int) -> bool:
    """Is unit i (not at a boundary) right under a kicker, a short heading-like line opening
    the block ("Press release / Title / body")? An item can start there too."""
    kicker = units[i - 1]
    return (
        kicker.kind == "text"
        and kicker.parts is None
        and (kicker.blank_before or i == 1)
        and len(kicker.text) < len(units[i].text)
        and title_shape(kicker) == "strong"
    )


def _drop_contents_entries(win: TitleWindow) -> None:
    """A table of contents ("In this issue: / Floods in the north / A new clinic opens")
    lists titles that come again further down. An undated title with no body text of its own
    whose words come again as a later title that has body text is such an entry (a story
    printed twice as title and teaser keeps both)."""
    units, count = win.units, len(win.units)
    titles = sorted(win.titles)
    # an entry has no long paragraph right under it (checked inline: this runs on every title)
    maybe = [
        k
        for k, t in enumerate(titles)
        if t not in win.date_of
        and (t + 1 == count or (units[t + 1].parts is None and len(units[t + 1].text) < 150))
    ]
    if not maybe:
        return
    later: dict[str, int] = {}  # text -> index (into titles) of its last occurrence
    for k, t in enumerate(titles):
        later[units[t].text.strip(ENTRY_MARKS)] = k

    def has_body(k: int) -> bool:
        end = titles[k + 1] if k + 1 < len(titles) else count
        return any(_reads_as_body(u) for u in units[titles[k] + 1 : end])

    for k in maybe:
        last = later[units[titles[k]].text.strip(ENTRY_MARKS)]
        if last > k and not has_body(k) and has_body(last):
            win.titles.discard(titles[k])


def _titles_sit_on_their_bodies(win: TitleWindow) -> bool:
    """Do the window's undated titles open a block with their body glued under them (the
    dump's habit), at least two of them?"""
    units = win.units
    glued = 0
    for t in win.titles:
        if t not in win.date_of and (units[t].blank_before or _under_kicker(units, t)):
            body = _glued_under(units, t)
            glued += body is not None and is_body(body)
    return glued >= 2


def _glued_under(units: list[Unit], i: int) -> Unit | None:
    """The text unit glued under unit i (across glued chrome such as "Share", not across a
    separator line), or None."""
    unit = unit_at(units, _past_glued_chrome(units, i + 1))
    return unit if unit is not None and not unit.blank_before and unit.kind == "text" else None


def _past_glued_chrome(units: list[Unit], j: int) -> int:
    """The first index from j on that is no chrome glued to the unit above it."""
    while j < len(units) and not units[j].blank_before and units[j].kind == "chrome":
        j += 1
    return j


def _add_sentence_titles(win: TitleWindow, taken: set[int]) -> None:
    """Titles that end in a full stop ("IOM backs communication for development."), where the
    dump's titles sit on their bodies: one short sentence opening a block, over a long
    paragraph glued under it. (A body written a sentence a line has short lines under its
    first sentence; the rule needs a long one.)"""
    units = win.units
    for i in range(len(units) - 1):
        if i in taken or not _sentence_title_shape(units, i):
            continue
        if (units[i].blank_before or _under_kicker(units, i)) and not _follows_title(win, i):
            win.titles.add(i)
            taken.add(i)


def _sentence_title_shape(units: list[Unit], i: int) -> bool:
    """Is unit i one short sentence with a long paragraph glued under it (across chrome)?"""
    unit = units[i]
    if unit.kind != "text" or unit.parts is not None or i + 1 == len(units):
        return False
    if units[i + 1].blank_before or title_shape(unit) != "weak":
        return False
    j = i + 1 if units[i + 1].kind == "date" and i + 2 < len(units) else i  # "Title. / date"
    nxt = _glued_under(units, j)
    if nxt is None or (nxt.parts is None and len(nxt.text) < 150):
        return False
    text = strip_title_marks(strip_bullet(unit.text))
    dated = split_dated_title(text)
    text = dated[1] if dated and dated[2] else text  # "12/03/2021 - Title."
    return len(text) <= SENTENCE_TITLE_CHARS and ". " not in text and long_enough_for_title(unit)


def _heads_body(units: list[Unit], i: int) -> bool:
    """Is unit i followed by body text, maybe across one shorter caption line?

    A line followed by another title-like line, at least as long, that itself heads a body is a
    kicker ("Press release", a section name), not a title; a shorter line under a title is its
    photo caption or a label. A longer line heading nothing may be the title's teaser.
    """
    nxt = unit_at(units, i + 1)
    if nxt is None:
        return False
    if nxt.kind != "text":
        return _heads_body_across_chrome(units, i)
    body = is_body(nxt)
    if body and nxt.blank_before and _sentence_title_shape(units, i + 1):
        return False  # "Header / blank / Title ending in a full stop. / its body": a title
    if body and not _may_be_heading(nxt):
        return True
    strong = title_shape(nxt) == "strong"
    if not strong:
        if body:
            return True
        if is_bullet(nxt.text):  # "Title / - 4,000 families displaced / - 12 shelters opened"
            return units[i].blank_before and not nxt.blank_before
        return False
    after = unit_at(units, i + 2)
    # body text under nxt, unless it is a title ending in a full stop over its own body
    body_after = (
        after is not None and _reads_as_body(after) and not _sentence_title_shape(units, i + 2)
    )
    # a heading (long, or asking) over body text is a title itself, not line i's body
    if body and not (_asks(nxt) or body_after):
        return True
    if body_after:
        # a longer line heading the body makes line i its kicker; a shorter one is i's caption
        kicker = long_enough_for_title(nxt) and len(nxt.text) >= len(units[i].text)
        return not kicker or _over_standfirst(units[i], nxt)
    return _heads_teaser(units, i)


def _over_standfirst(title: Unit, standfirst: Unit) -> bool:
    """A headline of its own (five words or more) with a line half as long again glued under
    it is a title over its standfirst ("Floods displace thousands in the north / Heavy rains
    have forced more than 4,000 families from their homes in three provinces"); a kicker is
    short, and a section heading stands apart from the (marked) title under it."""
    return (
        not standfirst.blank_before
        and title.text.count(" ") >= KICKER_MAX_WORDS
        and len(standfirst.text) >= STANDFIRST_OVER_TITLE * len(title.text)
        and strip_title_marks(standfirst.text) == standfirst.text
        and not _title_cased(title.text)  # "International Conference of Labour Statisticians"
    )


def _title_cased(text: str) -> bool:
    """Are most words capitalised, as in a name or a section label (a headline in sentence
    case is not)?"""
    words = [w for w in text.split() if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


def _heads_teaser(units: list[Unit], i: int) -> bool:
    """Title / one-line teaser with no full stop ("Heavy rains forced families from their
    homes"), as list pages print them: the teaser, clearly longer than the title, closes the
    block (maybe with chrome such as "Read more"), and the title opens its own."""
    title, teaser = units[i], units[i + 1]
    if not title.blank_before or len(teaser.text) < TEASER_OVER_TITLE * len(title.text):
        return False
    if is_markdown_heading(teaser.text):  # a heading is the next title, never a teaser
        return False
    if _heads_body_across_chrome(units, i + 1):  # "Title / Share / body": a title itself
        return False
    j = _past_glued_chrome(units, i + 2)  # "Read more" under the teaser
    if j == len(units):
        return True
    # what comes next opens another item; a date line or body text there would make the
    # "teaser" a title itself (kicker / title / date, as press-release lists print them)
    below = units[j]
    return below.blank_before and below.kind != "date" and not is_body(below)


def _may_be_heading(unit: Unit) -> bool:
    """Could body text be a heading: one line, short enough, not ending a sentence unless it
    asks? (Spares the title shape of most paragraphs.)"""
    text = unit.text
    return (
        unit.parts is None
        and len(text) <= TITLE_CANDIDATE_CHARS
        and (text.endswith(QUESTION_ENDS) or not ends_sentence(text))
    )


def _asks(unit: Unit) -> bool:
    """A heading that asks ("What is it, and how can it help?"): a title, though it ends a
    sentence."""
    return unit.text.endswith(QUESTION_ENDS) and title_shape(unit) == "strong"


def _heads_body_across_chrome(units: list[Unit], i: int) -> bool:
    """Title / "Source: UNHCR" (or "Share", a photo credit) / body: chrome under a line does
    not stop it heading the body text under that."""
    body = _past_chrome(units, i + 1)
    return body is not None and is_body(body)


def _follows_title(win: TitleWindow, i: int) -> bool:
    """A line right under a title (or under its date line) is a subtitle or standfirst."""
    if i - 1 in win.date_of or i - 1 in win.titles:
        return True
    return i - 1 in win.dates_below
