"""Bad input in the Wagtail admin's add-page forms: errors in Ukrainian, input kept."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.blocks import RICH_TEXT_FEATURES
from courses.models import CoursePage, ModulePage
from tests import factories

SUMMARY = "Як громаді домовлятися з бізнесом і громадськістю."
PROVIDER = "Національне агентство з питань державної служби"


def add_url(model, parent) -> str:
    """The admin address that adds a ``model`` page under ``parent``."""
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def course_form(**overrides) -> dict:
    """Add-course form data that the admin accepts, unless ``overrides`` spoil it."""
    values = {
        "title": "Публічні закупівлі для громад",
        "slug": "zakupivli",
        "summary": SUMMARY,
        "hours": "30",
        "programme_code": "РВ-007",
        "provider_name": PROVIDER,
        "target_audience": "",
        "learning_outcomes": streamfield([("outcome", "Готує тендерну документацію.")]),
        "description": streamfield([]),
        **overrides,
    }
    return nested_form_data(values)


def module_form(**overrides) -> dict:
    """Add-module form data that the admin accepts, unless ``overrides`` spoil it."""
    values = {
        "title": "Вступ до закупівель",
        "slug": "vstup",
        "intro": rich_text("<p>Про що цей модуль.</p>", features=RICH_TEXT_FEATURES),
        "estimated_minutes": "45",
        **overrides,
    }
    return nested_form_data(values)


def field_errors(soup: BeautifulSoup, name: str) -> list[str]:
    """The error messages the admin shows next to the field called ``name``."""
    field = soup.find(attrs={"name": name})
    assert field is not None, f"no field {name!r} in the form"
    wrapper = field.find_parent(class_="w-field")
    return [" ".join(e.get_text(" ").split()) for e in wrapper.select(".error-message")]


def post(client, url, data):
    """POSTs the form and returns the response with its parsed HTML."""
    response = client.post(url, data)
    return response, BeautifulSoup(response.content, "html5lib")


@pytest.fixture
def course_index(db):
    """The course catalogue that new courses are added to."""
    return factories.make_course_index()


@pytest.fixture
def course(db):
    """A published course that new modules are added to."""
    return factories.build_course(modules=0).course


def test_the_valid_course_form_creates_the_course(superuser_client, course_index):
    # The rejections below are due to the spoiled fields, not to the rest.
    response = superuser_client.post(add_url(CoursePage, course_index), course_form())
    assert response.status_code == 302
    created = CoursePage.objects.get(slug="zakupivli")
    assert created.summary == SUMMARY
    assert created.outcome_texts == ["Готує тендерну документацію."]


def test_course_with_negative_hours_and_no_title_is_refused_keeping_the_input(
    superuser_client, course_index
):
    pages_before = Page.objects.count()
    data = course_form(title="", hours="-5")
    response, soup = post(superuser_client, add_url(CoursePage, course_index), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "hours"}
    # Wagtail's Ukrainian catalogue takes precedence over Django's
    # «Це поле обов'язкове.» for this message; either way it is Ukrainian.
    required = gettext("This field is required.")
    assert required.startswith("Це поле")
    assert field_errors(soup, "title") == [required]
    [hours_error] = field_errors(soup, "hours")
    assert hours_error.startswith("Переконайтеся, що це значення більше чи дорівнює")

    assert soup.find("textarea", attrs={"name": "summary"}).get_text() == SUMMARY
    assert soup.find("input", attrs={"name": "provider_name"})["value"] == PROVIDER
    assert soup.find("input", attrs={"name": "hours"})["value"] == "-5"
    assert Page.objects.count() == pages_before
    assert not CoursePage.objects.filter(slug="zakupivli").exists()


def test_course_of_zero_hours_is_refused_with_the_minimum_of_one_hour(
    superuser_client, course_index
):
    data = course_form(hours="0")
    response, soup = post(superuser_client, add_url(CoursePage, course_index), data)

    assert response.status_code == 200
    assert field_errors(soup, "hours") == [
        "Переконайтеся, що це значення більше чи дорівнює 1."
    ]
    title = soup.find("input", attrs={"name": "title"})
    assert title["value"] == "Публічні закупівлі для громад"
    assert not CoursePage.objects.filter(slug="zakupivli").exists()


def test_the_valid_module_form_creates_the_module(superuser_client, course):
    response = superuser_client.post(add_url(ModulePage, course), module_form())
    assert response.status_code == 302
    assert ModulePage.objects.child_of(course).get().estimated_minutes == 45


def test_module_of_zero_minutes_is_refused_keeping_the_input(superuser_client, course):
    pages_before = Page.objects.count()
    data = module_form(estimated_minutes="0")
    response, soup = post(superuser_client, add_url(ModulePage, course), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"estimated_minutes"}
    assert field_errors(soup, "estimated_minutes") == [
        "Переконайтеся, що це значення більше чи дорівнює 1."
    ]
    assert soup.find("input", attrs={"name": "title"})["value"] == "Вступ до закупівель"
    intro = json.loads(soup.find("input", attrs={"name": "intro"})["value"])
    assert [block["text"] for block in intro["blocks"]] == ["Про що цей модуль."]
    assert Page.objects.count() == pages_before
    assert not ModulePage.objects.child_of(course).exists()


def test_module_without_title_or_minutes_shows_both_errors(superuser_client, course):
    data = module_form(title="", estimated_minutes="")
    response, soup = post(superuser_client, add_url(ModulePage, course), data)

    assert response.status_code == 200
    required = gettext("This field is required.")
    assert field_errors(soup, "title") == [required]
    assert field_errors(soup, "estimated_minutes") == [required]
    assert not ModulePage.objects.child_of(course).exists()
