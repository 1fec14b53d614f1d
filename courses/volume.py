"""Course volume: hours and ECTS credits (1 credit = 30 hours)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

HOURS_PER_CREDIT = 30


def credits_for_hours(hours: int) -> Decimal:
    """ECTS credits for a number of hours, to two decimal places."""
    raw = Decimal(hours) / Decimal(HOURS_PER_CREDIT)
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_credits(credits: Decimal) -> str:
    if credits == credits.to_integral_value():
        count = int(credits)
        return ngettext("%(count)s ECTS credit", "%(count)s ECTS credits", count) % {
            "count": count
        }
    shown = number_format(credits.normalize(), use_l10n=True)
    return gettext("%(count)s ECTS credit (fractional)") % {"count": shown}


def format_volume(hours: int) -> str:
    """E.g. «30 годин (1 кредит ЄКТС)»."""
    hours_text = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return gettext("%(hours)s (%(credits)s)") % {
        "hours": hours_text,
        "credits": format_credits(credits_for_hours(hours)),
    }
