"""The statistics page's four charts.

Each takes the rows the page's tables show, so chart and table cannot differ.
"""

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from certificates.reviewing.statistics.charts.bars import Bar, Heading, bar_chart
from certificates.reviewing.statistics.charts.columns import Series, column_chart
from certificates.reviewing.statistics.charts.svg import (
    BLUE,
    ORANGE,
    Fill,
    LegendItem,
)
from certificates.reviewing.statistics.selectors import percent

FUNNEL_STAGES = ("enrolled", "started", "completed", "certified")


def number_text(value: int) -> str:
    return number_format(value, force_grouping=True)


def percent_text(value: int | None) -> str:
    return "—" if value is None else f"{value}\u00a0%"


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


# Over time --------------------------------------------------------------------


def months_chart(*, months: list, period) -> SafeString:
    """Columns per month: enrolments (solid blue), completions (hatched orange)."""
    enrolled = [row.enrolled for row in months]
    completed = [row.completed for row in months]
    return column_chart(
        key="stats-months",
        title=gettext("Enrolments and completions by month"),
        summary=_months_summary(months, period),
        categories=[
            (date_format(row.month, "b"), str(row.month.year)) for row in months
        ],
        series=[
            _counts(pgettext("statistics", "Enrolled"), enrolled, Fill.SOLID, BLUE),
            _counts(
                pgettext("statistics", "Completed"), completed, Fill.HATCHED, ORANGE
            ),
        ],
    )


def _counts(label: str, values: list[int], fill: Fill, colour: str) -> Series:
    return Series(label, values, fill, colour, [number_text(v) for v in values])


def _months_summary(months: list, period) -> str:
    busiest = max(months, key=lambda row: row.enrolled, default=None)
    return gettext(
        "From %(start)s to %(end)s. Enrolled: %(enrolled)s; completed: "
        "%(completed)s. Most enrolments: %(month)s (%(count)s)."
    ) % {
        "start": date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": date_format(period.end, "SHORT_DATE_FORMAT"),
        "enrolled": number_text(sum(row.enrolled for row in months)),
        "completed": number_text(sum(row.completed for row in months)),
        "month": date_format(busiest.month, "YEAR_MONTH_FORMAT") if busiest else "—",
        "count": number_text(busiest.enrolled if busiest else 0),
    }


# Oblasts ----------------------------------------------------------------------


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


# The funnel -------------------------------------------------------------------


def funnel_chart(*, funnel) -> SafeString:
    """The stages from enrolment to certificate, each against the enrolled."""
    bars = [
        Bar(str(label), count, f"{number_text(count)} ({percent_text(share)})")
        for label, count, share in funnel.stages
    ]
    return bar_chart(
        key="stats-funnel",
        title=gettext("Learners at each stage"),
        summary=_funnel_summary(funnel),
        bars=bars,
        scale=funnel.enrolled,
    )


def _funnel_summary(funnel) -> str:
    return gettext(
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


# Quizzes ----------------------------------------------------------------------


def quizzes_chart(*, quizzes: list, with_course: bool) -> SafeString:
    """Per quiz: the pass rate as a solid bar in an outline of 100 %; with
    several courses, each course's quizzes under its title."""
    named = [_QuizName(_quiz_label(row, with_course), row) for row in quizzes]
    summary = gettext("Pass rate by quiz, among learners who attempted it.")
    summary = f"{summary} {_extremes(named, lambda item: item.row.passed_percent)}"
    return bar_chart(
        key="stats-quizzes",
        title=gettext("Pass rate by quiz"),
        summary=summary.strip(),
        bars=_quiz_bars(quizzes, with_course),
        scale=100,
        legend=[
            LegendItem(gettext("Learners who attempted"), Fill.OUTLINE),
            LegendItem(pgettext("statistics", "Passed"), Fill.SOLID),
        ],
    )


def _quiz_bars(quizzes: list, with_course: bool) -> list[Bar | Heading]:
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
    return rows


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
