"""Every name the site accepts is printed on the certificate as typed: the name
rule (lms.names) against the fonts (certificates/pdf.py), the renderer's own
guard, and the forms that confirm or correct a printed name."""

import functools
import re
import subprocess
import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFile

from certificates.document import sample_certificate_data
from certificates.issuing import InvalidHolderName, clean_holder_name, issue_certificate
from certificates.models import Certificate, NameConfirmation
from certificates.pdf import FONT_DIR, FONT_FILES, CertificateRenderError, render_pdf
from lms.names import NAME_MAX_LENGTH, normalise_name, validate_name
from tests.certificates.fixtures import *  # noqa: F403

HANGUL_FILLERS = "\u3164\u3164"
FULL_WIDTH_ADMIN = "ＡＤＭＩＮ"
APOSTROPHES = ("'", "\u2019", "\u02bc")


@functools.cache
def outlined_characters(filename: str) -> frozenset[str]:
    """The characters the font's cmap maps to a glyph that has an outline."""
    font = TTFontFile(str(FONT_DIR / filename))
    return frozenset(
        chr(code)
        for code, glyph in font.charToGlyph.items()
        if glyph != 0 and font.glyphPos[glyph + 1] > font.glyphPos[glyph]
    )


def accepted(name: str) -> bool:
    try:
        validate_name(name)
    except ValidationError:
        return False
    return True


@functools.cache
def name_alphabet() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The letters and the combining marks the validator accepts after a letter."""
    candidates = sorted(set().union(*map(outlined_characters, FONT_FILES.values())))
    letters = tuple(
        char
        for char in candidates
        if unicodedata.category(char).startswith("L") and accepted("А" + char)
    )
    marks = tuple(
        char
        for char in candidates
        if unicodedata.category(char).startswith("M") and accepted("А" + char)
    )
    return letters, marks


def pdftotext(pdf: bytes) -> str:
    completed = subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return completed.stdout.decode()


def comparable(text: str) -> str:
    """NFC without whitespace: a long name wraps across lines."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def confirm_url(course) -> str:
    return reverse("certificates:confirm_name", args=[course.pk])


def reissue_url(certificate) -> str:
    return reverse("certificate_register:reissue", args=[certificate.pk])


# The alphabet against the fonts ------------------------------------------------


def test_every_character_a_name_may_hold_is_drawn_by_every_certificate_font():
    fonts = {name: outlined_characters(name) for name in FONT_FILES.values()}
    undrawn = {}
    right_to_left = []
    for code in range(sys.maxunicode + 1):
        name = "А" + chr(code)  # a letter first, so a combining mark is on one
        if not accepted(name):
            continue
        for char in normalise_name(name).replace(" ", ""):
            missing = [font for font, chars in fonts.items() if char not in chars]
            if missing:
                undrawn[f"U+{ord(char):04X}"] = missing
            if unicodedata.bidirectional(char) in ("R", "AL"):
                right_to_left.append(f"U+{ord(char):04X}")

    assert undrawn == {}
    assert right_to_left == []


def test_the_alphabet_holds_the_ukrainian_latin_and_greek_letters():
    letters, marks = name_alphabet()

    assert set("АаҐґЄєІіЇїЙйЩщЬьЮюЯяʼ") <= set(letters)
    assert set("AaÄäÉéŁłŞşŽž") <= set(letters)
    assert set("ΑαΩωΣσς") <= set(letters)
    assert "\u0301" in marks and "\u0308" in marks
    assert not {"\u3164", "\u115f", "王", "ნ", "Ａ", "\ufb01"} & set(letters)


# Accepted names are printed ----------------------------------------------------


@st.composite
def accepted_names(draw) -> str:
    """Words of accepted letters, some with a mark, joined by hyphens and
    apostrophes of every kind, separated by spaces; only those validate_name
    accepts."""
    letters, marks = name_alphabet()
    letter = st.tuples(
        st.sampled_from(letters), st.lists(st.sampled_from(marks), max_size=1)
    ).map(lambda parts: parts[0] + "".join(parts[1]))
    word = st.lists(letter, min_size=1, max_size=12).map("".join)
    joiner = st.sampled_from(("-", *APOSTROPHES))
    parts = draw(st.lists(st.tuples(word, joiner), min_size=1, max_size=3))
    compound = "".join(part + glue for part, glue in parts[:-1]) + parts[-1][0]
    rest = draw(st.lists(word, max_size=3))
    name = " ".join((compound, *rest))
    # Rarely refused: e.g. only modifier letters, which do not make a name.
    assume(len(name) <= NAME_MAX_LENGTH and accepted(name))
    return name


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(name=accepted_names())
@example(name="Ґедзь-Їжакевич Мар'яна О’Коннор")
@example(name="Αλέξανδρος Müller-Łukasz Zoe\u0308")
def test_every_accepted_name_appears_in_the_text_of_the_certificate(name):
    printed = normalise_name(name)

    text = pdftotext(render_pdf(sample_certificate_data(holder_name=printed)))

    assert comparable(printed) in comparable(text)


# The renderer's guard ---------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        HANGUL_FILLERS,
        "\u115f",
        "王小明",
        "Коваленко ნინო",
        f"Коваленко {FULL_WIDTH_ADMIN}",
        "Коваленко\u00a0Олена",  # a no-break space the fonts draw as nothing
        "",
        "\u202e\u202c",  # nothing left once controls are removed
    ],
)
def test_a_name_the_fonts_cannot_draw_is_never_rendered(name):
    with pytest.raises(CertificateRenderError):
        render_pdf(sample_certificate_data(holder_name=name))


@pytest.mark.django_db
def test_a_stored_name_that_bypassed_the_rule_issues_no_certificate(
    design, completed_enrolment, learner
):
    NameConfirmation.objects.create(user=learner, printed_name=HANGUL_FILLERS)

    with pytest.raises(InvalidHolderName):
        issue_certificate(enrolment=completed_enrolment)

    assert not Certificate.objects.exists()


@pytest.mark.parametrize("name", [HANGUL_FILLERS, FULL_WIDTH_ADMIN, "王小明"])
def test_clean_holder_name_refuses_what_cannot_be_printed(name):
    with pytest.raises(InvalidHolderName):
        clean_holder_name(f"Коваленко {name}")


# Name confirmation and re-issue -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", [HANGUL_FILLERS, FULL_WIDTH_ADMIN])
def test_name_confirmation_refuses_an_unprintable_name_and_keeps_what_was_typed(
    client, design, completed_enrolment, learner, name
):
    client.force_login(learner)
    data = {"last_name": "Коваленко", "first_name": name, "confirm": "on"}

    response = client.post(confirm_url(completed_enrolment.course), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["first_name"]] in (
        ["invisible"],
        ["compatibility"],
    )
    assert form["first_name"].value() == name
    assert form["last_name"].value() == "Коваленко"
    assert f'value="{name}"' in response.content.decode()
    assert not NameConfirmation.objects.exists()
    assert not Certificate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", [HANGUL_FILLERS, FULL_WIDTH_ADMIN, "王小明"])
def test_reissue_refuses_an_unprintable_name_and_keeps_what_was_typed(
    superuser_client, design, completed_enrolment, confirmed_learner, name
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    typed = f"Коваленко {name}"

    response = superuser_client.post(reissue_url(certificate), {"holder_name": typed})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["holder_name"]
    assert form["holder_name"].value() == typed
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1
