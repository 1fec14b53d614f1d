"""Spreadsheet exports that are safe to open and do not grow with their rows.

A mixin over Wagtail's ``SpreadsheetExportMixin`` (the export of every
``ReportView`` and index view), for every export of the site:

- **Formula injection.** A cell whose text begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is written with a leading apostrophe, in
  CSV and XLSX alike, so a name typed by a learner never runs as a formula in
  a reviewer's spreadsheet (OWASP ASVS 1.2.10).
- **Streaming.** Rows are read with ``QuerySet.iterator`` in chunks and handed
  to ``export_rows`` a chunk at a time (a view can enrich a chunk with one
  grouped query); the CSV is streamed as it is written, the XLSX is written
  to a temporary file that spills to disk, so memory stays flat.
- **Readable values.** Times in Kyiv time (Wagtail writes UTC), yes and no in
  Ukrainian, a byte-order mark so that spreadsheet programs read the CSV as
  UTF-8.
"""

import csv
import datetime
import tempfile
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000
# Kept in memory up to this size, then on disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024


def neutralise(value):
    """Text that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_value(value, *, for_csv: bool):
    """A cell's value: local times, Ukrainian yes and no, text neutralised."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return (
            local.strftime("%d.%m.%Y %H:%M") if for_csv else local.replace(tzinfo=None)
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y") if for_csv else value
    if value is None:
        return ""
    if isinstance(value, Decimal) and for_csv:
        # The same digits from every database: 85.50 → 85.5, 100.00 → 100.
        return format(value.normalize(), "f")
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(force_str(value))


class _Echo:
    def write(self, value):
        return value


class SafeSpreadsheetExportMixin:
    """Mix in before a Wagtail view that has ``SpreadsheetExportMixin``."""

    def get(self, request, *args, **kwargs):
        # Wagtail builds the whole listing context first, and for a listing
        # without pages it counts the rows with len(): every row in memory
        # before the first is written. An export needs only the rows.
        if self.is_export:
            self.object_list = self.get_export_queryset()
            return self.as_spreadsheet(self.object_list, request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_export_queryset(self):
        """The filtered, searched and ordered rows (a report's or an index's)."""
        filtered = getattr(self, "get_filtered_queryset", None)
        return filtered() if filtered is not None else self.get_queryset()

    def export_rows(self, items):
        """Row dicts for a chunk of items; override to enrich a whole chunk."""
        return [self.to_row_dict(item) for item in items]

    def iter_export_rows(self, queryset):
        if isinstance(queryset, QuerySet):
            chunk = []
            for item in queryset.iterator(chunk_size=CHUNK):
                chunk.append(item)
                if len(chunk) == CHUNK:
                    yield from self.export_rows(chunk)
                    chunk = []
            if chunk:
                yield from self.export_rows(chunk)
        else:
            yield from self.export_rows(list(queryset))

    def export_headings_row(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def stream_csv(self, queryset):
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(self.export_headings_row(queryset))
        for row in self.iter_export_rows(queryset):
            yield writer.writerow(
                export_value(row.get(field), for_csv=True) for field in self.list_export
            )

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.csv"'
        )
        return response

    def write_xlsx_response(self, queryset):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=self.get_filename()[:31] or "Sheet1")
        sheet.append(self.export_headings_row(queryset))
        for row in self.iter_export_rows(queryset):
            cells = []
            for field in self.list_export:
                cell = WriteOnlyCell(sheet, export_value(row.get(field), for_csv=False))
                if cell.data_type == "f":  # never a formula
                    cell.data_type = "s"
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "DD.MM.YYYY HH:MM"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "DD.MM.YYYY"
                cells.append(cell)
            sheet.append(cells)
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
        workbook.save(output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
            filename=f"{self.get_filename()}.xlsx",
        )
