"""Bulk verification: a reviewer checks up to 1,000 certificate numbers at once.

The rules this file keeps:

- Reviewers read and change nothing; every export of the results is written
  to the access log with the numbers found.
- A regionally limited reviewer learns nothing about a certificate outside
  their oblasts: the lookup goes through their scope, so such a number comes
  back exactly like one that was never issued («не знайдено»).
- One query for the whole list (``number__in`` on the unique number),
  whatever its length.
- A typed number is read in the register's spelling: ``comparable_number``
  of public verification (upper case, plain hyphens, Cyrillic letters for
  Latin look-alikes), then its year and serial are formatted again with the
  register's format, so «pb-2026-123» finds «РВ-2026-000123». Whatever lacks
  the format's shape is «wrong format».
- A name is compared after ``normalise_name``, case-folded, with hyphens and
  apostrophes unified; surname and given name without the patronymic match.
- One result row per input row, in order; a number given again is checked
  again and marked with the row it repeats.
"""

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.models import Certificate
from certificates.numbering import format_number
from certificates.reviewing.access import record_access
from certificates.reviewing.bulk_verify_input import (
    BulkVerifyForm,
    InputRow,
    rows_to_json,
)
from certificates.reviewing.menu import REVIEW_MENU_HOOK, PermissionMenuItem
from certificates.reviewing.models import ReviewAccess
from certificates.reviewing.scope import Scope, scope_of
from certificates.verification import comparable_number
from lms.names import APOSTROPHE, normalise_name
from lms.spreadsheets import SafeSpreadsheetExportMixin

PERMISSION = "certificates.view_certificate"
URL_NAME = "review_bulk_verify"


class RowStatus(models.TextChoices):
    VALID = Certificate.Status.VALID.value, _("valid")
    REVOKED = Certificate.Status.REVOKED.value, _("revoked")
    SUPERSEDED = Certificate.Status.SUPERSEDED.value, _("superseded")
    NOT_FOUND = "not_found", _("not found")
    MALFORMED = "malformed", _("wrong format")


PROBLEMS = frozenset({RowStatus.NOT_FOUND, RowStatus.MALFORMED})


@dataclass(frozen=True)
class FoundCertificate:
    """What the results show of one certificate."""

    number: str
    status: str
    holder_name: str
    course_title: str
    programme_code: str
    hours: int
    credits: Decimal
    issued_on: date
    superseded_by_number: str | None


@dataclass(frozen=True)
class CheckedRow:
    line: int
    typed_number: str
    typed_name: str
    number: str | None  # the register's spelling; None if not shaped like one
    status: RowStatus
    certificate: FoundCertificate | None
    name_matches: bool | None  # None: no name given, or nothing to compare with
    repeat_of: int | None

    @property
    def is_problem(self) -> bool:
        return self.status in PROBLEMS

    @property
    def name_mismatch(self) -> bool:
        return self.name_matches is False

    @property
    def respelled(self) -> bool:
        """The register writes the number otherwise than it was typed."""
        return self.number is not None and self.number != self.typed_number


@dataclass(frozen=True)
class Summary:
    total: int
    by_status: Counter
    name_mismatches: int
    repeats: int

    @property
    def items(self) -> list[tuple[str, int, bool]]:
        """(label, count, is a problem) for the line above the table."""
        items = [
            (status.label, self.by_status[status], status in PROBLEMS)
            for status in RowStatus
        ]
        items.append((gettext("name does not match"), self.name_mismatches, True))
        items.append((gettext("repeated"), self.repeats, False))
        return items


@dataclass(frozen=True)
class Verification:
    rows: list[CheckedRow]

    @property
    def summary(self) -> Summary:
        return Summary(
            total=len(self.rows),
            by_status=Counter(row.status for row in self.rows),
            name_mismatches=sum(row.name_mismatch for row in self.rows),
            repeats=sum(row.repeat_of is not None for row in self.rows),
        )

    @property
    def numbers_found(self) -> list[str]:
        return list(dict.fromkeys(row.number for row in self.rows if row.certificate))


# Numbers -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _number_shape(number_format: str) -> re.Pattern:
    """The format «РВ-{year}-{number:06d}» as a pattern of comparable numbers."""
    fields = {"year": "(?P<year>[0-9]{4})", "number": "(?P<number>[0-9]{1,9})"}
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(number_format):
        parts.append(re.escape(comparable_number(literal)))
        if field is not None:
            parts.append(fields[field])
    return re.compile("".join(parts))


