"""Bar charts drawn as SVG on the server: no script, no request, nothing unescaped.

What every chart guarantees:

- It is one ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``
  (``aria-labelledby``), so a screen reader announces the title and a summary;
  the numbers themselves are in the data table the page puts after it.
- Every text, a course or quiz title typed by an editor included, passes
  through ``escape()`` (``svg.py``); callers hand over plain strings. The
  result is well-formed XML (no HTML entities but the five XML ones and
  numeric ones).
- Sizes are in the ``viewBox`` only, so the chart scales with the page.
- It is drawn on white in colours of at least 4.5:1 contrast, and never by
  colour alone: each bar has its value written beside it, and the series of a
  chart differ in fill (solid, hatched, outlined), shown in a legend.
- Only SVG presentation attributes, no ``style``.

``svg.py`` holds the primitives, ``bars.py`` and ``columns.py`` the two kinds
of chart, ``sections.py`` the statistics page's four charts.
"""

from certificates.reviewing.statistics.charts.sections import (
    funnel_chart,
    months_chart,
    oblasts_chart,
    quizzes_chart,
)

__all__ = ["funnel_chart", "months_chart", "oblasts_chart", "quizzes_chart"]
