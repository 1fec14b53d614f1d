"""Reading typed numbers in the register's spelling, and comparing names."""

import re
import string
from functools import lru_cache

from django.conf import settings

from certificates.numbering import format_number
from certificates.verification import comparable_number
from lms.names import APOSTROPHE, normalise_name

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
