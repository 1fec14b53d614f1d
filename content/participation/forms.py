"""The application form of a pilot or event."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.participation.models import (
    EXPERIENCE_MAX_LENGTH,
    MOTIVATION_MAX_LENGTH,
    ParticipationPage,
    Sector,
)
from lms.accounts.forms import validate_readable, validate_single_line_text

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")


def validate_multiline_text(value: str) -> None:
    """Like a one-line text, but line breaks and tabs are allowed."""
    validate_readable(value)
    for char in value:
        if char in _LINE_BREAKS:
            continue
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            raise ValidationError(
                _("The text contains control or text-direction characters."),
                code="control",
            )


class ApplicationForm(forms.Form):
    """Sector, workplace, motivation, experience and consent.

    The sectors offered are those the page accepts (all when it does not
    restrict them); organisation and position start from the profile.
    """

    sector = forms.ChoiceField(
        label=_("Whom do you represent?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whom you represent."),
            "invalid_choice": _("This sector is not among those who may apply."),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        validators=[validate_single_line_text],
        error_messages={"required": _("Enter your organisation.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    position = forms.CharField(
        label=_("Position or role"),
        max_length=255,
        validators=[validate_single_line_text],
        error_messages={"required": _("Enter your position or role.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    motivation = forms.CharField(
        label=_("Why do you want to take part?"),
        max_length=MOTIVATION_MAX_LENGTH,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tell the organisers why you want to take part.")
        },
    )
    experience = forms.CharField(
        label=_("Your experience of cooperation"),
        max_length=EXPERIENCE_MAX_LENGTH,
        required=False,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers see this application and my record in "
            "the course (status and certificate number)."
        ),
        error_messages={
            "required": _("Without this consent the application cannot be sent.")
        },
    )

    def __init__(self, *args, page: ParticipationPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["motivation"].help_text = gettext("Up to %(limit)s characters.") % {
            "limit": MOTIVATION_MAX_LENGTH
        }
        self.fields["experience"].help_text = gettext(
            "Projects with the hromada, business or civil society; up to "
            "%(limit)s characters."
        ) % {"limit": EXPERIENCE_MAX_LENGTH}
        allowed = set(page.allowed_sectors or [])
        self.fields["sector"].choices = [
            (value, label)
            for value, label in Sector.choices
            if not allowed or value in allowed
        ]
