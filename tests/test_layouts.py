"""Every paste layout of the layout matrix (date place x date format x title mark x chrome x
blank-line style) gives back the titles and dates of the real items rendered in it."""

from __future__ import annotations

import random

from bulletin_tools.parse import parse_dump

from .layout_matrix import (
    Layout,
    all_layouts,
    extra_layouts,
    golden_items,
    readable_items,
    render,
)

PER_DUMP = 4


def _failures(layouts: list[Layout], items: list[dict], seed: int) -> list[str]:
    rng = random.Random(seed)
    failed = []
    for k, layout in enumerate(layouts):
        chosen = rng.sample(readable_items(layout, items), PER_DUMP)
        text, expected = render(layout, chosen, seed + k)
        got = [(item.title, item.date) for item in parse_dump(text, "matrix.txt")]
        if got != expected:
            failed.append(f"{layout}\n  expected {expected}\n  got      {got}")
    return failed


def test_every_layout_gives_back_titles_and_dates():
    layouts = all_layouts()
    assert len(layouts) > 1000
    # titles ending in a full stop read as sentences unless a date line anchors them (below)
    items = [item for item in golden_items() if not item["title"].endswith(".")]
    failed = _failures(layouts, items, seed=1)
    assert not failed, f"{len(failed)} of {len(layouts)} layouts fail; first:\n" + "\n".join(
        failed[:3]
    )


def test_layouts_with_frames_kickers_glued_paragraphs_and_wrapping():
    """600 layouts drawn from the whole product (23,616 readable ones) with a newsletter header and
    footer, a kicker over every title, glued paragraphs and bodies wrapped at 72 columns.
    A few stay ambiguous: a plain title no longer than the wrap width, glued over a wrapped
    body, reads as the paragraph's first line; a header line over a shorter first title reads
    as that title's heading. The bound catches any new kind of failure."""
    layouts = extra_layouts(600, seed=5)
    items = [item for item in golden_items() if not item["title"].endswith(".")]
    failed = _failures(layouts, items, seed=2)
    assert len(failed) <= 12, f"{len(failed)} of 600 fail; first:\n" + "\n".join(failed[:3])


def test_titles_ending_in_a_full_stop():
    """Read beside a date line, or glued over their body where the dump's titles are; with a
    blank line after every line and no date line, one is a one-sentence paragraph too."""
    layouts = [
        layout
        for layout in all_layouts()
        if layout.spacing == "items apart" or layout.date_place in ("above", "below")
    ]
    full_stop = [item for item in golden_items() if item["title"].endswith(".")]
    others = [item for item in golden_items() if not item["title"].endswith(".")]
    assert full_stop
    failed = []
    for k, layout in enumerate(layouts):
        chosen = random.Random(k).sample(readable_items(layout, others), PER_DUMP - 1)
        chosen.insert(k % PER_DUMP, full_stop[0])
        text, expected = render(layout, chosen, k)
        got = [(item.title, item.date) for item in parse_dump(text, "matrix.txt")]
        if got != expected:
            failed.append(f"{layout}: {got}")
    assert not failed, f"{len(failed)} of {len(layouts)}; first: {failed[:2]}"


def test_long_dumps_of_titles_glued_on_one_line_paragraphs():
    """With many items, the titles glued over their paragraphs are the only lines with a line
    under them, so their lengths looked like a wrap width (about 100): a title near it took the
    paragraph under it for its wrapped continuation, and the item was lost in the one above.
    A line far longer than the width was never wrapped, so it continues nothing."""
    items = [item for item in golden_items() if not item["title"].endswith(".")]
    failed = []
    for seed in range(8):
        chosen = random.Random(seed).sample(items, 20)
        for place in ("none", "above"):
            text, expected = render(
                Layout(place, "d month y", "plain", "none", "items apart"), chosen, seed
            )
            got = [(item.title, item.date) for item in parse_dump(text, "long.txt")]
            if got != expected:
                failed.append((seed, place))
    assert not failed