def register_number(typed: str) -> str | None:
    """The register's spelling of a typed number; None if it has not the shape."""
    shape = _number_shape(settings.CERTIFICATE_NUMBER_FORMAT)
    match = shape.fullmatch(comparable_number(typed))
    if match is None:
        return None
    parts = match.groupdict(default="0")
    return format_number(year=int(parts["year"]), serial=int(parts["number"]))


def find_certificates(
    *, numbers: set[str], scope: Scope
) -> dict[str, FoundCertificate]:
    """The certificates with these numbers that ``scope`` may see: one query."""
    if not numbers:
        return {}
    queryset = scope.certificates(Certificate.objects.filter(number__in=numbers))
    rows = queryset.order_by().values(
        "number", "status", "holder_name", "course_title", "programme_code",
        "hours", "credits", "issued_on",
        superseded_by_number=F("superseded_by__number"),
    )  # fmt: skip
    return {row["number"]: FoundCertificate(**row) for row in rows}


# Names -------------------------------------------------------------------------

# Typed for the apostrophe beyond the three normalise_name knows: grave and
# acute accents, the left quote, the prime.
_MORE_APOSTROPHES = str.maketrans(dict.fromkeys("`\u00b4\u2018\u2032", APOSTROPHE))
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014", "-"))
_SPACED_HYPHEN = re.compile(r" ?- ?")


def comparable_name(name: str) -> str:
    value = normalise_name(name.translate(_MORE_APOSTROPHES).translate(_HYPHENS))
    return _SPACED_HYPHEN.sub("-", value).casefold()


def name_matches(given: str, holder_name: str) -> bool:
    """The full name, or surname and given name without the patronymic."""
    given, holder = comparable_name(given), comparable_name(holder_name)
    if given == holder:
        return True
    words = holder.split(" ")
    return len(words) >= 3 and given == " ".join(words[:-1])


# Checking a list -----------------------------------------------------------------


def verify_numbers(*, rows: Sequence[InputRow], user) -> Verification:
    """Each row's status, certificate and name check, as ``user`` may see them."""
    numbers = [register_number(row.number) for row in rows]
    found = find_certificates(
        numbers={number for number in numbers if number}, scope=scope_of(user)
    )
    first_lines: dict[str, int] = {}
    checked = []
    for line, (row, number) in enumerate(zip(rows, numbers, strict=True), 1):
        first = first_lines.setdefault(number, line) if number else line
        certificate = found.get(number) if number else None
        checked.append(
            CheckedRow(
                line=line,
                typed_number=row.number,
                typed_name=row.name,
                number=number,
                status=_status(number, certificate),
                certificate=certificate,
                name_matches=(
                    name_matches(row.name, certificate.holder_name)
                    if row.name and certificate
                    else None
                ),
                repeat_of=first if first != line else None,
            )
        )
    return Verification(rows=checked)


def _status(number: str | None, certificate: FoundCertificate | None) -> RowStatus:
    if number is None:
        return RowStatus.MALFORMED
    if certificate is None:
        return RowStatus.NOT_FOUND
    return RowStatus(certificate.status)


# Export --------------------------------------------------------------------------

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


# The admin view ----------------------------------------------------------------


class BulkVerifyView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Paste or upload numbers, see each one's status, export the table."""

    permission_policy = ModelPermissionPolicy(Certificate)
    permission_required = "view"
    form_class = BulkVerifyForm
    template_name = "certificates/reviewing/bulk_verify.html"
    page_title = _("Verify certificates in bulk")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scope_is_limited=scope_of(self.request.user).is_limited, **kwargs
        )

    def form_valid(self, form):
        rows = form.cleaned_data["rows"]
        verification = verify_numbers(rows=rows, user=self.request.user)
        if form.cleaned_data.get("export"):
            return export_verification(
                verification=verification,
                user=self.request.user,
                file_format=form.cleaned_data["export"],
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                verification=verification,
                summary=verification.summary,
                checked=rows_to_json(rows),
            )
        )


@hooks.register("register_admin_urls")
def register_bulk_verify_url():
    return [path("reviews/verify/", BulkVerifyView.as_view(), name=URL_NAME)]


@hooks.register(REVIEW_MENU_HOOK)
def register_bulk_verify_menu_item():
    return PermissionMenuItem(
        _("Verify certificates"),
        reverse_lazy(URL_NAME),
        name="review-bulk-verify",
        icon_name="tick-inverse",
        order=300,
        permissions=(PERMISSION,),
    )
