"""Horizontal bars: a labelled row a bar, optionally under group headings."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString

from certificates.reviewing.statistics.charts.svg import (
    BLUE,
    FONT_SIZE,
    LABEL_CHARS,
    MUTED,
    TEXT,
    Fill,
    LegendItem,
    draw_legend,
    hatch_defs,
    paint,
    shorten,
    svg_chart,
    tag,
    text,
)

BAR_WIDTH = 760
LABEL_RIGHT = 242
BAR_LEFT = 250
BAR_SPAN = 320
ROW_HEIGHT = 26
BAR_HEIGHT = 16
HEADING_CHARS = 100


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal chart: ``value`` solid over an outlined ``whole``."""

    label: str
    value: float
    text: str
    whole: float | None = None


@dataclass(frozen=True)
class Heading:
    """A row of a horizontal chart naming the group of bars below it."""

    label: str


def bar_chart(
    *,
    key: str,
    title: str,
    summary: str,
    bars: list[Bar | Heading],
    scale: float,
    legend: list[LegendItem] | None = None,
    colour: str = BLUE,
) -> SafeString:
    """One row per bar; lengths are ``value / scale`` of the bar span."""
    top = 12 + (26 if legend else 0)
    height = top + ROW_HEIGHT * len(bars) + 10
    body = [hatch_defs(key, [(item.fill, item.colour) for item in legend or []])]
    if legend:
        body.append(draw_legend(key, legend, x=BAR_LEFT, y=10))
    rows = [
        _bar_row(key, bar, y=top + ROW_HEIGHT * index, scale=scale, colour=colour)
        for index, bar in enumerate(bars)
    ]
    body.append(tag("g", *rows, font_size=FONT_SIZE) if rows else "")
    return svg_chart(
        key, title=title, summary=summary, width=BAR_WIDTH, height=height, body=body
    )


def _length(value: float | None, scale: float) -> float:
    if not value or scale <= 0:
        return 0
    return BAR_SPAN * min(value, scale) / scale


def _bar_row(
    key: str, bar: Bar | Heading, *, y: float, scale: float, colour: str
) -> str:
    middle = y + ROW_HEIGHT / 2
    if isinstance(bar, Heading):
        label = shorten(bar.label, HEADING_CHARS)
        return text(label, x=8, y=middle + 4, fill=TEXT, font_weight="bold")
    whole = _length(bar.whole, scale)
    part = _length(bar.value, scale)
    parts = [
        # The axis, row by row, so that a heading may run across it.
        tag("line", x1=BAR_LEFT, y1=y, x2=BAR_LEFT, y2=y + ROW_HEIGHT, stroke=MUTED),
        text(
            shorten(bar.label),
            x=LABEL_RIGHT,
            y=middle + 4,
            fill=TEXT,
            text_anchor="end",
        ),
        *_rects(
            key, whole=whole, part=part, top=middle - BAR_HEIGHT / 2, colour=colour
        ),
        text(bar.text, x=BAR_LEFT + max(whole, part) + 6, y=middle + 4, fill=TEXT),
    ]
    if len(bar.label) > LABEL_CHARS:
        # The full label for those who point at a shortened one.
        parts.insert(0, tag("title", escape(bar.label)))
    return tag("g", *parts)


def _rects(key: str, *, whole: float, part: float, top: float, colour: str) -> list:
    """The outlined whole, then the solid part over it; none for a zero length."""
    return [
        tag(
            "rect",
            x=BAR_LEFT,
            y=top,
            width=length,
            height=BAR_HEIGHT,
            **paint(key, fill, colour),
        )
        for length, fill in ((whole, Fill.OUTLINE), (part, Fill.SOLID))
        if length
    ]
