"""The results as a spreadsheet, written to the access log before it is sent."""

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.reviewing.access import record_access
from certificates.reviewing.bulk_verify.lookup import CheckedRow, Verification
from certificates.reviewing.models import ReviewAccess
from lms.spreadsheets import SafeSpreadsheetExportMixin

EXPORT_COLUMNS = (
    ("line", _("Row")),
    ("typed_number", _("Number as given")),
    ("number", _("Number in the register")),
    ("status", _("Status")),
    ("superseded_by", _("Replaced by")),
    ("holder_name", _("Holder")),
    ("course_title", _("Programme")),
    ("programme_code", _("Programme code")),
    ("hours", _("Hours")),
    ("credits", _("ECTS credits")),
    ("issued_on", _("Issued on")),
    ("typed_name", _("Name given")),
    ("name_check", _("Name check")),
    ("note", _("Note")),
)


def export_row(row: CheckedRow) -> dict:
    certificate = row.certificate
    values = {
        "line": row.line,
        "typed_number": row.typed_number,
        "number": row.number,
        "status": str(row.status.label),
        "typed_name": row.typed_name,
        "name_check": _name_check_text(row),
        "note": _repeat_text(row),
    }
    if certificate is not None:
        values |= {
            "superseded_by": certificate.superseded_by_number,
            "holder_name": certificate.holder_name,
            "course_title": certificate.course_title,
            "programme_code": certificate.programme_code,
            "hours": certificate.hours,
            "credits": certificate.credits,
            "issued_on": certificate.issued_on,
        }
    return values


def _name_check_text(row: CheckedRow) -> str:
    if row.name_matches is None:
        return ""
    return gettext("matches") if row.name_matches else gettext("does not match")


def _repeat_text(row: CheckedRow) -> str:
    if row.repeat_of is None:
        return ""
    return gettext("repeats row %(line)s") % {"line": row.repeat_of}


class ResultsSpreadsheet(SafeSpreadsheetExportMixin):
    """The results as CSV or XLSX, through the site's safe spreadsheet writer.

    Headings and rows are made when the response is made, in the reviewer's
    language; the CSV is streamed after the view has returned.
    """

    list_export = [key for key, _label in EXPORT_COLUMNS]

    def __init__(self, verification: Verification):
        self.headings = {key: capfirst(str(label)) for key, label in EXPORT_COLUMNS}
        self.rows = [export_row(row) for row in verification.rows]
        self.filename = f"certificate-verification-{timezone.localdate():%Y-%m-%d}"

    def get_heading(self, queryset, field):
        return self.headings[field]

    def export_rows(self, items):
        return items

    def get_filename(self):
        return self.filename

    def response(self, file_format: str):
        if file_format == "xlsx":
            return self.write_xlsx_response(self.rows)
        return self.write_csv_response(self.rows)


def export_verification(*, verification: Verification, user, file_format: str):
    """The spreadsheet response, written to the access log first."""
    found = verification.numbers_found
    record_access(
        user=user,
        action=ReviewAccess.Action.EXPORT_VERIFICATION,
        subject=gettext("%(format)s; rows: %(rows)s; found: %(found)s")
        % {
            "format": file_format.upper(),
            "rows": len(verification.rows),
            "found": len(found),
        },
        query=MultiValueDict({"format": [file_format], "numbers": found}),
        rows=len(verification.rows),
    )
    return ResultsSpreadsheet(verification).response(file_format)
