"""The period of the over-time section: whole days in Kyiv, counted by month."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from certificates.models import KYIV

DEFAULT_MONTHS = 12
MAX_MONTHS = 36


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many calendar months the days from ``start`` to ``end`` touch."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def kyiv_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=KYIV)


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` inclusive, in Kyiv."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, *, end: datetime.date | None = None) -> "Period":
        """The last twelve months: this month and the eleven before it."""
        end = end or timezone.localdate(timezone=KYIV)
        return cls(add_months(month_start(end), 1 - DEFAULT_MONTHS), end)

    @property
    def months(self) -> list[datetime.date]:
        first = month_start(self.start)
        return [
            add_months(first, n) for n in range(months_between(self.start, self.end))
        ]

    def q(self, field: str) -> Q:
        """The moments of the period, for a date-time ``field``."""
        return Q(
            **{
                f"{field}__gte": kyiv_midnight(self.start),
                f"{field}__lt": kyiv_midnight(self.end + datetime.timedelta(days=1)),
            }
        )
