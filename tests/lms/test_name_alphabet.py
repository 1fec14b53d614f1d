"""Which characters a name may hold (lms.names), and the account forms that refuse
the others: registration and the profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms import names
from lms.models import User
from lms.names import normalise_name, printable_characters, validate_name

REGISTER_URL = reverse("accounts:register")
PROFILE_URL = reverse("accounts:profile")
HANGUL_FILLERS = "\u3164\u3164"
FULL_WIDTH_ADMIN = "ＡＤＭＩＮ"


def refusal(name: str) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate_name(name)
    return raised.value


@pytest.fixture
def register_printable(monkeypatch):
    """names.register_printable_characters, with the project's registration
    restored after the test."""
    monkeypatch.setattr(names, "_printable_provider", names._printable_provider)
    monkeypatch.setattr(names, "_printable", names._printable)
    return names.register_printable_characters


# The rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (HANGUL_FILLERS, "invisible"),
        ("\u115f", "invisible"),  # Hangul choseong filler
        ("Анна\u034f", "invisible"),  # combining grapheme joiner
        ("Ан\ufe0fна", "invisible"),  # variation selector
        (FULL_WIDTH_ADMIN, "compatibility"),
        ("\ufb01lip", "compatibility"),  # the ligature ﬁ
        ("Анна\u00b2", "not_allowed"),  # superscript two
        ("王小明", "unprintable"),
        ("ნინო", "unprintable"),
        ("Олена 😀", "not_allowed"),
        ("Іван2", "not_allowed"),
        ("Іван.", "not_allowed"),
        ("Ан\u2010на", "not_allowed"),  # the hyphen U+2010: one stored hyphen
        ("Анна–Марія", "not_allowed"),  # an en dash
        ("\u0301Анна", "not_allowed"),  # a combining mark with no letter under it
        ("Анна -\u0301Марія", "not_allowed"),
        ("A\u0305\u0305", "not_allowed"),  # a second mark would cover the first
        ("Ан\u0308\u0301на", "not_allowed"),
        ("ʼʼ", "no_letters"),  # modifier letters do not make a name
    ],
)
def test_a_name_that_would_not_print_as_it_reads_is_refused(name, code):
    assert refusal(name).code == code


@pytest.mark.parametrize(
    "name",
    [
        "Коваленко",
        "Мар'яна",
        "Ґедзь-Їжакевич",
        "O'Connor",
        "Müller",
        "Łukasz",
        "Αλέξανδρος",
        "Zoe\u0308",  # ë typed as e and a combining diaeresis
        "Ѣ\u0308",  # a letter with a mark no precomposed character holds
        "Мар’яна Д’Артаньян",
    ],
)
def test_names_in_cyrillic_latin_and_greek_letters_are_accepted(name):
    validate_name(name)
    validate_name(normalise_name(name))


def test_an_accepted_apostrophe_is_stored_as_the_modifier_letter():
    validate_name("Мар'яна")

    assert normalise_name("Мар'яна") == "Мар\u02bcяна"


def test_the_message_names_each_refused_character_once_with_its_code_point():
    error = refusal("王王小")

    assert error.params == {"chars": "«王» (U+738B), «小» (U+5C0F)"}
    assert "«王» (U+738B), «小» (U+5C0F)" in error.messages[0]


def test_a_refused_combining_mark_is_shown_on_a_dotted_circle():
    assert refusal("\u0301Анна").params["chars"] == "«\u25cc\u0301» (U+0301)"


def test_a_long_list_of_refused_characters_is_cut_short():
    shown = refusal("Анна" + "0123456789!?").params["chars"]

    assert shown.count("U+") == 10
    assert shown.endswith(", …")


# The registry of printable characters ------------------------------------------


def test_in_the_project_the_certificate_fonts_say_what_is_printable():
    printable = printable_characters()

    assert printable is not None
    assert set("ҐґЄєІіЇїʼ-") <= printable
    assert not {"王", "\u3164", "Ａ", " "} & printable


def test_a_letter_the_registered_characters_lack_is_refused_as_unprintable(
    register_printable,
):
    register_printable(lambda: "Анна")

    validate_name("Анна")
    error = refusal("Анна Б")
    assert (error.code, error.params) == ("unprintable", {"chars": "«Б» (U+0411)"})


def test_the_provider_is_asked_once_and_only_when_a_name_is_checked(
    register_printable,
):
    calls = []

    def provider():
        calls.append(1)
        return "Анна"

    register_printable(provider)
    assert calls == []

    validate_name("Анна")
    validate_name("Ана")
    assert calls == [1]


def test_with_nothing_registered_only_the_character_classes_are_checked(
    register_printable,
):
    register_printable(None)

    validate_name("王小明")
    assert refusal("Іван2").code == "not_allowed"
    assert refusal(HANGUL_FILLERS).code == "invisible"
    assert refusal(FULL_WIDTH_ADMIN).code == "compatibility"


# Registration and the profile -------------------------------------------------


def form_error_codes(response, field: str) -> list[str]:
    form = response.context["form"]
    return [error.code for error in form.errors.as_data().get(field, [])]


@pytest.mark.parametrize(
    ("name", "code"),
    [(HANGUL_FILLERS, "invisible"), (FULL_WIDTH_ADMIN, "compatibility")],
)
def test_registration_refuses_an_unprintable_name_and_keeps_what_was_typed(
    client, registration_data, name, code
):
    data = {**registration_data, "last_name": name}

    response = client.post(REGISTER_URL, data)

    assert response.status_code == 200
    assert form_error_codes(response, "last_name") == [code]
    assert response.context["form"]["last_name"].value() == name
    html = response.content.decode()
    assert f'value="{name}"' in html
    assert f'value="{registration_data["organisation"]}"' in html
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("name", "code"),
    [(HANGUL_FILLERS, "invisible"), (FULL_WIDTH_ADMIN, "compatibility")],
)
def test_the_profile_refuses_an_unprintable_name_and_keeps_what_was_typed(
    client, learner, registration_data, name, code
):
    client.force_login(learner)
    data = {**registration_data, "first_name": name}

    response = client.post(PROFILE_URL, data)

    assert response.status_code == 200
    assert form_error_codes(response, "first_name") == [code]
    html = response.content.decode()
    assert f'value="{name}"' in html
    assert f'value="{registration_data["organisation"]}"' in html
    learner.refresh_from_db()
    assert learner.first_name == "Марʼяна"
    assert learner.organisation == ""


def test_the_profile_message_names_the_characters_that_cannot_be_printed(
    client, learner, registration_data
):
    client.force_login(learner)

    response = client.post(PROFILE_URL, {**registration_data, "last_name": "王小明"})

    assert form_error_codes(response, "last_name") == ["unprintable"]
    assert "«王» (U+738B)" in response.content.decode()
    learner.refresh_from_db()
    assert learner.last_name == "Коваленко"
