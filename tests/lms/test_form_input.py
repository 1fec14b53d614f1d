"""Overlong input to any public form gets a 4xx or the form with a message.

On PostgreSQL a value longer than its column is a database error, so this
file matters most there (`make test-postgres`): the probe's 256-character
username reached a 255-character column through django-axes.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.certificates.factories import complete_course

pytestmark = pytest.mark.django_db
LONG = "Ї" * 10_000
LONG_EMAIL = "a" * 10_000 + "@example.org"


def posted(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500, (url, sorted(data))
    if response.status_code == 200:
        form = response.context.get("form") or response.context.get("resend_form")
        assert form is not None and form.errors, (url, sorted(data))
    return response


ANONYMOUS_FORMS = {
    "accounts:login": {"username": LONG_EMAIL, "password": LONG},
    "accounts:password_reset": {"email": LONG_EMAIL},
    "accounts:resend_confirmation": {"email": LONG_EMAIL},
}
REGISTRATION_FIELDS = [
    "email", "password1", "password2", "last_name", "first_name", "patronymic",
    "position_title", "organisation",
]  # fmt: skip


@pytest.mark.parametrize("url_name", sorted(ANONYMOUS_FORMS))
def test_anonymous_account_forms(url_name):
    posted(Client(), reverse(url_name), ANONYMOUS_FORMS[url_name])


@pytest.mark.parametrize("field", REGISTRATION_FIELDS)
def test_every_registration_field(registration_data, field):
    value = LONG_EMAIL if field == "email" else LONG
    posted(Client(), reverse("accounts:register"), {**registration_data, field: value})


@pytest.mark.parametrize(
    "field",
    ["last_name", "first_name", "patronymic", "position_title", "organisation"],
)
def test_every_profile_field(registration_data, field):
    client = Client()
    client.force_login(factories.make_user())
    data = {**registration_data, field: LONG}
    posted(client, reverse("accounts:profile"), data)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("accounts:password_change", {"old_password": LONG, "new_password1": LONG,
                                      "new_password2": LONG}),
        ("accounts:delete", {"password": LONG}),
    ],
)  # fmt: skip
def test_signed_in_account_forms(url_name, data):
    client = Client()
    client.force_login(factories.make_user())
    posted(client, reverse(url_name), data)


@pytest.mark.parametrize("field", ["last_name", "first_name", "patronymic"])
def test_every_name_confirmation_field(field):
    learner = factories.make_user()
    enrolment = complete_course(learner)
    client = Client()
    client.force_login(learner)
    data = {"last_name": "Коваль", "first_name": "Олена", "confirm": "on"}
    url = reverse("certificates:confirm_name", args=[enrolment.course_id])
    posted(client, url, {**data, field: LONG})


def test_the_verification_form():
    response = Client().get(
        reverse("certificates:verify_form"), {"number": LONG, "code": LONG}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
