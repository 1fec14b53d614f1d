"""Forms for registration, sign-in, the profile and account deletion."""

import unicodedata
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator, construct_instance
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.accounts.services import PROFILE_FIELDS
from lms.models import EmailUserManager, Hromada, Oblast, PositionCategory, User
from lms.names import normalise_name, validate_name

_TEXT_AUTOCOMPLETE = {
    "last_name": "family-name",
    "first_name": "given-name",
    "patronymic": "additional-name",
    "position_title": "organization-title",
    "organisation": "organization",
}
REPLACEMENT_CHARACTER = "\ufffd"
# Bidirectional overrides and isolates can make text display differently
# from what is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_readable(value: str) -> None:
    """Rejects U+FFFD, which stands in for bytes that were not valid UTF-8."""
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _("The text contains characters that could not be read."),
            code="unreadable",
        )


def validate_single_line_text(value: str) -> None:
    """Rejects control and text-direction characters in a one-line text."""
    validate_readable(value)
    for char in value:
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            raise ValidationError(
                _("The text contains control or text-direction characters."),
                code="control",
            )


class HromadaChoiceIterator(ModelChoiceIterator):
    """Hromadas grouped by oblast, for <optgroup>s."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("oblast")
        for oblast, hromadas in groupby(queryset, key=lambda hromada: hromada.oblast):
            yield (oblast.name, [self.choice(hromada) for hromada in hromadas])


class HromadaChoiceField(forms.ModelChoiceField):
    iterator = HromadaChoiceIterator


class ProfileForm(forms.ModelForm):
    """The learner's profile; every field but patronymic and hromada is required."""

    required_fields = (
        "last_name",
        "first_name",
        "position_title",
        "position_category",
        "organisation",
        "oblast",
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        field_classes = {"hromada": HromadaChoiceField}
        help_texts = {
            "hromada": _("Leave empty if you work at oblast or national level."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True
        for name, token in _TEXT_AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        for name in ("position_title", "organisation"):
            self.fields[name].validators.append(validate_single_line_text)
        self.fields["oblast"].queryset = Oblast.objects.all()
        self.fields["hromada"].queryset = Hromada.objects.select_related("oblast")
        self.fields["position_category"].queryset = PositionCategory.objects.all()
        for name in ("position_category", "oblast"):
            self.fields[name].empty_label = _("Choose from the list")
        self.fields["hromada"].empty_label = _("No hromada")

    def _clean_name(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return value
        validate_readable(value)
        validate_name(value)
        return normalise_name(value)

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_patronymic(self) -> str:
        return self._clean_name("patronymic")

    def clean(self):
        cleaned_data = super().clean()
        oblast, hromada = cleaned_data.get("oblast"), cleaned_data.get("hromada")
        if oblast and hromada and hromada.oblast_id != oblast.pk:
            self.add_error(
                "hromada",
                ValidationError(
                    _("This hromada is not in the oblast you chose."),
                    code="wrong_oblast",
                ),
            )
        return cleaned_data

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


def privacy_notice_help_text() -> str:
    link = format_html(
        '<a href="{}">{}</a>', settings.PRIVACY_NOTICE_URL, gettext("privacy notice")
    )
    text = escape(
        gettext(
            "Before you agree, read the %(link)s: who keeps your data, why, "
            "for how long, and what your rights are."
        )
    )
    # Safe: the sentence is escaped and the link is built by format_html.
    return mark_safe(text % {"link": link})  # noqa: S308


class RegistrationForm(ProfileForm, BaseUserCreationForm):
    """E-mail, password twice, the profile and consent to the privacy notice."""

    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={
            "required": _(
                "To register, agree to the processing of your personal data "
                "as described in the privacy notice."
            )
        },
    )

    class Meta(ProfileForm.Meta):
        fields = ("email", *PROFILE_FIELDS)
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    field_order = ("email", "password1", "password2", *PROFILE_FIELDS, "consent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password again")
        self.fields["consent"].help_text = privacy_notice_help_text()

    def clean_email(self) -> str:
        # Whether the address is registered is never said here: the owner
        # learns of the attempt by e-mail (services.register_learner).
        return EmailUserManager.normalize_email(self.cleaned_data["email"])

    def _post_clean(self):
        """ModelForm's model validation without the address's uniqueness
        (unique field and constraint), which the service handles silently."""
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)
        # The strength message belongs next to the first password field.
        self.validate_password_for_user(self.instance, "password1")


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail in any letter case; explains unconfirmed accounts."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check them and try again."
        ),
        "unconfirmed": _(
            "This account is not active yet. Open the link in the e-mail we sent "
            "when you registered, or ask for a new link below."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        # AuthenticationForm sets max_length after the field is made, which
        # adds no validator: an overlong address reached authenticate().
        username.validators.append(MaxLengthValidator(username.max_length))
        username.label = _("E-mail")
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "maxlength": username.max_length}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self) -> str:
        return EmailUserManager.normalize_email(self.cleaned_data["username"])

    def get_invalid_login_error(self):
        if self._is_unconfirmed_with_right_password():
            return ValidationError(
                self.error_messages["unconfirmed"], code="unconfirmed"
            )
        return super().get_invalid_login_error()

    def _is_unconfirmed_with_right_password(self) -> bool:
        if getattr(self.request, "axes_locked_out", False):
            return False
        user = User.objects.filter(
            email__iexact=self.cleaned_data.get("username", "")
        ).first()
        return bool(
            user
            and user.awaits_email_confirmation
            and user.check_password(self.cleaned_data.get("password", ""))
        )


class EmailForm(forms.Form):
    """An address to send a new confirmation link to."""

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class CurrentPasswordForm(forms.Form):
    """Asks for the current password before an irreversible change."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("The password is wrong."), code="password_incorrect"
            )
        return password
