"""Bar charts drawn as SVG on the server: no script, no request, nothing unescaped.

What every chart guarantees:

- It is one ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``
  (``aria-labelledby``), so a screen reader announces the title and a summary;
  the numbers themselves are in the data table the page puts after it.
- Every text, a course or quiz title typed by an editor included, passes
  through ``escape()`` here; callers hand over plain strings. The result is
  well-formed XML (no HTML entities but the five XML ones and numeric ones).
- Sizes are in the ``viewBox`` only, so the chart scales with the page.
- It is drawn on white in colours of at least 4.5:1 contrast, and never by
  colour alone: each bar has its value written beside it, and the series of a
  chart differ in fill (solid, hatched, outlined), shown in a legend.
- Only SVG presentation attributes, no ``style``.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

TEXT = "#1b1b1b"  # 17:1 on white
MUTED = "#595959"  # 7:1
BLUE = "#005bbb"  # 6.5:1
ORANGE = "#a34700"  # 6.1:1
FONT_SIZE = 12
VALUE_FONT_SIZE = 11
# An average glyph of the admin's sans-serif font at 11-12 px, for layout only.
CHAR_WIDTH = 6.6
LABEL_CHARS = 34


class Fill(Enum):
    SOLID = "solid"
    HATCHED = "hatched"
    OUTLINE = "outline"


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    fill: Fill = Fill.SOLID
    colour: str = BLUE
    texts: list[str] = field(default_factory=list)  # defaults to the values


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


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: Fill
    colour: str = BLUE


# Building blocks --------------------------------------------------------------


def _number(value: float) -> str:
    """A coordinate: at most one decimal, never an exponent."""
    return f"{value:.1f}".removesuffix(".0")


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = _number(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"')
    return "".join(parts)


def tag(name: str, *children: str, **attrs) -> str:
    """An element; ``children`` are markup already built by this module."""
    if not children:
        return f"<{name}{_attrs(attrs)}/>"
    return f"<{name}{_attrs(attrs)}>{''.join(children)}</{name}>"


def text(content: str, **attrs) -> str:
    """A ``<text>`` element with escaped content."""
    return tag("text", escape(content), **attrs)


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def text_width(content: str, size: int = FONT_SIZE) -> float:
    return len(content) * CHAR_WIDTH * size / FONT_SIZE


def _pattern_id(key: str, colour: str) -> str:
    return f"{key}-hatch-{colour.lstrip('#')}"


def _hatch(key: str, colour: str) -> str:
    return tag(
        "pattern",
        tag("rect", width=6, height=6, fill="#fff"),
        tag("line", x1=0, y1=0, x2=0, y2=6, stroke=colour, stroke_width=3),
        id=_pattern_id(key, colour),
        patternUnits="userSpaceOnUse",
        width=6,
        height=6,
        patternTransform="rotate(45)",
    )


def _paint(key: str, fill: Fill, colour: str) -> dict:
    """Fill and stroke attributes for a bar or a legend swatch."""
    if fill is Fill.SOLID:
        return {"fill": colour}
    if fill is Fill.HATCHED:
        paint = f"url(#{_pattern_id(key, colour)})"
        return {"fill": paint, "stroke": colour, "stroke_width": 1.5}
    return {"fill": "#fff", "stroke": colour, "stroke_width": 1.5}


def _defs(key: str, fills: list[tuple[Fill, str]]) -> str:
    patterns = {colour for fill, colour in fills if fill is Fill.HATCHED}
    if not patterns:
        return ""
    return tag("defs", *(_hatch(key, colour) for colour in sorted(patterns)))


def _legend(key: str, items: list[LegendItem], *, x: float, y: float) -> str:
    parts = []
    for item in items:
        parts.append(
            tag(
                "rect",
                x=x,
                y=y,
                width=14,
                height=14,
                **_paint(key, item.fill, item.colour),
            )
        )
        parts.append(text(item.label, x=x + 20, y=y + 11, fill=TEXT))
        x += 20 + text_width(item.label) + 24
    return tag("g", *parts, font_size=FONT_SIZE)


def _svg(
    key: str, *, title: str, summary: str, width: float, height: float, body: list[str]
) -> SafeString:
    title_id, desc_id = f"{key}-title", f"{key}-desc"
    svg = tag(
        "svg",
        tag("title", escape(title), id=title_id),
        tag("desc", escape(summary), id=desc_id),
        tag("rect", width=width, height=height, fill="#fff"),
        *body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_number(width)} {_number(height)}",
        width="100%",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        class_="review-chart",
    )
    # Everything inside was escaped or built from numbers above.
    return mark_safe(svg)  # noqa: S308


# Horizontal bars --------------------------------------------------------------

BAR_WIDTH = 760
LABEL_RIGHT = 242
BAR_LEFT = 250
BAR_SPAN = 320
ROW_HEIGHT = 26
BAR_HEIGHT = 16
HEADING_CHARS = 100


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
    body = [_defs(key, [(item.fill, item.colour) for item in legend or []])]
    if legend:
        body.append(_legend(key, legend, x=BAR_LEFT, y=10))
    rows = [
        _bar_row(key, bar, y=top + ROW_HEIGHT * index, scale=scale, colour=colour)
        for index, bar in enumerate(bars)
    ]
    body.append(tag("g", *rows, font_size=FONT_SIZE) if rows else "")
    return _svg(
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
    bar_top = middle - BAR_HEIGHT / 2
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
    ]
    if whole:
        parts.append(
            tag(
                "rect",
                x=BAR_LEFT,
                y=bar_top,
                width=whole,
                height=BAR_HEIGHT,
                **_paint(key, Fill.OUTLINE, colour),
            )
        )
    if part:
        parts.append(
            tag(
                "rect",
                x=BAR_LEFT,
                y=bar_top,
                width=part,
                height=BAR_HEIGHT,
                fill=colour,
            )
        )
    parts.append(
        text(bar.text, x=BAR_LEFT + max(whole, part) + 6, y=middle + 4, fill=TEXT)
    )
    if len(bar.label) > LABEL_CHARS:
        # The full label for those who point at a shortened one.
        parts.insert(0, tag("title", escape(bar.label)))
    return tag("g", *parts)


# Columns ----------------------------------------------------------------------

PLOT_HEIGHT = 180
COLUMN_TOP = 52
COLUMN_BOTTOM = 40
SIDE = 16
GROUP_GAP = 14


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
    widest = max(
        (text_width(t, VALUE_FONT_SIZE) for ts in texts for t in ts), default=0
    )
    column = max(22.0, widest + 4)
    group = column * len(series) + GROUP_GAP
    legend = [LegendItem(s.label, s.fill, s.colour) for s in series]
    width = max(SIDE * 2 + group * len(categories), 420)
    height = COLUMN_TOP + PLOT_HEIGHT + COLUMN_BOTTOM
    baseline = COLUMN_TOP + PLOT_HEIGHT
    peak = max((v for s in series for v in s.values), default=0)
    body = [
        _defs(key, [(s.fill, s.colour) for s in series]),
        _legend(key, legend, x=SIDE, y=10),
    ]
    for index, (first, second) in enumerate(categories):
        left = SIDE + GROUP_GAP / 2 + group * index
        columns = [
            _column(
                key,
                s,
                texts[n][index],
                s.values[index],
                x=left + column * n,
                width=column,
                peak=peak,
                baseline=baseline,
            )
            for n, s in enumerate(series)
        ]
        label = _two_lines(
            first, second, x=left + column * len(series) / 2, y=baseline + 16
        )
        body.append(tag("g", *columns, label))
    body.append(
        tag(
            "line",
            x1=SIDE,
            y1=baseline,
            x2=width - SIDE,
            y2=baseline,
            stroke=MUTED,
            stroke_width=1,
        )
    )
    return _svg(
        key, title=title, summary=summary, width=width, height=height, body=body
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
    baseline: float,
) -> str:
    height = PLOT_HEIGHT * value / peak if peak else 0
    parts = []
    if height:
        parts.append(
            tag(
                "rect",
                x=x + 1,
                y=baseline - height,
                width=width - 2,
                height=height,
                **_paint(key, series.fill, series.colour),
            )
        )
    parts.append(
        text(
            label,
            x=x + width / 2,
            y=baseline - height - 4,
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


# The statistics page's charts -------------------------------------------------
# Each takes the rows the page's tables show, so chart and table cannot differ.


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up; None when there is no whole."""
    if not whole:
        return None
    share = Decimal(part * 100) / Decimal(whole)
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def number_text(value: int) -> str:
    return number_format(value, force_grouping=True)


