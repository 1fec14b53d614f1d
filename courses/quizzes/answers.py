"""Normalising typed answers: text comparison and numbers."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from lms.names import normalise_name

# A typed number must be smaller than this in size, and have at most
# ``MAX_PLACES`` digits after the decimal point once trailing zeros go: the
# nine characters «1E-999999» are a valid Decimal with a million digits.
LIMIT = Decimal("1e15")
MAX_PLACES = 10


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says why."""


def normalise_text_answer(value: str) -> str:
    """As names are stored (NFC, single spaces, one apostrophe), case-folded."""
    return normalise_name(value).casefold()


def parse_decimal(value: str) -> Decimal:
    """A number typed with a dot or a comma, optional spaces between thousands.

    Returned without an exponent, in at most ``MAX_PLACES`` decimal places;
    anything larger or finer is refused with a message that says the range.
    """
    cleaned = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if len(cleaned) > 40:
        raise AnswerError(_("Enter a number."))
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise AnswerError(_("Enter a number.")) from error
    if not number.is_finite():
        raise AnswerError(_("Enter a number."))
    # copy_abs, not abs(): abs() applies the context and overflows on 1e999999999.
    places = -_trimmed(number).as_tuple().exponent
    if number.copy_abs() >= LIMIT or places > MAX_PLACES:
        raise AnswerError(
            _(
                "Enter a number smaller than %(limit)s in size, with at most "
                "%(places)s digits after the decimal point."
            )
            % {"limit": "1 000 000 000 000 000", "places": MAX_PLACES}
        )
    return _plain(number)


def _trimmed(number: Decimal) -> Decimal:
    """The number without trailing zeros after the point (1.500 → 1.5).

    Not ``normalize()``, which rounds to the context's precision and turns
    1E-999999 into something that looks short.
    """
    sign, digits, exponent = number.as_tuple()
    digits = list(digits)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    return Decimal((sign, tuple(digits), exponent))


def _plain(number: Decimal) -> Decimal:
    """Without an exponent: 1E+3 → 1000, 1.50 → 1.5."""
    trimmed = _trimmed(number)
    if trimmed.as_tuple().exponent > 0:
        return trimmed.quantize(Decimal(1))
    return trimmed
