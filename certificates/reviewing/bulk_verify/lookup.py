"""The one query for a whole list, and each row's status, certificate and name
check, as the reviewer may see them."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from certificates.reviewing.bulk_verify.inputs import InputRow
from certificates.reviewing.bulk_verify.numbers import name_matches, register_number
from certificates.reviewing.scope import Scope, scope_of


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
        repeat_of = first if first != line else None
        checked.append(_checked_row(line, row, number, certificate, repeat_of))
    return Verification(rows=checked)


def _checked_row(
    line: int,
    row: InputRow,
    number: str | None,
    certificate: FoundCertificate | None,
    repeat_of: int | None,
) -> CheckedRow:
    return CheckedRow(
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
        repeat_of=repeat_of,
    )


def _status(number: str | None, certificate: FoundCertificate | None) -> RowStatus:
    if number is None:
        return RowStatus.MALFORMED
    if certificate is None:
        return RowStatus.NOT_FOUND
    return RowStatus(certificate.status)