def percent_text(value: int | None) -> str:
    return "—" if value is None else f"{value}\u00a0%"


def months_chart(*, months: list, period) -> SafeString:
    """Columns per month: enrolments (solid blue), completions (hatched orange)."""
    enrolled = [row.enrolled for row in months]
    completed = [row.completed for row in months]
    busiest = max(months, key=lambda row: row.enrolled, default=None)
    summary = gettext(
        "From %(start)s to %(end)s. Enrolled: %(enrolled)s; completed: "
        "%(completed)s. Most enrolments: %(month)s (%(count)s)."
    ) % {
        "start": date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": date_format(period.end, "SHORT_DATE_FORMAT"),
        "enrolled": number_text(sum(enrolled)),
        "completed": number_text(sum(completed)),
        "month": date_format(busiest.month, "YEAR_MONTH_FORMAT") if busiest else "—",
        "count": number_text(busiest.enrolled if busiest else 0),
    }
    return column_chart(
        key="stats-months",
        title=gettext("Enrolments and completions by month"),
        summary=summary,
        categories=[
            (date_format(row.month, "b"), str(row.month.year)) for row in months
        ],
        series=[
            Series(
                pgettext("statistics", "Enrolled"),
                enrolled,
                Fill.SOLID,
                BLUE,
                [number_text(v) for v in enrolled],
            ),
            Series(
                pgettext("statistics", "Completed"),
                completed,
                Fill.HATCHED,
                ORANGE,
                [number_text(v) for v in completed],
            ),
        ],
    )


