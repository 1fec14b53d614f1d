"""SVG primitives: escaped elements, text measuring, fills, legends, the frame."""

from dataclasses import dataclass
from enum import Enum

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
class LegendItem:
    label: str
    fill: Fill
    colour: str = BLUE


# Elements ---------------------------------------------------------------------


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
    """An element; ``children`` are markup already built by this package."""
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


# Fills and legends ------------------------------------------------------------


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


def paint(key: str, fill: Fill, colour: str) -> dict:
    """Fill and stroke attributes for a bar or a legend swatch."""
    if fill is Fill.SOLID:
        return {"fill": colour}
    if fill is Fill.HATCHED:
        pattern = f"url(#{_pattern_id(key, colour)})"
        return {"fill": pattern, "stroke": colour, "stroke_width": 1.5}
    return {"fill": "#fff", "stroke": colour, "stroke_width": 1.5}


def hatch_defs(key: str, fills: list[tuple[Fill, str]]) -> str:
    """The patterns the hatched ``fills`` refer to; nothing if none is hatched."""
    patterns = {colour for fill, colour in fills if fill is Fill.HATCHED}
    if not patterns:
        return ""
    return tag("defs", *(_hatch(key, colour) for colour in sorted(patterns)))


def draw_legend(key: str, items: list[LegendItem], *, x: float, y: float) -> str:
    parts = []
    for item in items:
        parts.append(
            tag(
                "rect",
                x=x,
                y=y,
                width=14,
                height=14,
                **paint(key, item.fill, item.colour),
            )
        )
        parts.append(text(item.label, x=x + 20, y=y + 11, fill=TEXT))
        x += 20 + text_width(item.label) + 24
    return tag("g", *parts, font_size=FONT_SIZE)


# The frame --------------------------------------------------------------------


def svg_chart(
    key: str, *, title: str, summary: str, width: float, height: float, body: list[str]
) -> SafeString:
    """The whole ``<svg>``, labelled by its title and summary, on white."""
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
