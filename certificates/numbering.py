"""Register numbers: a per-year sequence allocated inside the issuing transaction.

The counter row is locked (``SELECT … FOR UPDATE``) until the transaction
that uses the number commits, so two certificates never share a number and a
number given to a certificate is never given again. If the transaction rolls
back, the counter rolls back with it and no certificate carries that number.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from certificates.models import CertificateCounter


@dataclass(frozen=True)
class AllocatedNumber:
    year: int
    serial: int
    number: str


def format_number(*, year: int, serial: int) -> str:
    return settings.CERTIFICATE_NUMBER_FORMAT.format(year=year, number=serial)


def allocate_number(*, year: int) -> AllocatedNumber:
    """The next number of ``year``; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside transaction.atomic().")
    # ON CONFLICT DO NOTHING: the first certificate of a year creates the row
    # without a race; everyone then waits on the same row lock.
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(year=year, last_number=0)], ignore_conflicts=True
    )
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    serial = counter.last_number
    return AllocatedNumber(year, serial, format_number(year=year, serial=serial))
