"""The "My data" page, the JSON export and account deletion (anonymisation)."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from lms import data_export
from lms.accounts import services
from lms.models import ConsentRecord, User
from tests import factories

DATA_URL = reverse("accounts:data")
JSON_URL = reverse("accounts:data_json")
DELETE_URL = reverse("accounts:delete")


@pytest.fixture
def notes_section():
    """A section another app might register: notes kept per learner."""
    notes = {}

    def notes_for(user):
        return [{"note": text} for text in notes.get(user.pk, [])]

    data_export.register_section(
        "test_notes", "Notes", notes_for, field_labels={"note": "Note text"}
    )
    yield notes
    data_export.unregister_section("test_notes")


@pytest.fixture
def person(db, places):
    user = factories.make_user(
        email="olena@example.org",
        last_name="Коваль",
        first_name="Олена",
        organisation="Виконавчий комітет",
        position_title="Спеціалістка",
        position_category=places.category,
        oblast=places.oblast,
        hromada=places.hromada,
    )
    ConsentRecord.objects.create(
        user=user, purpose=ConsentRecord.Purpose.LEARNING, notice_version="1.0"
    )
    return user


@pytest.fixture
def other_person(db):
    user = factories.make_user(
        email="taras@example.org", last_name="Шевчук", first_name="Тарас"
    )
    # A version no timestamp of the export can contain by chance ("0.9" did:
    # an export made at hh:mm:50.9… held it).
    ConsentRecord.objects.create(
        user=user, purpose=ConsentRecord.Purpose.LEARNING, notice_version="taras-notice"
    )
    return user


def _export(client) -> dict:
    return json.loads(client.get(JSON_URL).content)


# Access ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [DATA_URL, JSON_URL, DELETE_URL])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")


# Export ---------------------------------------------------------------------


def test_the_download_is_a_json_attachment_that_is_not_cached(client, person):
    client.force_login(person)

    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]


def test_the_export_holds_the_profile_the_consents_and_registered_sections(
    client, person, places, notes_section
):
    notes_section[person.pk] = ["Хоче взяти участь у пілоті"]
    client.force_login(person)

    document = _export(client)

    sections = document["sections"]
    assert sections["profile"]["email"] == "olena@example.org"
    assert sections["profile"]["surname"] == "Коваль"
    assert sections["profile"]["organisation"] == "Виконавчий комітет"
    assert sections["profile"]["hromada"] == places.hromada.name
    (consent,) = sections["consents"]
    assert consent["notice_version"] == "1.0"
    assert consent["given_at"]
    assert sections["test_notes"] == [{"note": "Хоче взяти участь у пілоті"}]
    assert document["exported_at"]


def test_one_persons_export_never_holds_anothers_data(
    client, person, other_person, notes_section
):
    notes_section[other_person.pk] = ["Таємна нотатка Тараса"]
    client.force_login(person)

    exported = client.get(JSON_URL).content.decode()
    page = client.get(DATA_URL).content.decode()

    for text in (
        "taras@example.org",
        "Шевчук",
        "Тарас",
        "Таємна нотатка",
        "taras-notice",
    ):
        assert text not in exported
        assert text not in page


def test_the_data_page_shows_every_section_with_its_labels(
    client, person, notes_section
):
    notes_section[person.pk] = ["Перша нотатка"]
    client.force_login(person)

    response = client.get(DATA_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "olena@example.org" in html
    assert "Виконавчий комітет" in html
    assert "<dt>Note text</dt><dd>Перша нотатка</dd>" in html
    assert f'href="{JSON_URL}"' in html


def test_the_data_page_escapes_what_the_person_typed(client, person):
    person.organisation = '<script>alert("x")</script>'
    person.save()
    client.force_login(person)

    html = client.get(DATA_URL).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_an_empty_registered_section_is_shown_as_empty(client, person, notes_section):
    client.force_login(person)

    response = client.get(DATA_URL)

    (notes,) = [s for s in response.context["sections"] if s.key == "test_notes"]
    assert notes.is_empty


# Deletion -------------------------------------------------------------------


def test_the_deletion_page_explains_and_changes_nothing(client, person):
    client.force_login(person)

    response = client.get(DELETE_URL)

    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None
    assert client.session[SESSION_KEY] == str(person.pk)


def test_deletion_with_a_wrong_password_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(DELETE_URL, {"password": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].has_error("password", "password_incorrect")
    person.refresh_from_db()
    assert person.email == "olena@example.org"
    assert person.anonymised_at is None


def test_deletion_without_a_csrf_token_is_refused(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post(DELETE_URL, {"password": factories.DEFAULT_PASSWORD})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_deletion_erases_personal_fields_and_keeps_consents(client, person):
    client.force_login(person)

    response = client.post(DELETE_URL, {"password": factories.DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:deleted")
    person.refresh_from_db()
    assert person.email.startswith("deleted-")
    assert person.email.endswith("@deleted.invalid")
    assert (person.last_name, person.first_name, person.patronymic) == ("", "", "")
    assert (person.position_title, person.organisation) == ("", "")
    assert person.position_category is None
    assert person.oblast is None
    assert person.hromada is None
    assert not person.has_usable_password()
    assert person.is_active is False
    assert person.anonymised_at is not None
    assert ConsentRecord.objects.filter(user=person).count() == 1
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:deleted")).status_code == 200


def test_deletion_ends_the_persons_other_sessions(client, person):
    other_device = Client()
    other_device.force_login(person)
    client.force_login(person)

    client.post(DELETE_URL, {"password": factories.DEFAULT_PASSWORD})

    response = other_device.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_a_deleted_person_cannot_sign_in_and_the_address_can_register_again(
    client, person, registration_data
):
    client.force_login(person)
    client.post(DELETE_URL, {"password": factories.DEFAULT_PASSWORD})

    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "olena@example.org", "password": factories.DEFAULT_PASSWORD},
    )
    registered = client.post(
        reverse("accounts:register"),
        {**registration_data, "email": "Olena@example.org"},
    )

    assert signed_in.status_code == 200
    assert SESSION_KEY not in client.session
    assert registered.status_code == 302
    assert User.objects.filter(email="olena@example.org").count() == 1
    assert User.objects.count() == 2


def test_placeholder_addresses_are_unique(person, other_person):
    services.anonymise_user(user=person)
    services.anonymise_user(user=other_person)

    person.refresh_from_db()
    other_person.refresh_from_db()
    assert person.email != other_person.email


def test_anonymise_hooks_run_with_the_user(person):
    seen = []
    data_export.register_anonymise_hook("test_hook", seen.append)
    try:
        services.anonymise_user(user=person)
    finally:
        data_export.unregister_anonymise_hook("test_hook")

    assert [user.pk for user in seen] == [person.pk]
    assert seen[0].anonymised_at is not None


def test_anonymisation_drops_the_privileges_of_staff(db):
    editor = factories.make_superuser()

    services.anonymise_user(user=editor)

    editor.refresh_from_db()
    assert (editor.is_staff, editor.is_superuser, editor.is_active) == (
        False,
        False,
        False,
    )
