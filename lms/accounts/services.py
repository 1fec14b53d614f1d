"""Writes on accounts: registration, e-mail confirmation, profile, anonymisation."""

from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from lms import data_export
from lms.accounts.tokens import make_confirmation_token
from lms.models import ConsentRecord, EmailUserManager, User

PROFILE_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "position_title",
    "position_category",
    "organisation",
    "oblast",
    "hromada",
)
# One resend per account in this window, so the form cannot flood an inbox.
RESEND_INTERVAL_SECONDS = 300


class EmailAlreadyRegistered(Exception):
    """Another account already uses this address (in any letter case)."""


class EmailAlreadyConfirmed(Exception):
    """The address was confirmed before; the link has been used."""


def register_learner(
    *, email: str, password: str, profile: Mapping[str, Any], request: HttpRequest
) -> User:
    """Creates an inactive account with its consent, then mails the link."""
    user = User(email=email, is_active=False, **profile)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            ConsentRecord.objects.create(
                user=user,
                purpose=ConsentRecord.Purpose.LEARNING,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                given_at=user.date_joined,
            )
    except IntegrityError as error:
        # A registration with the same address committed first.
        if User.objects.filter(email__iexact=user.email).exists():
            raise EmailAlreadyRegistered from error
        raise
    send_confirmation_email(user=user, request=request)
    return user


def send_confirmation_email(*, user: User, request: HttpRequest) -> None:
    token = make_confirmation_token(user)
    link = request.build_absolute_uri(reverse("accounts:confirm_email", args=[token]))
    context = {"user": user, "link": link, "site_name": settings.WAGTAIL_SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("lms/emails/confirm_email_subject.txt", context)
        body = render_to_string("lms/emails/confirm_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def resend_confirmation(*, email: str, request: HttpRequest) -> None:
    """Mails a new link if the address awaits confirmation; silent otherwise."""
    address = EmailUserManager.normalize_email(email)
    user = User.objects.filter(email__iexact=address).first()
    if user is None or not user.awaits_email_confirmation:
        return
    if cache.add(f"lms:confirmation-resent:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        send_confirmation_email(user=user, request=request)


@transaction.atomic
def confirm_email(*, user: User) -> User:
    """Marks the address confirmed and opens the account, once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is not None or user.anonymised_at is not None:
        raise EmailAlreadyConfirmed
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active"])
    return user


def update_profile(*, user: User, changes: Mapping[str, Any]) -> User:
    """Saves validated profile fields (the form has already cleaned them)."""
    fields = [name for name in changes if name in PROFILE_FIELDS]
    for name in fields:
        setattr(user, name, changes[name])
    user.save(update_fields=fields)
    return user


@transaction.atomic
def anonymise_user(*, user: User) -> User:
    """Removes what identifies the person; learning and consent rows remain.

    The password becomes unusable and the account inactive, so every other
    session of the person fails its session hash check on the next request.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    user.email = f"deleted-{uuid4().hex}@deleted.invalid"
    for name in ("last_name", "first_name", "patronymic"):
        setattr(user, name, "")
    user.position_title = user.organisation = ""
    user.position_category = user.oblast = user.hromada = None
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.anonymised_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    UserProfile.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=old_email).delete()
    data_export.run_anonymise_hooks(user)
    return user
