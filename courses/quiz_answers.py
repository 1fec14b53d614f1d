"""Normalising typed answers: text comparison and numbers."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from lms.names import normalise_name

LIMIT = Decimal("1e15")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says why."""


def normalise_text_answer(value: str) -> str:
    """As names are stored (NFC, single spaces, one apostrophe), case-folded."""
    return normalise_name(value).casefold()


def parse_decimal(value: str) -> Decimal:
    """A number typed with a dot or a comma, optional spaces between thousands."""
    cleaned = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if len(cleaned) > 40:
        raise AnswerError(_("Enter a number."))
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise AnswerError(_("Enter a number.")) from error
    # copy_abs, not abs(): abs() applies the context and overflows on 1e999999999.
    if not number.is_finite() or number.copy_abs() >= LIMIT:
        raise AnswerError(_("Enter a number."))
    return number
