"""Bulk verification: a reviewer checks up to 1,000 certificate numbers at once.

The rules this package keeps:

- Reviewers read and change nothing; every export of the results is written
  to the access log with the numbers found (``export.py``).
- A regionally limited reviewer learns nothing about a certificate outside
  their oblasts: the lookup goes through their scope, so such a number comes
  back exactly like one that was never issued («не знайдено»).
- One query for the whole list (``number__in`` on the unique number),
  whatever its length (``lookup.py``).
- A typed number is read in the register's spelling: ``comparable_number``
  of public verification (upper case, plain hyphens, Cyrillic letters for
  Latin look-alikes), then its year and serial are formatted again with the
  register's format, so «pb-2026-123» finds «РВ-2026-000123». Whatever lacks
  the format's shape is «wrong format» (``numbers.py``).
- A name is compared after ``normalise_name``, case-folded, with hyphens and
  apostrophes unified; surname and given name without the patronymic match.
- One result row per input row, in order; a number given again is checked
  again and marked with the row it repeats.

What a reviewer may hand over, and its limits, is in ``inputs.py``; the form
in ``form.py``; the page with its URL and menu item, registered on import, in
``views.py``.
"""

from certificates.reviewing.bulk_verify.inputs import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    InputRow,
)
from certificates.reviewing.bulk_verify.lookup import (
    RowStatus,
    Verification,
    verify_numbers,
)
from certificates.reviewing.bulk_verify.numbers import name_matches, register_number
from certificates.reviewing.bulk_verify.views import (
    PERMISSION,
    URL_NAME,
    BulkVerifyView,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "PERMISSION",
    "URL_NAME",
    "BulkVerifyView",
    "InputRow",
    "RowStatus",
    "Verification",
    "name_matches",
    "register_number",
    "verify_numbers",
]
