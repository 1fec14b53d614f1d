"""Account e-mails: no flood, no hint of who is registered, links on the public
address whatever host the request named."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lms.models import ConsentRecord, User
from tests import factories

RESET_URL = reverse("accounts:password_reset")
REGISTER_URL = reverse("accounts:register")
PUBLIC = "https://learn.example.org"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


# Password reset ----------------------------------------------------------------


def test_ten_reset_requests_for_one_address_send_one_email(learner):
    client = Client()
    responses = [client.post(RESET_URL, {"email": learner.email}) for _ in range(10)]
    assert {response.status_code for response in responses} == {302}
    assert [message.to for message in mail.outbox] == [[learner.email]]


def test_a_known_and_an_unknown_address_get_the_same_answer(learner):
    client = Client()
    known = client.post(RESET_URL, {"email": learner.email}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.org"}, follow=True)
    again = client.post(RESET_URL, {"email": learner.email}, follow=True)
    assert known.content == unknown.content == again.content


def test_reset_requests_are_limited_per_client_with_a_ukrainian_message(
    learner, settings
):
    settings.PASSWORD_RESETS_PER_CLIENT = "3/h"
    client = Client()
    for number in range(3):
        client.post(RESET_URL, {"email": f"person{number}@example.org"})
    response = client.post(RESET_URL, {"email": learner.email})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Забагато запитів" in response.content.decode()
    assert 'value="' + learner.email + '"' in response.content.decode()  # kept
    assert mail.outbox == []


def test_the_reset_link_is_on_the_public_address_not_the_requests_host(learner):
    Client(HTTP_HOST="attacker.example").post(RESET_URL, {"email": learner.email})
    (message,) = mail.outbox
    (link,) = links_in(message)
    assert link.startswith(PUBLIC + "/account/password/reset/")


# Registration ------------------------------------------------------------------


def test_registering_a_known_address_answers_as_for_a_new_one(registration_data):
    owner = factories.make_user(email="olena.koval@example.org")
    fresh = Client().post(
        REGISTER_URL, {**registration_data, "email": "new.person@example.org"}
    )
    known = Client().post(REGISTER_URL, registration_data)
    assert known.status_code == fresh.status_code == 302
    assert known["Location"] == fresh["Location"] == reverse("accounts:register_done")
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    assert not ConsentRecord.objects.filter(user=owner).exists()
    owner.refresh_from_db()
    assert owner.check_password(factories.DEFAULT_PASSWORD)  # nothing changed


def test_the_owner_is_told_by_email_once_in_five_minutes(registration_data):
    owner = factories.make_user(email="olena.koval@example.org")
    for _ in range(3):
        Client().post(REGISTER_URL, registration_data)
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "зареєструватися" in message.body
    assert "Добрий день!" in message.body
    assert {link.split("/account/")[0] for link in links_in(message)} == {PUBLIC}


def test_an_unconfirmed_owner_gets_a_new_confirmation_link(registration_data):
    factories.make_user(email="olena.koval@example.org", is_active=False)
    Client().post(REGISTER_URL, registration_data)
    (message,) = mail.outbox
    assert "/account/confirm/" in links_in(message)[0]


def test_registration_errors_never_name_the_address_as_taken(registration_data):
    factories.make_user(email="olena.koval@example.org")
    response = Client().post(
        REGISTER_URL, {**registration_data, "password2": "something-else-2026"}
    )
    assert response.status_code == 200
    assert "email" not in response.context["form"].errors


def test_the_confirmation_link_is_on_the_public_address(registration_data):
    Client(HTTP_HOST="attacker.example").post(REGISTER_URL, registration_data)
    (message,) = mail.outbox
    (link,) = links_in(message)
    assert link.startswith(PUBLIC + "/account/confirm/")
