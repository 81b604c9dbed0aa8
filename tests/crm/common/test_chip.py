"""Category chips are filled with the colour the Szef picked, and their text stays
readable on it: dark on light colours, white on dark ones, at least 4.5:1 (WCAG AA)."""

from __future__ import annotations

import itertools

import pytest
from django.template import Context, Template

from crm.common.templatetags.kit import relative_luminance, text_on


def _contrast(a: float, b: float) -> float:
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


def _render(color: str) -> str:
    return Template('{% load kit %}{% chip label="Etykieta" color=color %}').render(Context({"color": color}))


@pytest.mark.parametrize("color", ["#ffffff", "#ffff00", "#f1c40f", "#aabbcc", "#85c1e9", "#fdebd0", "#0f0"])
def test_a_light_colour_gets_dark_text(color: str) -> None:
    html = _render(color)
    assert "chip-text-dark" in html and f'data-bg="{color}"' in html


@pytest.mark.parametrize("color", ["#000000", "#000080", "#2c3e50", "#8e44ad", "#c0392b", "#2457c5", "#333"])
def test_a_dark_colour_gets_white_text(color: str) -> None:
    html = _render(color)
    assert "chip-text-light" in html and f'data-bg="{color}"' in html


def test_chip_text_reaches_aa_contrast_on_every_colour() -> None:
    dark_text, white = relative_luminance("#000000"), 1.0
    assert dark_text is not None
    worst = 21.0
    for r, g, b in itertools.product(range(0, 256, 15), repeat=3):
        color = f"#{r:02x}{g:02x}{b:02x}"
        lum = relative_luminance(color)
        assert lum is not None
        text = dark_text if text_on(color) == "dark" else white
        worst = min(worst, _contrast(lum, text))
    assert worst >= 4.5


def test_a_chip_with_a_colour_that_is_no_colour_stays_unfilled() -> None:
    html = _render("red; background: url(x)")
    assert "chip-filled" not in html and "data-bg" not in html
    assert "Etykieta" in html


def test_a_category_chip_shows_its_name_and_colour() -> None:
    class Category:
        name = "Klient <VIP>"
        color = "#1a1a40"

    html = Template("{% load kit %}{% chip category %}").render(Context({"category": Category()}))
    assert "Klient &lt;VIP&gt;" in html
    assert 'data-color="#1a1a40"' in html and "chip-text-light" in html
