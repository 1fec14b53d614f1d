"""Forms for registration, sign-in, the profile and account deletion."""

import unicodedata
from collections import Counter
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, construct_instance
from django.forms.utils import ErrorDict
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lms.accounts.services import PROFILE_FIELDS
from lms.hromadas import sort_key
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


# Django's Ukrainian catalogue says «Пароль не може складається лише із
# цифр» for NumericPasswordValidator's hint. Named here, the msgid enters the
# project's catalogue, which LOCALE_PATHS puts before Django's own.
OVERRIDDEN_DJANGO_MESSAGES = (gettext_noop("Your password can’t be entirely numeric."),)


def _district_name(hromada: Hromada) -> str:
    return hromada.district.name if hromada.district else ""


def hromada_groups(oblast_id, *, keep_id=None) -> list[tuple[str, list]]:
    """The current hromadas of an oblast as (district, [(id, label)]) groups,
    in Ukrainian alphabetical order; one query.

    ``keep_id`` is a hromada offered even if abolished (the person's own).
    A name that repeats in the oblast is labelled with its district too, and
    one that repeats in the district with its administrative centre.
    """
    if not oblast_id:
        return []
    offered = Q(abolished_in__isnull=True)
    if keep_id:
        offered |= Q(pk=keep_id)
    hromadas = Hromada.objects.filter(offered, oblast_id=oblast_id)
    hromadas = sorted(
        hromadas.select_related("district"),
        key=lambda h: (sort_key(_district_name(h)), sort_key(h.name)),
    )
    names = Counter(hromada.name for hromada in hromadas)
    in_district = Counter((_district_name(h), h.name) for h in hromadas)
    groups = []
    for district, members in groupby(hromadas, key=_district_name):
        choices = []
        for hromada in members:
            label = hromada.name
            if in_district[(district, label)] > 1 and hromada.centre:
                label = gettext("%(name)s (%(district)s, centre %(centre)s)") % {
                    "name": label,
                    "district": district,
                    "centre": hromada.centre,
                }
            elif names[label] > 1 and district:
                label = f"{label} ({district})"
            if not hromada.is_current:
                label = gettext("%(name)s (no longer in the codifier)") % {
                    "name": label
                }
            choices.append((hromada.pk, label))
        groups.append((district, choices))
    return groups


class HromadaChoiceIterator(ModelChoiceIterator):
    """The hromadas of the field's oblast, in <optgroup>s by district."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for district, choices in hromada_groups(
            self.field.oblast_id, keep_id=self.field.keep_id
        ):
            if district:
                yield (district, choices)
            else:
                yield from choices


class HromadaChoiceField(forms.ModelChoiceField):
    """Any current hromada validates (``ProfileForm.clean`` checks the oblast);
    only those of ``oblast_id`` are offered."""

    iterator = HromadaChoiceIterator
    oblast_id = None
    keep_id = None


def id_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


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
            "hromada": _(
                "The list holds the hromadas of the oblast you chose. Leave it "
                "empty if you work at oblast or national level."
            ),
        }

    def __init__(self, *args, narrowing: bool = False, **kwargs):
        """``narrowing``: the form was sent only to list the hromadas of the
        chosen oblast; it shows what was typed, checks nothing, and is never
        valid."""
        super().__init__(*args, **kwargs)
        self.narrowing = narrowing
        for name in self.required_fields:
            self.fields[name].required = True
        for name, token in _TEXT_AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        for name in ("position_title", "organisation"):
            self.fields[name].validators.append(validate_single_line_text)
        self.fields["oblast"].queryset = Oblast.objects.all()
        self.fields["position_category"].queryset = PositionCategory.objects.all()
        for name in ("position_category", "oblast"):
            self.fields[name].empty_label = _("Choose from the list")
        self._set_up_hromada(self.fields["hromada"])

    def _set_up_hromada(self, field: HromadaChoiceField) -> None:
        # A hromada abolished since it was chosen stays valid for its person.
        keep_id = self.instance.hromada_id if self.instance.pk else None
        valid = Q(abolished_in__isnull=True)
        if keep_id:
            valid |= Q(pk=keep_id)
        field.queryset = Hromada.objects.filter(valid)
        field.keep_id = keep_id
        field.empty_label = _("No hromada")
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("oblast"))
        else:
            chosen = self.get_initial_for_field(self.fields["oblast"], "oblast")
        field.oblast_id = id_or_none(chosen)
        field.widget.attrs["data-oblast-id"] = field.oblast_id or ""

    def full_clean(self):
        if self.narrowing:
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.narrowing and super().is_valid()

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

    # Where the person works comes before the passwords: choosing the oblast
    # without JavaScript sends the form, and a password is never sent back.
    field_order = (*PROFILE_FIELDS, "email", "password1", "password2", "consent")

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
