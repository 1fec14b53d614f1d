"""People's names and accounts (lms.names, lms.models.User) and reference data."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.models import Oblast, PositionCategory, User
from lms.names import APOSTROPHE, normalise_name, validate_name
from tests.factories import make_user

MODIFIER_APOSTROPHE = "\u02bc"


# Names ---------------------------------------------------------------------


def test_the_stored_apostrophe_is_the_modifier_letter_apostrophe():
    assert APOSTROPHE == MODIFIER_APOSTROPHE


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_normalise_name_turns_every_apostrophe_into_the_modifier_letter(apostrophe):
    assert normalise_name(f"Мар{apostrophe}яна") == "Мар\u02bcяна"


def test_normalise_name_replaces_every_apostrophe_in_the_name():
    assert normalise_name("Д’Артаньян-Мар'яна") == "Д\u02bcАртаньян-Мар\u02bcяна"


def test_normalise_name_collapses_and_trims_spaces():
    assert normalise_name("  Анна \t  Марія\n") == "Анна Марія"


def test_normalise_name_composes_letters_written_with_combining_marks():
    decomposed = "Андрі" + "и\u0306"  # и + combining breve, as some keyboards send
    assert normalise_name(decomposed) == "Андрій"
    assert unicodedata.is_normalized("NFC", normalise_name(decomposed))


@pytest.mark.parametrize("value", [None, "", "   "])
def test_normalise_name_turns_nothing_into_an_empty_string(value):
    assert normalise_name(value) == ""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Ольга\x00", "control"),
        ("Оль\x07га", "control"),
        ("Оль\x1bга", "control"),
        ("Ольга\x7f", "control"),
        ("Оль\ud800га", "control"),  # a lone surrogate
        ("Шев\u202eокнечк", "invisible"),  # right-to-left override
        ("Оль\u200bга", "invisible"),  # zero-width space
        ("Оль\u200dга", "invisible"),  # zero-width joiner
        ("\ufeffОльга", "invisible"),  # byte order mark
        ("Ольга\u2066", "invisible"),  # left-to-right isolate
        ("Оль\u00adга", "control"),  # soft hyphen, a format character
        ("12345", "not_allowed"),
        ("-'-", "no_letters"),
    ],
)
def test_validate_name_rejects_hidden_and_control_characters(name, code):
    with pytest.raises(ValidationError) as raised:
        validate_name(name)
    assert raised.value.code == code


@pytest.mark.parametrize(
    "name",
    [
        "Мар'яна",
        "Д’Артаньян",
        "Марʼяна",
        "Анна-Марія",
        "Ґалаґан",
        "Їжакевич",
        "Олена Петрівна",
        "Smith",
    ],
)
def test_validate_name_accepts_ukrainian_names_with_apostrophes(name):
    validate_name(name)
    validate_name(normalise_name(name))


@pytest.mark.django_db
def test_user_form_validation_rejects_a_surname_with_a_direction_override():
    user = User(email="olena@example.org", last_name="Шев\u202eокнечк")
    with pytest.raises(ValidationError) as raised:
        user.full_clean()
    assert "last_name" in raised.value.message_dict


# Users ---------------------------------------------------------------------


@pytest.mark.django_db
def test_user_email_is_stored_in_lower_case():
    user = make_user(email="  Olena.Koval@Example.ORG ")
    user.refresh_from_db()
    assert user.email == "olena.koval@example.org"


@pytest.mark.django_db
def test_user_email_is_lower_cased_on_every_save():
    user = make_user()
    user.email = "Mixed.Case@Example.org"
    user.save()
    user.refresh_from_db()
    assert user.email == "mixed.case@example.org"


@pytest.mark.django_db
def test_login_lookup_by_email_ignores_case():
    user = make_user(email="olena@example.org")
    assert User.objects.get_by_natural_key("OLENA@Example.org") == user


@pytest.mark.django_db
def test_second_user_with_the_same_email_in_another_case_is_rejected():
    make_user(email="olena@example.org")
    # bulk_create skips save(), so only the database's Lower(email) constraint
    # stands between this row and a duplicate account.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="OLENA@Example.org", password="!")])
    assert User.objects.filter(email__iexact="olena@example.org").count() == 1


@pytest.mark.django_db
def test_user_without_email_cannot_be_created():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user(email="  ", password="x")


@pytest.mark.django_db
def test_names_are_normalised_when_a_user_is_saved():
    user = make_user(last_name=" Д’Артаньян ", first_name="Мар'яна", patronymic="")
    user.refresh_from_db()
    assert user.last_name == "Д\u02bcАртаньян"
    assert user.first_name == "Мар\u02bcяна"


def test_full_name_is_surname_given_name_patronymic():
    user = User(last_name="Коваленко", first_name="Мар'яна", patronymic="Іванівна")
    assert user.get_full_name() == "Коваленко Мар'яна Іванівна"


def test_full_name_leaves_out_a_missing_patronymic_without_extra_spaces():
    user = User(last_name="Коваленко", first_name="Олена", patronymic="")
    assert user.get_full_name() == "Коваленко Олена"


def test_user_without_a_name_is_shown_by_email():
    assert str(User(email="olena@example.org")) == "olena@example.org"


# Reference data ------------------------------------------------------------


@pytest.mark.django_db
def test_reference_data_has_the_27_first_level_units():
    assert Oblast.objects.count() == 27
    names = set(Oblast.objects.values_list("name", flat=True))
    assert {"Автономна Республіка Крим", "м. Київ", "м. Севастополь"} <= names
    assert all(
        code.startswith("UA") and len(code) == 19
        for code in Oblast.objects.values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_reference_data_has_civil_service_and_local_government_categories():
    civil = PositionCategory.objects.filter(service=PositionCategory.Service.CIVIL)
    local = PositionCategory.objects.filter(service=PositionCategory.Service.LOCAL)
    # Cyrillic А, Б, В, as in the Law «Про державну службу».
    assert list(civil.values_list("code", flat=True)) == ["А", "Б", "В"]
    assert list(local.values_list("code", flat=True)) == [
        f"ОМС-{n}" for n in range(1, 8)
    ]
