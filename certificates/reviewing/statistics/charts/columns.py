"""Grouped columns: a group per category, a column per series, values on top."""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString

from certificates.reviewing.statistics.charts.svg import (
    BLUE,
    FONT_SIZE,
    MUTED,
    TEXT,
    VALUE_FONT_SIZE,
    Fill,
    LegendItem,
    draw_legend,
    hatch_defs,
    paint,
    svg_chart,
    tag,
    text,
    text_width,
)

PLOT_HEIGHT = 180
COLUMN_TOP = 52
COLUMN_BOTTOM = 40
BASELINE = COLUMN_TOP + PLOT_HEIGHT
HEIGHT = COLUMN_TOP + PLOT_HEIGHT + COLUMN_BOTTOM
SIDE = 16
GROUP_GAP = 14


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    fill: Fill = Fill.SOLID
    colour: str = BLUE
    texts: list[str] = field(default_factory=list)  # defaults to the values


def column_chart(
    *,
    key: str,
    title: str,
    summary: str,
    categories: list[tuple[str, str]],
    series: list[Series],
) -> SafeString:
    """Grouped columns, one group per category (a label of two lines)."""
    texts = [s.texts or [str(v) for v in s.values] for s in series]
    column = _column_width(texts)
    group = column * len(series) + GROUP_GAP
    width = max(SIDE * 2 + group * len(categories), 420)
    peak = max((v for s in series for v in s.values), default=0)
    legend = [LegendItem(s.label, s.fill, s.colour) for s in series]
    body = [
        hatch_defs(key, [(s.fill, s.colour) for s in series]),
        draw_legend(key, legend, x=SIDE, y=10),
    ]
    for index, category in enumerate(categories):
        left = SIDE + GROUP_GAP / 2 + group * index
        labels = [series_texts[index] for series_texts in texts]
        body.append(
            _group(key, series, index, category, labels, left, column=column, peak=peak)
        )
    body.append(_axis(width))
    return svg_chart(
        key, title=title, summary=summary, width=width, height=HEIGHT, body=body
    )


def _column_width(texts: list[list[str]]) -> float:
    """Wide enough for the widest value written on top of a column."""
    widest = max(
        (text_width(t, VALUE_FONT_SIZE) for ts in texts for t in ts), default=0
    )
    return max(22.0, widest + 4)


def _group(
    key: str,
    series: list[Series],
    index: int,
    category: tuple[str, str],
    labels: list[str],
    left: float,
    *,
    column: float,
    peak: int,
) -> str:
    """One category: a column per series side by side, its label under them."""
    columns = [
        _column(
            key,
            s,
            labels[n],
            s.values[index],
            x=left + column * n,
            width=column,
            peak=peak,
        )
        for n, s in enumerate(series)
    ]
    first, second = category
    label = _two_lines(
        first, second, x=left + column * len(series) / 2, y=BASELINE + 16
    )
    return tag("g", *columns, label)


def _axis(width: float) -> str:
    return tag(
        "line",
        x1=SIDE,
        y1=BASELINE,
        x2=width - SIDE,
        y2=BASELINE,
        stroke=MUTED,
        stroke_width=1,
    )


def _column(
    key: str,
    series: Series,
    label: str,
    value: int,
    *,
    x: float,
    width: float,
    peak: int,
) -> str:
    height = PLOT_HEIGHT * value / peak if peak else 0
    parts = []
    if height:
        parts.append(
            tag(
                "rect",
                x=x + 1,
                y=BASELINE - height,
                width=width - 2,
                height=height,
                **paint(key, series.fill, series.colour),
            )
        )
    parts.append(
        text(
            label,
            x=x + width / 2,
            y=BASELINE - height - 4,
            fill=TEXT,
            font_size=VALUE_FONT_SIZE,
            text_anchor="middle",
        )
    )
    return "".join(parts)


def _two_lines(first: str, second: str, *, x: float, y: float) -> str:
    return tag(
        "text",
        tag("tspan", escape(first), x=x),
        tag("tspan", escape(second), x=x, dy=14),
        x=x,
        y=y,
        fill=TEXT,
        font_size=FONT_SIZE,
        text_anchor="middle",
    )
