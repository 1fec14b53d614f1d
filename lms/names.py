"""Validation and normalisation of personal names typed by people."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The three apostrophes Ukrainian writers use; stored as one form, the
# modifier letter apostrophe recommended for Ukrainian text.
APOSTROPHES = ("'", "\u2019", "\u02bc")
APOSTROPHE = "\u02bc"
NAME_MAX_LENGTH = 150

# Bidirectional controls and zero-width characters can make a printed name
# read differently from what is stored.
_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
}  # fmt: skip


def normalise_name(value: str) -> str:
    """NFC, single spaces, and one apostrophe form."""
    value = unicodedata.normalize("NFC", value or "")
    for apostrophe in APOSTROPHES:
        value = value.replace(apostrophe, APOSTROPHE)
    return " ".join(value.split())


def validate_name(value: str) -> None:
    """Rejects control, invisible and direction-changing characters in a name."""
    for char in value:
        if char in _INVISIBLE:
            raise ValidationError(
                _("The name contains invisible or text-direction characters."),
                code="invisible",
            )
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ValidationError(
                _("The name contains control or unprintable characters."),
                code="control",
            )
    if not any(char.isalpha() for char in value):
        raise ValidationError(_("The name must contain letters."), code="no_letters")