def _extremes(rows: list, rate) -> str:
    """«Highest: … Lowest: …» among the rows that have a rate."""
    rated = [row for row in rows if rate(row) is not None]
    if not rated:
        return ""
    best = max(rated, key=rate)
    worst = min(rated, key=rate)
    return gettext(
        "Highest: %(best)s (%(best_percent)s). Lowest: %(worst)s (%(worst_percent)s)."
    ) % {
        "best": best.name,
        "best_percent": percent_text(rate(best)),
        "worst": worst.name,
        "worst_percent": percent_text(rate(worst)),
    }


def oblasts_chart(*, oblasts: list) -> SafeString:
    """Per oblast: enrolled as an outlined bar, completed as a solid one in it."""
    with_learners = [row for row in oblasts if row.enrolled]
    summary = gettext(
        "Completion rate by oblast. Oblasts with enrolments: %(count)s of %(total)s."
    ) % {"count": len(with_learners), "total": len(oblasts)}
    summary = f"{summary} {_extremes(oblasts, lambda row: row.completed_percent)}"
    bars = [
        Bar(row.name, row.completed, _oblast_text(row), whole=row.enrolled)
        for row in oblasts
    ]
    return bar_chart(
        key="stats-oblasts",
        title=gettext("Completion by oblast"),
        summary=summary.strip(),
        bars=bars,
        scale=max((row.enrolled for row in oblasts), default=0),
        legend=[
            LegendItem(pgettext("statistics", "Enrolled"), Fill.OUTLINE),
            LegendItem(pgettext("statistics", "Completed"), Fill.SOLID),
        ],
    )


def _oblast_text(row) -> str:
    if not row.enrolled:
        return "0"
    return gettext("%(completed)s of %(enrolled)s (%(percent)s)") % {
        "completed": number_text(row.completed),
        "enrolled": number_text(row.enrolled),
        "percent": percent_text(row.completed_percent),
    }


def funnel_chart(*, funnel) -> SafeString:
    """The stages from enrolment to certificate, each against the enrolled."""
    summary = gettext(
        "Enrolled: %(enrolled)s; started: %(started)s (%(started_percent)s); "
        "completed: %(completed)s (%(completed_percent)s); with a valid "
        "certificate: %(certified)s (%(certified_percent)s)."
    ) % {
        **{name: number_text(getattr(funnel, name)) for name in FUNNEL_STAGES},
        **{
            f"{name}_percent": percent_text(
                percent(getattr(funnel, name), funnel.enrolled)
            )
            for name in FUNNEL_STAGES
        },
    }
    bars = [
        Bar(str(label), count, f"{number_text(count)} ({percent_text(share)})")
        for label, count, share in funnel.stages
    ]
    return bar_chart(
        key="stats-funnel",
        title=gettext("Learners at each stage"),
        summary=summary,
        bars=bars,
        scale=funnel.enrolled,
    )


FUNNEL_STAGES = ("enrolled", "started", "completed", "certified")


def quizzes_chart(*, quizzes: list, with_course: bool) -> SafeString:
    """Per quiz: the pass rate as a solid bar in an outline of 100 %; with
    several courses, each course's quizzes under its title."""
    rows: list[Bar | Heading] = []
    for index, row in enumerate(quizzes):
        if with_course and (
            index == 0 or quizzes[index - 1].course_id != row.course_id
        ):
            rows.append(Heading(row.course_title))
        rows.append(
            Bar(
                row.title,
                row.passed_percent or 0,
                _quiz_text(row),
                whole=100 if row.attempted else None,
            )
        )
    named = [_QuizName(_quiz_label(row, with_course), row) for row in quizzes]
    summary = gettext("Pass rate by quiz, among learners who attempted it.")
    summary = f"{summary} {_extremes(named, lambda item: item.row.passed_percent)}"
    return bar_chart(
        key="stats-quizzes",
        title=gettext("Pass rate by quiz"),
        summary=summary.strip(),
        bars=rows,
        scale=100,
        legend=[
            LegendItem(gettext("Learners who attempted"), Fill.OUTLINE),
            LegendItem(pgettext("statistics", "Passed"), Fill.SOLID),
        ],
    )


@dataclass(frozen=True)
class _QuizName:
    name: str
    row: object


def _quiz_label(row, with_course: bool) -> str:
    return f"{row.course_title}: {row.title}" if with_course else row.title


def _quiz_text(row) -> str:
    if not row.attempted:
        return gettext("no attempts")
    return gettext("%(percent)s (%(passed)s of %(attempted)s)") % {
        "percent": percent_text(row.passed_percent),
        "passed": number_text(row.passed),
        "attempted": number_text(row.attempted),
    }
