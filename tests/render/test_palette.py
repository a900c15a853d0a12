"""The budget chart's later quarters are lighter, but never mistaken for another category's colour."""

from __future__ import annotations

from itertools import permutations

from pipeline.render.deck.builder import EMPHASIS_FADE, _lighter
from pipeline.render.palette import CATEGORY_COLOURS


def distance(a: str, b: str) -> float:
    return sum((int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) ** 2 for i in (0, 2, 4)) ** 0.5


def test_a_faded_category_stays_apart_from_every_other_category():
    for (name, colour), (other, other_colour) in permutations(CATEGORY_COLOURS.items(), 2):
        faded = _lighter(colour, EMPHASIS_FADE)
        assert distance(faded, other_colour) > 60, (name, faded, other, other_colour)
        assert distance(faded, _lighter(other_colour, EMPHASIS_FADE)) > 40, (name, other)


def test_a_faded_category_is_lighter_than_its_full_colour():
    for colour in CATEGORY_COLOURS.values():
        faded = _lighter(colour, EMPHASIS_FADE)
        assert all(int(faded[i:i + 2], 16) >= int(colour[i:i + 2], 16) for i in (0, 2, 4))
        assert distance(faded, colour) > 40
