"""The Wagtail admin speaks Ukrainian to reviewers and editors, and calls out
to no one: Wagtail's own catalogue lacks strings that lms/wagtail_locale has."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.certificates.fixtures import *  # noqa: F403 - private_media
from tests.certificates.reviewing_data import people_of_every_role, review_world

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "lms" / "wagtail_locale"


def english_msgids() -> set[str]:
    """The one-line msgids of the catalogue of Wagtail strings: English text
    that must not show on an admin page."""
    text = (CATALOGUE / "uk" / "LC_MESSAGES" / "django.po").read_text()
    ids = set(re.findall(r'^msgid "(.+)"$', text, re.M))
    return {i for i in ids if len(i) > 3 and "%" not in i and "{" not in i}


class TextNodes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip:
            self.texts.append(text)


def visible_texts(html: str) -> set[str]:
    parser = TextNodes()
    parser.feed(html)
    return set(parser.texts)


@pytest.fixture
def reviewer_pages():
    world = review_world()
    people = people_of_every_role()
    client = Client()
    client.force_login(people["reviewer"])
    urls = [
        reverse("wagtailadmin_home"),
        "/admin/reports/completions/",
        reverse("review_transcript", args=[world.learners["done_a"].pk]),
        reverse("certificate_register:index"),
        reverse("certificate_register:inspect", args=[world.certificates["done_a"].pk]),
        reverse("certificate_register:history", args=[world.certificates["done_a"].pk]),
        reverse("wagtailadmin_account"),
    ]
    return client, urls


def test_no_wagtail_string_shows_in_english_on_the_reviewers_pages(reviewer_pages):
    client, urls = reviewer_pages
    english = english_msgids()
    assert len(english) > 200
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        left = visible_texts(response.content.decode()) & english
        assert left == set(), (url, sorted(left))


def test_the_admin_asks_no_gravatar_for_avatars(reviewer_pages):
    client, urls = reviewer_pages
    for url in urls:
        assert "gravatar" not in client.get(url).content.decode(), url


def test_the_admins_script_strings_are_ukrainian(reviewer_pages):
    client, _urls = reviewer_pages
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    body = response.content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S)[1])
    assert catalogue["Toggle sidebar"] == "Показати/сховати бічну панель"
    assert catalogue["Main menu"] != "Main menu"
    assert "%(number)s" in catalogue["(%(number)s new items in this menu)"]
    assert "меню" in catalogue["(%(number)s new items in this menu)"]
