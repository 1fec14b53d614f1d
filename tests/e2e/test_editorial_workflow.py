"""An editor's change reaches learners only through a moderator."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.progress import enrol
from tests import factories
from tests.e2e import pages
from tests.e2e.world import LESSON_TEXTS, LESSON_TITLES, STAFF_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_TITLE = "Хто такі партнери громади та як їх знайти"
NEW_SENTENCE = " Почніть із переліку підприємств, що вже працюють у громаді."


def test_an_edited_lesson_reaches_learners_once_a_moderator_approves_it(
    world, new_context, audit
):
    learner = factories.make_user(email_confirmed_at=timezone.now())
    enrol(learner=learner, course=world.course)
    lesson_url = world.lessons[0].url

    editor = new_context(name="editor").new_page()
    pages.admin_sign_in(editor, world.editor.email, STAFF_PASSWORD)
    pages.admin_find_page(editor, LESSON_TITLES[0])
    pages.admin_edit_lesson(editor, title=NEW_TITLE, append_text=NEW_SENTENCE)
    pages.admin_submit_for_moderation(editor)

    # Submitted, not yet approved: learners still read the published lesson.
    reader = new_context(name="learner").new_page()
    pages.sign_in(reader, learner.email, factories.DEFAULT_PASSWORD)
    reader.goto(lesson_url)
    pages.expect_lesson(reader, LESSON_TITLES[0], LESSON_TEXTS[0])
    expect(reader.get_by_role("article")).not_to_contain_text(NEW_SENTENCE.strip())

    moderator = new_context(name="moderator").new_page()
    pages.admin_sign_in(moderator, world.moderator.email, STAFF_PASSWORD)
    pages.admin_approve(moderator, NEW_TITLE)

    reader.reload()
    pages.expect_lesson(reader, NEW_TITLE, LESSON_TEXTS[0] + NEW_SENTENCE)
    audit.check(reader, label="lesson after the change")

    audit.assert_clean()
