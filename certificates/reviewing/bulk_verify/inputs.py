"""What a reviewer hands to bulk verification: typed lines, a CSV or an XLSX.

Every source gives the same thing, a list of ``InputRow`` (number as typed,
optional name) in the order read, empty rows skipped. The rules:

- At most ``MAX_ROWS`` rows in all; reading stops at the first row beyond,
  so a long file costs no more than a short one.
- Typed lines: the number, then optionally a tab, semicolon or comma and the
  name. Files: the number in the first column, the name in the second; a
  first row whose first cell holds no digit is a header and is skipped.
- Files: CSV (UTF-8, or Windows-1251 as Excel saves it in Ukrainian
  Windows; comma, semicolon or tab, whichever comes first in the file) or
  XLSX (the first sheet), at most ``MAX_FILE_BYTES``, told apart by the
  file's extension. Anything else, or anything unreadable, is refused with
  a message saying what to do, never an error page.
- Cells are cut to ``MAX_NUMBER_CHARS`` and ``MAX_NAME_CHARS``: no register
  number or printed name is longer, and nothing longer need be shown back.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.utils.translation import gettext

MAX_ROWS = 1000
MAX_FILE_BYTES = 2 * 1024 * 1024
# An XLSX is a zip archive: its parts, unpacked, may not exceed this, so a
# small file cannot unpack into gigabytes.
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_NUMBER_CHARS = 100
MAX_NAME_CHARS = 500
_LINE_SEPARATOR = re.compile(r"[\t;,]")
_DIGIT = re.compile(r"\d")


class InputRow(NamedTuple):
    number: str
    name: str


class BulkInputError(Exception):
    """The list cannot be checked as given; the message says why."""


class TooManyRows(BulkInputError):
    def __init__(self):
        super().__init__(
            gettext(
                "The list has more than %(limit)s rows. Check at most %(limit)s "
                "numbers at a time: split the list into parts."
            )
            % {"limit": MAX_ROWS}
        )


class UnsupportedFile(BulkInputError):
    def __init__(self):
        super().__init__(
            gettext(
                "Upload a CSV or XLSX file (an older XLS file can be saved as XLSX)."
            )
        )


class FileTooBig(BulkInputError):
    def __init__(self):
        super().__init__(
            gettext(
                "The file is larger than %(size)s MB. Upload at most %(rows)s rows."
            )
            % {"size": MAX_FILE_BYTES // (1024 * 1024), "rows": MAX_ROWS}
        )


class UnreadableFile(BulkInputError):
    def __init__(self):
        super().__init__(
            gettext(
                "The file could not be read. Save it again as CSV (UTF-8) or "
                "XLSX and upload it once more."
            )
        )


class UnreadableExport(BulkInputError):
    def __init__(self):
        super().__init__(
            gettext("The list to export could not be read. Check the numbers again.")
        )


def _row(number, name="") -> InputRow:
    return InputRow(
        _cell(number)[:MAX_NUMBER_CHARS].strip(), _cell(name)[:MAX_NAME_CHARS].strip()
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _limited(rows: Iterable[InputRow], *, limit: int = MAX_ROWS) -> list[InputRow]:
    """The non-empty rows; ``TooManyRows`` as soon as there are more than ``limit``."""
    kept = []
    for row in rows:
        if not row.number and not row.name:
            continue
        if len(kept) == limit:
            raise TooManyRows
        kept.append(row)
    return kept


# Typed lines -------------------------------------------------------------------


def rows_from_text(text: str, *, limit: int = MAX_ROWS) -> list[InputRow]:
    return _limited(
        (_line_row(line) for line in (text or "").splitlines()), limit=limit
    )


def _line_row(line: str) -> InputRow:
    match = _LINE_SEPARATOR.search(line)
    if match is None:
        return _row(line)
    return _row(line[: match.start()], line[match.end() :])


# Files -------------------------------------------------------------------------


def rows_from_file(upload, *, limit: int = MAX_ROWS) -> list[InputRow]:
    """Rows of an uploaded CSV or XLSX file."""
    if upload.size > MAX_FILE_BYTES:
        raise FileTooBig
    data = upload.read(MAX_FILE_BYTES + 1)
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        cells = _xlsx_cells(data)
    elif name.endswith((".csv", ".txt")):
        cells = _csv_cells(data)
    else:
        raise UnsupportedFile
    return _limited(_without_header(_row(*row[:2]) for row in cells), limit=limit)


def _without_header(rows: Iterator[InputRow]) -> Iterator[InputRow]:
    rows = (row for row in rows if row.number or row.name)
    first = next(rows, None)
    if first is not None and _DIGIT.search(first.number):
        yield first
    yield from rows


def _csv_cells(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data:
        raise UnreadableFile
    for encoding in ("utf-8-sig", "cp1251"):
        # Excel in Ukrainian Windows saves «CSV» in the second.
        try:
            return _csv_reader(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UnreadableFile


def _csv_reader(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield [*row, "", ""]
    except csv.Error as error:
        raise UnreadableFile from error


def _delimiter(text: str) -> str:
    """The separator met first on the first line that has one (csv.Sniffer
    guesses wrong on a column of numbers with a few names)."""
    match = _LINE_SEPARATOR.search(text)
    return match.group() if match else ","


def _xlsx_cells(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableFile from error
    if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    # openpyxl reports a damaged or foreign file with many exception types
    # (zip, XML, KeyError, ValueError, IndexError for a book without sheets).
    except Exception as error:
        raise UnreadableFile from error
    return _sheet_rows(workbook, sheet)


def _sheet_rows(workbook, sheet) -> Iterator[list]:
    try:
        for row in sheet.iter_rows(max_col=2, values_only=True):
            yield [*row, None, None]
    except Exception as error:  # the same reason as above
        raise UnreadableFile from error
    finally:
        workbook.close()


# The list carried by the export buttons -------------------------------------


def rows_to_json(rows: Iterable[InputRow]) -> str:
    return json.dumps([list(row) for row in rows], ensure_ascii=False)


def rows_from_json(value: str) -> list[InputRow]:
    """The rows a results page carried to its export buttons."""
    try:
        data = json.loads(value)
    except ValueError as error:
        raise UnreadableExport from error
    if not isinstance(data, list) or not all(_is_pair(item) for item in data):
        raise UnreadableExport
    return _limited(_row(number, name) for number, name in data)


def _is_pair(item) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 2
        and all(isinstance(part, str) for part in item)
    )
