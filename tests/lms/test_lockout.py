"""Sign-in lockout after repeated failures (django-axes)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from lms.models import User
from tests import factories

LOGIN_URL = reverse("accounts:login")


def _sign_in(client, email: str, password: str):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def _fail_until_locked(client, email: str) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, email, f"wrong-password-{attempt}")
        expected = 429 if attempt == settings.AXES_FAILURE_LIMIT - 1 else 200
        assert response.status_code == expected, attempt


def test_four_failures_still_let_the_right_password_in(client, learner):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, learner.email, f"wrong-password-{attempt}")

    response = _sign_in(client, learner.email, factories.DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(learner.pk)


def test_after_five_failures_even_the_right_password_is_refused(client, learner):
    _fail_until_locked(client, learner.email)

    response = _sign_in(client, learner.email, factories.DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lockout_cannot_be_dodged_by_changing_letter_case(client, learner):
    _fail_until_locked(client, learner.email)

    response = _sign_in(client, learner.email.upper(), factories.DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("email", ["Mixed.Case@Example.org", "MIXED.CASE@EXAMPLE.ORG"])
def test_failures_in_different_letter_cases_count_together(client, db, email):
    learner = factories.make_user(email="mixed.case@example.org")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        variant = email if attempt % 2 else email.lower()
        _sign_in(client, variant, f"wrong-password-{attempt}")

    response = _sign_in(client, learner.email, factories.DEFAULT_PASSWORD)

    assert response.status_code == 429


def test_a_locked_unconfirmed_account_is_not_told_its_password_was_right(client, db):
    user = factories.make_user(is_active=False)
    _fail_until_locked(client, user.email)

    response = _sign_in(client, user.email, factories.DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert b"not active yet" not in response.content


def test_a_lockout_of_one_account_leaves_others_alone(client, learner):
    other = factories.make_user()
    _fail_until_locked(client, learner.email)

    response = _sign_in(client, other.email, factories.DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)
    assert User.objects.filter(pk=learner.pk, is_active=True).exists()


def test_a_new_password_opens_a_locked_account_at_once(client, learner):
    # The lockout page sends people to the password reset, not to an
    # administrator: the reset must lift the lock.
    _fail_until_locked(client, learner.email)
    client.post(reverse("accounts:password_reset"), {"email": learner.email})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "Sloviansk-Lyman-2025"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    response = _sign_in(client, learner.email, new_password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(learner.pk)
