"""An editor's change to a lesson goes through moderation before learners see it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.blocks import RICH_TEXT_FEATURES
from courses.models import LessonPage
from lms.roles import EDITORS, MODERATORS
from lms.site_address import sync_default_site
from tests import factories

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def edit_form(lesson, text: str, action: str) -> dict:
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": "25",
            "is_preview": "on",
            "body": streamfield(
                [
                    (
                        "paragraph",
                        rich_text(f"<p>{text}</p>", features=RICH_TEXT_FEATURES),
                    )
                ]
            ),
            action: "1",
        }
    )


def editor_and_moderator():
    editor = factories.make_user()
    editor.groups.add(Group.objects.get(name=EDITORS))
    moderator = factories.make_user()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    return editor, moderator


def test_an_editors_change_is_a_draft_until_a_moderator_approves_it(client):
    tree = factories.build_course(
        modules=1, lessons_per_module=1, lesson_fields={"is_preview": True}
    )
    lesson = tree.lessons[0]
    editor, moderator = editor_and_moderator()

    client.force_login(editor, MODEL_BACKEND)
    edit_url = f"/admin/pages/{lesson.pk}/edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'lang="uk"' in page.content.decode()
    response = client.post(
        edit_url, edit_form(lesson, "Нова редакція", "action-submit")
    )
    assert response.status_code == 302

    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "Нова редакція" not in client.get(lesson.url).content.decode()
    preview = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert "Нова редакція" in preview.content.decode()

    client.force_login(moderator, MODEL_BACKEND)
    task_state = state.current_task_state
    approve = client.post(
        f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state.pk}/",
        {"comment": "Добре"},
    )
    assert approve.status_code in (200, 302)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert not lesson.has_unpublished_changes
    assert lesson.revisions.count() >= 2
    client.logout()
    assert "Нова редакція" in client.get(lesson.url).content.decode()


def test_moderation_emails_link_only_to_the_public_address(client, settings):
    # They linked 127.0.0.1:8000 (the admin base URL) and http://localhost/
    # (the default site's host name, which migrate now sets from SITE_URL).
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "https://learn.example.org"
    tree = factories.build_course(modules=1, lessons_per_module=1)
    sync_default_site()
    lesson = tree.lessons[0]
    editor, moderator = editor_and_moderator()
    client.force_login(editor, MODEL_BACKEND)
    client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        edit_form(lesson, "Нова редакція", "action-submit"),
    )
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    client.force_login(moderator, MODEL_BACKEND)
    client.post(
        f"/admin/pages/workflow/action/{lesson.pk}/approve/"
        f"{state.current_task_state.pk}/",
        {"comment": "Добре"},
    )

    assert {tuple(message.to) for message in mail.outbox} >= {
        (moderator.email,),
        (editor.email,),
    }
    links = [
        link
        for message in mail.outbox
        for link in re.findall(r"https?://[^\s\"<>]+", message.body)
    ]
    assert links
    assert all(link.startswith("https://learn.example.org/") for link in links), links
