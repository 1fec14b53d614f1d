"""What higher apps add to the reviewers' workspace: a registry.

``certificates`` does not import the apps above it, so they register here from
their ``AppConfig.ready()``:

- **Completion report columns** (``ReportColumn``): a label and a function that
  gives the value of every row of a page (or an export chunk) from one query;
  the value is shown in the report and written to its CSV and XLSX export.
- **Completion report filters** (``ReportFilter``): choices and a function
  that narrows the enrolments (with ``Exists()``, say) for the chosen value.
- **Transcript sections** (``TranscriptSection``): a title and the rows of one
  learner, read in a fixed number of queries; shown in the transcript page,
  its print page and its PDF (as paragraphs there: the PDF has no tables).

Every function is given the reviewer's regional scope and must read through
it. Values are plain data (text, numbers, dates, lists of text): templates
escape them, and the export neutralises formulas.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from certificates.reviewing.scope import Scope

# Enrolments of a page → {enrolment pk: value}; one query whatever their number.
ColumnValues = Callable[[Sequence[Any], Scope], dict[int, Any]]
# (enrolments, chosen value, scope) → enrolments.
FilterNarrow = Callable[[QuerySet, str, Scope], QuerySet]
# (learner, scope) → rows (each a sequence of cells); fixed queries.
SectionRows = Callable[[Any, Scope], Sequence[Sequence[Any]]]


def export_text(value: Any) -> Any:
    """A column's value as one spreadsheet cell: lists joined with «; »."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return value


@dataclass(frozen=True)
class ReportColumn:
    """A column of the completion report and of its export."""

    key: str
    label: Any
    values: ColumnValues
    export: Callable[[Any], Any] = export_text
    order: int = 0


@dataclass(frozen=True)
class ReportFilter:
    """A filter of the completion report: one choice of ``choices``."""

    name: str
    label: Any
    choices: Sequence[tuple[str, Any]]
    narrow: FilterNarrow
    order: int = 0


@dataclass(frozen=True)
class TranscriptSection:
    """A section of a learner's transcript: a titled table of rows."""

    key: str
    title: Any
    headings: Sequence[Any]
    rows: SectionRows
    empty_text: Any = ""
    order: int = 0


@dataclass
class SectionContent:
    """A section as read for one learner, every cell already text."""

    key: str
    title: str
    headings: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty_text: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (heading, cell) pairs, for the PDF's paragraphs."""
        return [list(zip(self.headings, row, strict=False)) for row in self.rows]


_columns: dict[str, ReportColumn] = {}
_filters: dict[str, ReportFilter] = {}
_sections: dict[str, TranscriptSection] = {}


def register_report_column(column: ReportColumn) -> None:
    """Adds (or replaces, by key) a column of the completion report."""
    _columns[column.key] = column


def register_report_filter(report_filter: ReportFilter) -> None:
    """Adds (or replaces, by name) a filter of the completion report."""
    _filters[report_filter.name] = report_filter


def register_transcript_section(section: TranscriptSection) -> None:
    """Adds (or replaces, by key) a section of the transcript."""
    _sections[section.key] = section


def report_columns() -> list[ReportColumn]:
    return sorted(_columns.values(), key=lambda column: column.order)


def report_filters() -> list[ReportFilter]:
    return sorted(_filters.values(), key=lambda item: item.order)


def transcript_sections() -> list[TranscriptSection]:
    return sorted(_sections.values(), key=lambda section: section.order)


def column_values(enrolments: Sequence[Any], scope: Scope) -> dict[int, dict]:
    """Per enrolment pk, the value of every registered column (by key)."""
    values: dict[int, dict] = {enrolment.pk: {} for enrolment in enrolments}
    if not enrolments:
        return values
    for column in report_columns():
        found = column.values(enrolments, scope)
        for pk, row in values.items():
            row[column.key] = found.get(pk)
    return values


def cell_text(value: Any) -> str:
    """How a transcript cell reads: Kyiv time, Так/Ні, «—» for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def read_sections(learner, scope: Scope) -> list[SectionContent]:
    """Every registered section for ``learner``, as text."""
    return [
        SectionContent(
            key=section.key,
            title=str(section.title),
            headings=[str(heading) for heading in section.headings],
            rows=[
                [cell_text(cell) for cell in row]
                for row in section.rows(learner, scope)
            ],
            empty_text=str(section.empty_text),
        )
        for section in transcript_sections()
    ]
