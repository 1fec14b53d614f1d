"""The editors' forms pass axe in a real browser: every rich-text editor has a
name, and the table editor loads its Ukrainian without a console error."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.rich_text import RichText

from courses.models import LessonPage
from tests import factories
from tests.e2e import pages
from tests.e2e.world import STAFF_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def give_every_editor(lesson: LessonPage) -> None:
    """Five rich-text editors (two paragraphs, a callout, two accordion
    answers) and a table, as the lesson form had when axe found them unnamed."""
    lesson.body = [
        ("heading", {"text": "Головне", "level": "h2"}),
        factories.paragraph("Перший абзац."),
        ("callout", {"kind": "note", "title": "Увага", "text": RichText("<p>Так</p>")}),
        (
            "table",
            {
                "caption": "Строки",
                "table": {
                    "data": [["Етап", "Строк"], ["Подання", "10 днів"]],
                    "table_header_choice": "row",
                },
            },
        ),
        (
            "accordion",
            {
                "title": "Питання",
                "items": [
                    {"question": "Що?", "answer": RichText("<p>Те</p>")},
                    {"question": "Де?", "answer": RichText("<p>Тут</p>")},
                ],
            },
        ),
        factories.paragraph("Другий абзац."),
    ]
    lesson.save_revision().publish()


def test_the_lesson_and_module_forms_name_every_editor(world, new_context, audit):
    lesson = LessonPage.objects.get(pk=world.lessons[0].pk)
    give_every_editor(lesson)
    editor = new_context(name="editor").new_page()
    pages.admin_sign_in(editor, world.editor.email, STAFF_PASSWORD)

    editor.goto(f"/admin/pages/{lesson.pk}/edit/")
    boxes = editor.locator(".public-DraftEditor-content")
    expect(boxes).to_have_count(5)
    for number, name in enumerate(
        ["Текст", "Текст", "Відповідь", "Відповідь", "Текст"]
    ):
        expect(boxes.nth(number)).to_have_accessible_name(re.compile(f"^{name}"))
    expect(editor.locator(".handsontable").first).to_be_visible()
    audit.check(editor, label="lesson form")

    editor.goto(f"/admin/pages/{lesson.get_parent().pk}/edit/")
    expect(editor.locator(".public-DraftEditor-content")).to_have_accessible_name(
        re.compile("^Вступ")
    )
    audit.check(editor, label="module form")

    audit.assert_clean()
