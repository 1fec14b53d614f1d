"""Writes on accounts: registration, e-mail confirmation, profile, anonymisation."""

from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from lms import data_export
from lms.accounts.tokens import make_confirmation_token
from lms.models import ConsentRecord, EmailUserManager, User
from lms.ratelimit import once_per
from lms.signals import profile_updated
from lms.site_address import absolute_url

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
# One e-mail of each kind per address in this window (a confirmation link,
# a password reset, a notice of a registration attempt), however often a
# form asks, so no form can flood an inbox.
EMAIL_INTERVAL_SECONDS = 300


class EmailAlreadyConfirmed(Exception):
    """The address was confirmed before; the link has been used."""


def register_learner(
    *, email: str, password: str, profile: Mapping[str, Any], next_path: str = ""
) -> User | None:
    """Creates an inactive account with its consent, then mails the link.

    ``next_path`` (a path on this site, checked by the caller) rides in the
    link, so that confirming in another browser still leads back to the page
    registration started from.

    For an address that already has an account nothing is created and the
    page says what it says for a new address, so registration cannot be
    used to learn who is registered; the owner is told by e-mail instead
    (``notify_existing_account``). Returns the new user, or None then.
    """
    address = EmailUserManager.normalize_email(email)
    existing = account_with(address)
    if existing is not None:
        notify_existing_account(user=existing)
        return None
    user = User(email=address, is_active=False, **profile)
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
    except IntegrityError:
        # A registration with the same address committed first.
        existing = account_with(address)
        if existing is None:
            raise
        notify_existing_account(user=existing)
        return None
    send_confirmation_email(user=user, next_path=next_path)
    return user


def account_with(address: str) -> User | None:
    return User.objects.filter(email__iexact=address).first()


def notify_existing_account(*, user: User) -> None:
    """Someone registered with this account's address: tell its owner.

    An account still waiting for confirmation gets a new link instead. At
    most one such e-mail per address in ``EMAIL_INTERVAL_SECONDS``.
    """
    if user.anonymised_at is not None:
        return
    if user.awaits_email_confirmation:
        if first_email_in_interval(kind="confirmation", email=user.email):
            send_confirmation_email(user=user)
        return
    if first_email_in_interval(kind="registration-attempt", email=user.email):
        _send(
            "lms/emails/registration_attempt",
            user=user,
            context={
                "login_link": absolute_url(reverse("accounts:login")),
                "reset_link": absolute_url(reverse("accounts:password_reset")),
            },
        )


def first_email_in_interval(*, kind: str, email: str) -> bool:
    """Whether an e-mail of ``kind`` may go to ``email`` now (one per interval)."""
    return once_per(
        group=f"account-email:{kind}",
        key=EmailUserManager.normalize_email(email),
        seconds=EMAIL_INTERVAL_SECONDS,
    )


def send_confirmation_email(*, user: User, next_path: str = "") -> None:
    token = make_confirmation_token(user)
    link = absolute_url(reverse("accounts:confirm_email", args=[token]))
    if next_path:
        link += "?" + urlencode({"next": next_path})
    _send("lms/emails/confirm_email", user=user, context={"link": link})


def _send(template: str, *, user: User, context: dict) -> None:
    """A plain-text e-mail in the site's language from ``template``.txt and
    ``template``_subject.txt."""
    context = {"user": user, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def resend_confirmation(*, email: str) -> None:
    """Mails a new link if the address awaits confirmation; silent otherwise."""
    address = EmailUserManager.normalize_email(email)
    user = User.objects.filter(email__iexact=address).first()
    if user is None or not user.awaits_email_confirmation:
        return
    if first_email_in_interval(kind="confirmation", email=address):
        send_confirmation_email(user=user)


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
    with transaction.atomic():
        user.save(update_fields=fields)
        profile_updated.send(sender=User, user=user)
    return user


@transaction.atomic
def anonymise_user(*, user: User) -> User:
    """Removes what identifies the person; learning and consent rows remain.

    Every copy of the name and address the site keeps goes: the account's
    fields, the Wagtail profile, django-axes' records of sign-ins, and the
    audit log's entries about the account, whose label froze the name when
    an administrator edited it. Only the certificate register keeps the name
    a certificate was issued to, so that HR offices can still verify it (the
    privacy notice says so).

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
    _relabel_log_entries(user)
    data_export.run_anonymise_hooks(user)
    return user


def _relabel_log_entries(user: User) -> None:
    """Audit log entries about the account keep their action and time, not
    the name they were labelled with."""
    content_type = ContentType.objects.get_for_model(User)
    ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(user.pk)
    ).update(label=str(user), data={})
