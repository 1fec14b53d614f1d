"""Validation and normalisation of personal names typed by people.

A name is printed on certificates, so it is accepted only if it prints as it
reads: after ``normalise_name`` every character is a letter, one combining
mark on a letter, a space, the hyphen-minus or the apostrophe ʼ, none is a
compatibility form (full-width Latin, ligatures: NFKC changes them), none is a
blank letter such as the Hangul fillers, and every one but the space is drawn
by the certificate fonts. ``lms`` cannot import the app that owns the fonts, so
that app registers what they draw with ``register_printable_characters``; until
something is registered only the character classes are checked. The hyphen
U+2010 is refused although the fonts have it: one stored hyphen, like one
stored apostrophe, keeps names comparable in the register.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The three apostrophes Ukrainian writers use; stored as one form, the
# modifier letter apostrophe recommended for Ukrainian text.
APOSTROPHES = ("'", "\u2019", "\u02bc")
APOSTROPHE = "\u02bc"
HYPHEN = "-"
NAME_MAX_LENGTH = 150

# Bidirectional controls and zero-width characters can make a printed name
# read differently from what is stored. Letters and marks Unicode says to draw
# as nothing (Default_Ignorable_Code_Point: the grapheme joiner, Hangul
# fillers, Khmer inherent vowels, variation selectors) would print a blank.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef]"
)
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Letters that make a name a name; modifier letters such as ʼ do not count.
_BASE_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo"})
_MAX_CHARACTERS_SHOWN = 10
_MESSAGES = {
    "invisible": _("The name contains invisible or text-direction characters."),
    "control": _("The name contains control or unprintable characters."),
    "not_allowed": _(
        "The name contains characters other than letters, spaces, hyphens and "
        "apostrophes: %(chars)s."
    ),
    "compatibility": _(
        "The name contains special forms of letters: %(chars)s. Type them as "
        "ordinary letters."
    ),
    "unprintable": _(
        "The name contains characters that cannot be printed on a certificate: "
        "%(chars)s. Write the name in Cyrillic, Latin or Greek letters."
    ),
    "no_letters": _("The name must contain letters."),
}

_printable_provider: Callable[[], Iterable[str]] | None = None
_printable: frozenset[str] | None = None


def register_printable_characters(
    provider: Callable[[], Iterable[str]] | None,
) -> None:
    """Names may hold only the characters ``provider()`` returns (and the space).

    The provider is called once, on the first validation that needs it;
    ``None`` removes the restriction.
    """
    global _printable_provider, _printable
    _printable_provider = provider
    _printable = None


def printable_characters() -> frozenset[str] | None:
    """The registered printable characters, or None if nothing is registered."""
    global _printable
    if _printable is None and _printable_provider is not None:
        _printable = frozenset(_printable_provider())
    return _printable


def normalise_name(value: str) -> str:
    """NFC, single spaces, and one apostrophe form."""
    value = unicodedata.normalize("NFC", value or "")
    for apostrophe in APOSTROPHES:
        value = value.replace(apostrophe, APOSTROPHE)
    return " ".join(value.split())


def validate_name(value: str) -> None:
    """Accepts a name only if, once normalised, it prints as it reads."""
    _refuse_hidden_characters(value)
    name = normalise_name(value)
    _refuse_characters(_not_name_characters(name), code="not_allowed")
    _refuse_characters(
        (char for char in name if unicodedata.normalize("NFKC", char) != char),
        code="compatibility",
    )
    _refuse_characters(_unprintable_characters(name), code="unprintable")
    if not any(unicodedata.category(char) in _BASE_LETTER_CATEGORIES for char in name):
        raise ValidationError(_MESSAGES["no_letters"], code="no_letters")


def _refuse_hidden_characters(value: str) -> None:
    if _INVISIBLE.search(value):
        raise ValidationError(_MESSAGES["invisible"], code="invisible")
    if any(unicodedata.category(char) in _CONTROL_CATEGORIES for char in value):
        raise ValidationError(_MESSAGES["control"], code="control")


def _not_name_characters(name: str) -> list[str]:
    """Characters outside the name alphabet, and marks not directly on a letter.

    ReportLab draws a combining mark without OpenType positioning, at one place
    over or under the letter before it: a second mark would cover the first.
    """
    refused = []
    after_letter = False
    for char in name:
        category = unicodedata.category(char)
        if not (
            category.startswith("L")
            or char in (" ", HYPHEN)
            or (category.startswith("M") and after_letter)
        ):
            refused.append(char)
        after_letter = category.startswith("L")
    return refused


def _unprintable_characters(name: str) -> list[str]:
    printable = printable_characters()
    if printable is None:
        return []
    return [char for char in name if char != " " and char not in printable]


def _refuse_characters(chars: Iterable[str], *, code: str) -> None:
    unique = list(dict.fromkeys(chars))
    if not unique:
        return
    shown = [_shown(char) for char in unique[:_MAX_CHARACTERS_SHOWN]]
    if len(unique) > _MAX_CHARACTERS_SHOWN:
        shown.append("…")
    raise ValidationError(
        _MESSAGES[code], code=code, params={"chars": ", ".join(shown)}
    )


def _shown(char: str) -> str:
    """E.g. «Ａ» (U+FF21); a combining mark on a dotted circle, as fonts show it."""
    glyph = f"\u25cc{char}" if unicodedata.category(char).startswith("M") else char
    return f"«{glyph}» (U+{ord(char):04X})"
