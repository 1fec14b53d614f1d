"""The Wagtail admin speaks Ukrainian to reviewers and editors, and calls out
to no one: Wagtail's own catalogue lacks strings that lms/wagtail_locale has."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.rich_text import RichText

from courses.blocks import BodyStreamBlock
from lms.roles import EDITORS
from tests import factories
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


# Editors' pages -------------------------------------------------------------------


EDITOR_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def editor():
    user = factories.make_user(first_name="Ірина")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor, EDITOR_BACKEND)
    return client


def lesson_with_every_editor():
    """A lesson whose body holds each kind of block that has a rich-text or
    table editor: paragraphs, a callout, an accordion and a table."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    lesson = tree.lessons[0]
    lesson.body = [
        factories.paragraph("Перший абзац."),
        ("callout", {"kind": "note", "title": "", "text": RichText("<p>Увага</p>")}),
        (
            "table",
            {
                "caption": "Строки",
                "table": {"data": [["Етап", "Строк"]], "table_header_choice": "row"},
            },
        ),
        (
            "accordion",
            {
                "title": "",
                "items": [{"question": "Що?", "answer": RichText("<p>Те</p>")}],
            },
        ),
    ]
    lesson.save_revision().publish()
    return tree


def test_the_moderation_workflow_has_a_ukrainian_name_in_the_editor(
    editor, editor_client
):
    tree = lesson_with_every_editor()
    lesson = tree.lessons[0]
    url = f"/admin/pages/{lesson.pk}/edit/"
    page = editor_client.get(url).content.decode()
    assert "Надіслати на розгляд: Затвердження модератором" in page
    assert "Moderators approval" not in page
    assert 'aria-label="Actions"' not in page
    assert "Root" not in visible_texts(page)

    lesson.get_workflow().start(lesson, editor)
    submitted = editor_client.get(url).content.decode()
    texts = " ".join(visible_texts(submitted))
    assert "Надіслано на етап «Затвердження модератором» зараз" in texts
    assert "Moderators approval" not in submitted
    assert not re.search(r"\bnow\b", texts)


def test_a_rich_text_field_of_a_form_is_named_by_its_label(editor_client):
    tree = lesson_with_every_editor()
    html = editor_client.get(f"/admin/pages/{tree.modules[0].pk}/edit/").content
    page = html.decode()
    match = re.search(r"<input[^>]+data-draftail-input[^>]*>", page)
    assert match, "the module's introduction is a Draftail field"
    field = match[0]
    field_id = re.search(r'id="([^"]+)"', field)[1]
    options = json.loads(
        re.search(r'data-w-init-detail-value="([^"]+)"', field)[1].replace(
            "&quot;", '"'
        )
    )
    assert options["ariaLabelledBy"] == f"{field_id}-label"
    label = re.search(
        rf'<label[^>]*id="{field_id}-label"[^>]*>(.*?)</label>', page, re.S
    )
    assert label and "Вступ" in visible_texts(label[0]).pop()


def test_rich_text_and_table_blocks_get_a_name_and_ukrainian_in_the_browser(
    editor_client,
):
    tree = lesson_with_every_editor()
    page = editor_client.get(f"/admin/pages/{tree.lessons[0].pk}/edit/").content
    page = page.decode()
    # Stream blocks are drawn by the browser: each rich-text block is the
    # project's Draftail (lms/js/admin/draftail_labels.js names it by its
    # label); tests/e2e/test_editor_accessibility.py runs axe on the result.
    assert "lms.widgets.LabelledDraftailRichTextArea" in page
    assert "wagtail.widgets.DraftailRichTextArea" not in page
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    names = [src.split("?")[0].rsplit("/", 1)[-1] for src in scripts]
    assert names.index("draftail.js") < names.index("draftail_labels.js")
    # Handsontable gets the admin's language, and the Ukrainian dictionary
    # registered under it is loaded after Handsontable, from the site.
    table = BodyStreamBlock().child_blocks["table"].child_blocks["table"]
    assert isinstance(table, TableBlock)
    language = table.table_options["language"]
    handsontable = next(n for n in names if n.startswith("handsontable"))
    assert names.index(handsontable) < names.index("handsontable_uk.js")
    source = (
        Path(__file__).resolve().parents[2]
        / "lms/static/lms/js/admin/handsontable_uk.js"
    ).read_text()
    assert f"'{language}'" in source
    assert not [src for src in scripts if "//" in src]  # no other site
