"""Sign-in limits: overlong usernames, and failures per client across accounts."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from lms.login_limits import axes_username
from tests import factories

LOGIN_URL = reverse("accounts:login")
ADMIN_LOGIN_URL = reverse("wagtailadmin_login")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [LOGIN_URL, ADMIN_LOGIN_URL])
@pytest.mark.parametrize("length", [255, 256, 300, 10_000])
def test_an_overlong_username_is_a_refused_sign_in_never_a_server_error(url, length):
    # On PostgreSQL axes wrote the username into a 255-character column: 500.
    username = "a" * (length - len("@example.org")) + "@example.org"
    response = Client().post(url, {"username": username, "password": "x" * 12})
    assert response.status_code == 200
    assert "form" in response.context
    assert response.context["form"].errors


def test_the_site_form_says_the_address_is_too_long(db):
    response = Client().post(
        LOGIN_URL, {"username": "a" * 300 + "@example.org", "password": "x"}
    )
    errors = response.context["form"].errors.as_data()["username"]
    assert [error.code for error in errors] == ["max_length"]


def test_axes_counts_failures_by_the_address_as_stored():
    assert axes_username(None, {"username": " Olena@Example.ORG "}) == (
        "olena@example.org"
    )
    assert len(axes_username(None, {"username": "a" * 1000})) == 255


@pytest.fixture
def low_limit(settings):
    settings.LOGIN_FAILURES_PER_CLIENT = "6/h"
    settings.AXES_FAILURE_LIMIT = 50  # isolate the per-client limit
    return 6


def test_one_password_tried_on_many_accounts_is_stopped_per_client(low_limit):
    # Axes counts per account and address: one wrong try on each of many
    # accounts never locked anything.
    people = [factories.make_user() for _ in range(low_limit + 2)]
    client = Client()
    statuses = [
        client.post(
            LOGIN_URL, {"username": p.email, "password": "Spring-2026!"}
        ).status_code
        for p in people
    ]
    assert statuses[:low_limit] == [200] * low_limit
    assert statuses[low_limit:] == [429, 429]
    refused = client.post(
        LOGIN_URL, {"username": people[0].email, "password": factories.DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429  # even the right password, for now
    assert SESSION_KEY not in client.session
    assert int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert reverse("accounts:password_reset") in text
    assert 'lang="uk"' in text


def test_the_limit_covers_the_wagtail_admin_sign_in_too(low_limit):
    client = Client()
    for number in range(low_limit):
        client.post(
            ADMIN_LOGIN_URL, {"username": f"p{number}@example.org", "password": "x1"}
        )
    response = client.post(LOGIN_URL, {"username": "a@example.org", "password": "x"})
    assert response.status_code == 429


def test_other_clients_are_not_limited(low_limit):
    learner = factories.make_user()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(low_limit + 1):
        attacker.post(
            LOGIN_URL, {"username": f"p{number}@example.org", "password": "x"}
        )
    office = Client(REMOTE_ADDR="198.51.100.20")
    response = office.post(
        LOGIN_URL, {"username": learner.email, "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def test_successful_sign_ins_do_not_count(low_limit):
    client = Client()
    learner = factories.make_user()
    for _ in range(low_limit + 2):
        response = client.post(
            LOGIN_URL,
            {"username": learner.email, "password": factories.DEFAULT_PASSWORD},
        )
        assert response.status_code == 302
        client.post(reverse("accounts:logout"))


def test_the_default_limit_lets_a_busy_office_through():
    count, _window = settings.LOGIN_FAILURES_PER_CLIENT.split("/")
    assert int(count) >= 20
