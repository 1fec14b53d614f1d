"""Signed links that confirm a person's e-mail address.

A token names the user and carries an HMAC of the address it was sent to,
so it stops working when the address changes (anonymisation replaces it).
It is single use because confirming sets ``email_confirmed_at`` and a
confirmed account is never confirmed again.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from lms.models import User

EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=3)
_SALT = "lms.accounts.email-confirmation"


class InvalidConfirmationToken(Exception):
    """The link is malformed, expired, or was made for another address."""


def _email_digest(user: User) -> str:
    return salted_hmac(_SALT, user.email.lower(), algorithm="sha256").hexdigest()[:32]


def make_confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": _email_digest(user)}, salt=_SALT)


def user_for_confirmation_token(token: str) -> User:
    """The user the token was made for; raises InvalidConfirmationToken."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE)
        user = User.objects.get(pk=int(payload["u"]))
        digest = str(payload["e"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        raise InvalidConfirmationToken from None
    if not constant_time_compare(digest, _email_digest(user)):
        raise InvalidConfirmationToken
    return user
