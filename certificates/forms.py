from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.issuing import InvalidHolderName, clean_holder_name
from courses.models import CoursePage
from lms.names import NAME_MAX_LENGTH, normalise_name, validate_name


class NameConfirmationForm(forms.Form):
    """The learner's name in Ukrainian order, as the certificate prints it."""

    last_name = forms.CharField(
        label=_("Surname"), max_length=NAME_MAX_LENGTH, validators=[validate_name]
    )
    first_name = forms.CharField(
        label=_("Given name"), max_length=NAME_MAX_LENGTH, validators=[validate_name]
    )
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        validators=[validate_name],
    )
    confirm = forms.BooleanField(
        label=_("I confirm that my name is written correctly"),
        error_messages={"required": _("Tick the box to confirm your name.")},
    )

    AUTOCOMPLETE = {
        "last_name": "family-name",
        "first_name": "given-name",
        "patronymic": "additional-name",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    def clean(self):
        cleaned = super().clean()
        for name in self.AUTOCOMPLETE:
            if cleaned.get(name):
                cleaned[name] = normalise_name(cleaned[name])
        return cleaned

    @property
    def printed_name(self) -> str:
        parts = (self.cleaned_data.get(name) for name in self.AUTOCOMPLETE)
        return " ".join(part for part in parts if part)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=50,
        help_text=_("As printed on the certificate, e.g. РВ-2025-000123."),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("Printed under the QR code on the certificate."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept in the register and the audit log; not shown publicly."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for revoking."))
        return reason


class ReissueForm(forms.Form):
    holder_name = forms.CharField(
        label=_("Holder's full name as it must be printed"),
        max_length=500,
        help_text=_("Surname, given name, patronymic."),
    )

    def clean_holder_name(self):
        try:
            return clean_holder_name(self.cleaned_data["holder_name"])
        except InvalidHolderName as error:
            raise forms.ValidationError(str(error)) from error


class BulkIssueForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        required=False,
        empty_label=_("All courses"),
    )
    use_profile_names = forms.BooleanField(
        label=_(
            "Also issue to learners who have not confirmed their name, printing "
            "the name from their profile"
        ),
        required=False,
        help_text=_(
            "Leave unticked to list those learners as waiting for confirmation; "
            "they get their certificate after confirming their name."
        ),
    )
