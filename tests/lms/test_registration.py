"""Registration, e-mail confirmation, sign-in, sign-out, password reset, profile."""

import re
import threading
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.accounts import services as account_services
from lms.accounts.tokens import make_confirmation_token
from lms.models import ConsentRecord, User
from tests import factories
from tests.lms.conftest import STRONG_PASSWORD

REGISTER_URL = reverse("accounts:register")
LOGIN_URL = reverse("accounts:login")
LINK_PATTERN = re.compile(r"https?://\S+")


def _link_in(message) -> str:
    """The path of the only link in an e-mail body."""
    (link,) = LINK_PATTERN.findall(message.body)
    return re.sub(r"^https?://[^/]+", "", link)


def _errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return [error.code for error in form.errors.as_data().get(field, [])]


def _register(client, data):
    return client.post(REGISTER_URL, data)


# Happy path -----------------------------------------------------------------


def test_registration_creates_an_inactive_account_with_its_consent(
    client, registration_data
):
    before = timezone.now()

    response = _register(client, registration_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    user = User.objects.get()
    assert user.email == "olena.koval@example.org"
    assert (user.last_name, user.first_name, user.patronymic) == (
        "Коваль",
        "Олена",
        "Петрівна",
    )
    assert user.is_active is False
    assert user.email_confirmed_at is None
    assert user.check_password(STRONG_PASSWORD)
    consent = ConsentRecord.objects.get(user=user)
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION == "1.0"
    assert consent.purpose == ConsentRecord.Purpose.LEARNING
    assert before <= consent.given_at <= timezone.now()


def test_registration_mails_a_ukrainian_confirmation_link_to_the_new_address(
    client, registration_data
):
    _register(client, registration_data)

    (message,) = mail.outbox
    assert message.to == ["olena.koval@example.org"]
    assert "\n" not in message.subject
    assert "Олена" in message.body
    assert _link_in(message).startswith("/account/confirm/")


def test_opening_the_confirmation_link_changes_nothing_until_the_button_is_pressed(
    client, registration_data
):
    _register(client, registration_data)
    link = _link_in(mail.outbox[0])

    page = client.get(link)

    assert page.status_code == 200
    assert page.context["state"] == "ready"
    assert b'method="post"' in page.content
    assert User.objects.get().is_active is False

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    user = User.objects.get()
    assert user.is_active is True
    assert user.email_confirmed_at is not None
    assert 'class="messages"' in client.get(LOGIN_URL).content.decode()


def test_a_confirmed_learner_signs_in_with_the_registered_password(
    client, registration_data
):
    _register(client, registration_data)
    client.post(_link_in(mail.outbox[0]))

    response = client.post(
        LOGIN_URL,
        {"username": registration_data["email"], "password": STRONG_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL == "/learning/"
    assert client.session[SESSION_KEY] == str(User.objects.get().pk)


def test_the_registration_page_has_labelled_inputs_with_autocomplete_and_no_inline_code(
    client, places
):
    response = client.get(REGISTER_URL)

    html = response.content.decode()
    assert response.status_code == 200
    for field in (
        "email",
        "password1",
        "password2",
        "last_name",
        "first_name",
        "patronymic",
        "position_title",
        "position_category",
        "organisation",
        "oblast",
        "hromada",
        "consent",
    ):
        assert f'<label for="id_{field}"' in html, field
    for token in (
        "email",
        "new-password",
        "family-name",
        "given-name",
        "additional-name",
        "organization",
        "organization-title",
    ):
        assert f'autocomplete="{token}"' in html, token
    assert re.search(
        rf'id="id_consent_helptext">[^<]*<a href="{settings.PRIVACY_NOTICE_URL}"', html
    )
    # One script, served by the site; no inline code.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/lms/js/hromada_picker.js" defer>'
    ]
    assert " style=" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_errors_are_listed_at_the_top_and_tied_to_their_inputs(
    client, registration_data
):
    del registration_data["consent"]

    html = _register(client, registration_data).content.decode()

    assert 'class="error-summary"' in html
    assert 'href="#id_consent"' in html
    assert 'id="id_consent_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_consent_error', html)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_consent"', html)


# Bad input ------------------------------------------------------------------

BAD_INPUT = [
    ("consent missing", {"consent": ""}, "consent", "required"),
    ("weak password", {"password1": "1234567890", "password2": "1234567890"},
     "password1", "password_entirely_numeric"),
    ("short password", {"password1": "Kyiv-12", "password2": "Kyiv-12"},
     "password1", "password_too_short"),
    ("passwords differ", {"password2": STRONG_PASSWORD + "x"},
     "password2", "password_mismatch"),
    ("surname missing", {"last_name": ""}, "last_name", "required"),
    ("organisation missing", {"organisation": "  "}, "organisation", "required"),
    ("oblast missing", {"oblast": ""}, "oblast", "required"),
    ("e-mail malformed", {"email": "olena@"}, "email", "invalid"),
    ("NUL in e-mail", {"email": "olena\x00@example.org"},
     "email", "null_characters_not_allowed"),
    ("NUL in password", {"password1": "Dnipro\x00Kreminna-2019"},
     "password1", "null_characters_not_allowed"),
    ("NUL in surname", {"last_name": "Ков\x00аль"},
     "last_name", "null_characters_not_allowed"),
    ("NUL in organisation", {"organisation": "Рада\x00"},
     "organisation", "null_characters_not_allowed"),
    ("control character in given name", {"first_name": "Оле\x07на"},
     "first_name", "control"),
    ("control character in position", {"position_title": "Спеціаліст\x1b[31m"},
     "position_title", "control"),
    ("RTL override in surname", {"last_name": "\u202eьлавоК"},
     "last_name", "invisible"),
    ("RTL override in organisation", {"organisation": "Рада \u202eанйеіськ"},
     "organisation", "control"),
    ("zero-width space in given name", {"first_name": "Оле\u200bна"},
     "first_name", "invisible"),
    ("zero-width joiner in patronymic", {"patronymic": "Пет\u200dрівна"},
     "patronymic", "invisible"),
    ("name of digits", {"first_name": "12345"}, "first_name", "not_allowed"),
    ("name without letters", {"first_name": "- ' -"}, "first_name", "no_letters"),
    ("10,000-character surname", {"last_name": "К" * 10_000},
     "last_name", "max_length"),
    ("10,000-character organisation", {"organisation": "Р" * 10_000},
     "organisation", "max_length"),
    ("hromada from another oblast", {"hromada": "other"}, "hromada", "wrong_oblast"),
    ("unknown hromada id", {"hromada": "99999999999999999999"},
     "hromada", "invalid_choice"),
    ("negative oblast id", {"oblast": "-1"}, "oblast", "invalid_choice"),
    ("category id that is not a number", {"position_category": "А"},
     "position_category", "invalid_choice"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_shows_a_message_and_keeps_what_was_typed(
    client, registration_data, places, changes, field, code
):
    data = {**registration_data, **changes}
    if data["hromada"] == "other":
        data["hromada"] = str(places.other_hromada.pk)

    response = _register(client, data)

    assert response.status_code == 200
    assert code in _errors(response, field)
    html = response.content.decode()
    assert 'class="error-summary"' in html
    kept = "organisation" if field != "organisation" else "position_title"
    assert f'value="{registration_data[kept]}"' in html
    if field != "email":
        assert f'value="{registration_data["email"]}"' in html
    assert STRONG_PASSWORD not in html
    assert not User.objects.exists()
    assert not mail.outbox


def test_bytes_that_are_not_utf8_in_a_name_are_refused_not_stored(
    client, registration_data
):
    data = {**registration_data, "last_name": "Ков-placeholder"}
    body = urlencode(data).encode().replace(b"placeholder", b"%ED%A0%80%C3")

    response = client.generic(
        "POST", REGISTER_URL, body, "application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "unreadable" in _errors(response, "last_name")
    assert not User.objects.exists()


def test_an_address_registered_in_another_letter_case_is_answered_like_a_new_one(
    client, registration_data
):
    owner = factories.make_user(email="olena.koval@example.org")
    data = {**registration_data, "email": "OLENA.Koval@EXAMPLE.org"}

    response = _register(client, data)

    # Nothing tells the visitor the address is taken; its owner hears of it.
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    assert User.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == [owner.email]


def test_an_insert_that_loses_the_race_creates_nothing_and_tells_the_owner(
    client, registration_data, monkeypatch
):
    """No such address when the service looked, then another registration
    committed before this one's insert."""
    owner = factories.make_user(email="olena.koval@example.org")
    lookups = iter([None])
    real = account_services.account_with
    monkeypatch.setattr(
        account_services,
        "account_with",
        lambda address: next(lookups, None) or real(address),
    )

    response = _register(client, registration_data)

    assert response.status_code == 302
    assert User.objects.count() == 1
    assert not ConsentRecord.objects.exists()
    (message,) = mail.outbox
    assert message.to == [owner.email]


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL for concurrent transactions",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_with_one_address_make_one_account(
    registration_data,
):
    barrier = threading.Barrier(2)
    statuses = []

    def register(email):
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                REGISTER_URL, {**registration_data, "email": email}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(email,))
        for email in ("olena.koval@example.org", "Olena.Koval@example.org")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Both are answered as for a new address; the database kept one account.
    assert statuses == [302, 302]
    assert User.objects.count() == 1
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_each_ukrainian_apostrophe_is_stored_as_the_modifier_letter(
    client, registration_data, apostrophe
):
    data = {
        **registration_data,
        "last_name": f"Зав{apostrophe}ялова",
        "first_name": f"Мар{apostrophe}яна",
        "patronymic": f"В{apostrophe}ячеславівна",
    }

    response = _register(client, data)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.last_name == "Зав\u02bcялова"
    assert user.first_name == "Мар\u02bcяна"
    assert user.patronymic == "В\u02bcячеславівна"


def test_patronymic_and_hromada_may_be_left_empty(client, registration_data):
    data = {**registration_data, "patronymic": "", "hromada": ""}

    response = _register(client, data)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.patronymic == ""
    assert user.hromada is None


def test_a_signed_in_person_is_sent_from_registration_to_the_profile(client, learner):
    client.force_login(learner)

    response = client.get(REGISTER_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


def test_registration_without_a_csrf_token_is_refused(registration_data):
    response = Client(enforce_csrf_checks=True).post(REGISTER_URL, registration_data)

    assert response.status_code == 403
    assert not User.objects.exists()


# Confirmation links ---------------------------------------------------------


@pytest.fixture
def unconfirmed(db):
    return factories.make_user(email="unconfirmed@example.org", is_active=False)


def _confirm_url(user) -> str:
    return reverse("accounts:confirm_email", args=[make_confirmation_token(user)])


def test_a_confirmation_link_works_only_once(client, unconfirmed):
    url = _confirm_url(unconfirmed)
    client.post(url)
    unconfirmed.refresh_from_db()
    confirmed_at = unconfirmed.email_confirmed_at

    second = client.post(url)

    assert second.status_code == 200
    assert second.context["state"] == "used"
    unconfirmed.refresh_from_db()
    assert unconfirmed.email_confirmed_at == confirmed_at


def test_a_confirmation_link_older_than_three_days_is_refused(client, unconfirmed):
    url = _confirm_url(unconfirmed)

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        response = client.post(url)

    assert response.context["state"] == "invalid"
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active is False


def test_a_confirmation_link_stops_working_when_the_address_changes(
    client, unconfirmed
):
    url = _confirm_url(unconfirmed)
    unconfirmed.email = "someone.else@example.org"
    unconfirmed.save()

    response = client.post(url)

    assert response.context["state"] == "invalid"
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active is False


@pytest.mark.parametrize("token", ["nonsense", "e30:1tXYZ:abc", "A" * 5000])
def test_a_forged_confirmation_link_is_refused_without_an_error(
    client, unconfirmed, token
):
    response = client.post(reverse("accounts:confirm_email", args=[token]))

    assert response.status_code == 200
    assert response.context["state"] == "invalid"
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active is False


def test_a_deactivated_confirmed_account_is_not_reopened_by_an_old_link(client, db):
    user = factories.make_user(is_active=False, email_confirmed_at=timezone.now())

    client.post(_confirm_url(user))

    user.refresh_from_db()
    assert user.is_active is False


def test_sending_the_link_again_answers_the_same_for_known_and_unknown_addresses(
    client, unconfirmed
):
    url = reverse("accounts:resend_confirmation")

    known = client.post(url, {"email": "UNCONFIRMED@example.org"})
    unknown = client.post(url, {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert known.context["sent"] is unknown.context["sent"] is True
    assert known.content == unknown.content
    (message,) = mail.outbox
    assert message.to == ["unconfirmed@example.org"]
    client.post(_link_in(message))
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active is True


def test_the_link_is_not_resent_to_confirmed_accounts_or_twice_in_five_minutes(
    client, unconfirmed, learner
):
    url = reverse("accounts:resend_confirmation")

    client.post(url, {"email": learner.email})
    client.post(url, {"email": unconfirmed.email})
    client.post(url, {"email": unconfirmed.email})

    assert [message.to for message in mail.outbox] == [[unconfirmed.email]]


def test_the_sign_in_page_offers_to_send_the_link_again(client):
    html = client.get(LOGIN_URL).content.decode()

    assert f'action="{reverse("accounts:resend_confirmation")}"' in html


# Sign-in and sign-out -------------------------------------------------------


def test_sign_in_accepts_the_address_in_any_letter_case(client, learner):
    response = client.post(
        LOGIN_URL,
        {"username": learner.email.upper(), "password": factories.DEFAULT_PASSWORD},
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(learner.pk)


def test_an_unconfirmed_account_is_told_to_confirm_its_address(client, unconfirmed):
    response = client.post(
        LOGIN_URL,
        {"username": unconfirmed.email, "password": factories.DEFAULT_PASSWORD},
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "unconfirmed"
    ]
    assert SESSION_KEY not in client.session


def test_a_wrong_password_on_an_unconfirmed_account_gets_the_plain_message(
    client, unconfirmed
):
    response = client.post(
        LOGIN_URL, {"username": unconfirmed.email, "password": "wrong-password-1"}
    )

    codes = [e.code for e in response.context["form"].non_field_errors().as_data()]
    assert codes == ["invalid_login"]


@pytest.mark.parametrize(
    ("url_name", "data", "field"),
    [
        ("accounts:login", {"username": "a\x00@example.org", "password": "x"},
         "username"),
        ("accounts:login", {"username": "a@example.org", "password": "pa\x00ss"},
         "password"),
        ("accounts:resend_confirmation", {"email": "a\x00@example.org"}, "email"),
        ("accounts:password_reset", {"email": "a\x00@example.org"}, "email"),
    ],
)  # fmt: skip
def test_nul_bytes_in_the_other_account_forms_get_a_message_not_an_error(
    client, db, url_name, data, field
):
    response = client.post(reverse(url_name), data)

    assert response.status_code == 200
    form = response.context.get("form") or response.context["resend_form"]
    assert form.has_error(field, "null_characters_not_allowed")


def test_the_sign_in_form_is_labelled_for_an_email_address(client):
    html = client.get(LOGIN_URL).content.decode()

    assert '<label for="id_username"' in html
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html


def test_sign_out_by_get_does_not_sign_out(client, learner):
    client.force_login(learner)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(learner.pk)


def test_sign_out_by_post_ends_the_session(client, learner):
    client.force_login(learner)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


# Passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [REGISTER_URL, reverse("accounts:password_change")],
    ids=["register", "change"],
)
def test_the_password_hints_read_as_correct_ukrainian(client, learner, url):
    """Django's own catalogue has «Пароль не може складається лише із цифр»."""
    if url != REGISTER_URL:
        client.force_login(learner)

    html = client.get(url).content.decode()

    assert "<li>Пароль не може складатися лише з цифр.</li>" in html
    assert "складається" not in html


def test_a_forgotten_password_is_reset_by_an_emailed_link(client, learner):
    new_password = "Sloviansk-Lyman-2025"

    response = client.post(
        reverse("accounts:password_reset"), {"email": learner.email.upper()}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == [learner.email]
    form_page = client.get(_link_in(message), follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert done["Location"] == reverse("accounts:password_reset_complete")
    learner.refresh_from_db()
    assert learner.check_password(new_password)
    assert not learner.check_password(factories.DEFAULT_PASSWORD)
    signed_in = client.post(
        LOGIN_URL, {"username": learner.email, "password": new_password}
    )
    assert signed_in.status_code == 302
    reused = client.get(_link_in(message), follow=True)
    assert reused.context["validlink"] is False


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not mail.outbox


def test_a_signed_in_learner_changes_the_password_with_the_old_one(client, learner):
    client.force_login(learner)
    new_password = "Sloviansk-Lyman-2025"

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.DEFAULT_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    learner.refresh_from_db()
    assert learner.check_password(new_password)
    assert client.session[SESSION_KEY] == str(learner.pk)


# Profile --------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_from_the_profile_to_sign_in(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_the_profile_is_saved_with_the_same_normalisation(
    client, learner, registration_data
):
    client.force_login(learner)
    data = {**registration_data, "first_name": "  Мар’яна  ", "hromada": ""}

    response = client.post(reverse("accounts:profile"), data)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.first_name == "Мар\u02bcяна"
    assert learner.organisation == registration_data["organisation"]
    assert str(learner.oblast_id) == registration_data["oblast"]
    assert learner.hromada is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"last_name": "\u202eКоваль"}, "last_name", "invisible"),
        ({"last_name": "К" * 10_000}, "last_name", "max_length"),
        ({"organisation": "Рада\x00"}, "organisation", "null_characters_not_allowed"),
        ({"hromada": "other"}, "hromada", "wrong_oblast"),
    ],
)
def test_bad_profile_input_keeps_the_typed_values_and_saves_nothing(
    client, learner, registration_data, places, changes, field, code
):
    client.force_login(learner)
    data = {**registration_data, **changes}
    if data["hromada"] == "other":
        data["hromada"] = str(places.other_hromada.pk)

    response = client.post(reverse("accounts:profile"), data)

    assert response.status_code == 200
    assert code in _errors(response, field)
    assert 'value="Головна спеціалістка відділу"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.last_name == "Коваленко"
    assert learner.organisation == ""


# Back to the course ------------------------------------------------------------


def test_registering_from_a_course_page_returns_there_at_the_first_sign_in(
    client, registration_data
):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    course_page = client.get(tree.course.url).content.decode()
    # The course page's «Зареєструватися» carries the page, as does the sign-in
    # page's, for someone who went to sign in first.
    register_link = f"{REGISTER_URL}?next={tree.course.url}"
    assert f'href="{register_link}"' in course_page
    login_page = client.get(LOGIN_URL, {"next": tree.course.url}).content.decode()
    assert f'href="{register_link}"' in login_page

    registered = client.post(register_link, registration_data)
    assert registered["Location"] == reverse("accounts:register_done")
    confirmed = client.post(_link_in(mail.outbox[0]))
    assert (
        confirmed["Location"] == f"{LOGIN_URL}?{urlencode({'next': tree.course.url})}"
    )

    signed_in = client.post(
        confirmed["Location"],
        {"username": registration_data["email"], "password": STRONG_PASSWORD},
    )

    assert signed_in.status_code == 302
    assert signed_in["Location"] == tree.course.url
    enrol = client.get(tree.course.url).content.decode()
    assert reverse("courses:enrol", args=[tree.course.pk]) in enrol


def test_the_first_sign_in_returns_to_the_course_even_without_next(
    client, registration_data
):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    client.post(f"{REGISTER_URL}?next={tree.course.url}", registration_data)
    client.post(_link_in(mail.outbox[0]))
    credentials = {"username": registration_data["email"], "password": STRONG_PASSWORD}

    first = client.post(LOGIN_URL, credentials)
    assert first["Location"] == tree.course.url

    # Only the first: later sign-ins go where they usually do.
    client.post(reverse("accounts:logout"))
    second = client.post(LOGIN_URL, credentials)
    assert second["Location"] == settings.LOGIN_REDIRECT_URL


def test_confirming_in_another_browser_still_returns_to_the_course(
    client, registration_data
):
    """The e-mail is often opened on another device: the link carries the page."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    client.post(f"{REGISTER_URL}?next={tree.course.url}", registration_data)
    link = _link_in(mail.outbox[0])
    assert urlencode({"next": tree.course.url}) in link

    other_browser = Client()
    confirmed = other_browser.post(link)
    assert (
        confirmed["Location"] == f"{LOGIN_URL}?{urlencode({'next': tree.course.url})}"
    )
    signed_in = other_browser.post(
        LOGIN_URL,
        {"username": registration_data["email"], "password": STRONG_PASSWORD},
    )
    assert signed_in["Location"] == tree.course.url


def test_a_forged_next_in_the_confirmation_link_is_not_followed(
    client, registration_data
):
    client.post(REGISTER_URL, registration_data)
    link = _link_in(mail.outbox[0])
    assert "next=" not in link
    confirmed = Client().post(link + "?next=https://evil.example.org/")
    assert confirmed["Location"] == LOGIN_URL


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.org/courses/",
        "//evil.example.org/",
        "/\\evil.example.org/",
        "http:/evil.example.org",
        "javascript:alert(1)",
        "courses/relative-without-slash/",
    ],
)
def test_an_address_elsewhere_is_never_followed_after_registering(
    client, registration_data, next_url
):
    client.post(f"{REGISTER_URL}?{urlencode({'next': next_url})}", registration_data)
    confirmed = client.post(_link_in(mail.outbox[0]))
    assert confirmed["Location"] == LOGIN_URL

    signed_in = client.post(
        LOGIN_URL,
        {"username": registration_data["email"], "password": STRONG_PASSWORD},
    )
    assert signed_in["Location"] == settings.LOGIN_REDIRECT_URL
