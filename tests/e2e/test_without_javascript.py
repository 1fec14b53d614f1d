"""The learner's way with JavaScript off: every step is a plain form."""

import pytest
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.world import (
    COURSE_TITLE,
    HROMADA_NAME,
    LESSON_TEXTS,
    LESSON_TITLES,
    OBLAST_NAME,
    OTHER_HROMADA_NAME,
    QUESTIONS,
    QUIZ_TITLE,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PERSON = pages.Learner(
    email="taras.bondar@example.org",
    password="No-script-learning-2026",
    last_name="Бондар",
    first_name="Тарас",
    patronymic="Іванович",
    position="Головний спеціаліст відділу освіти",
    category="Посади в органах місцевого самоврядування, 6 категорія",
    organisation="Кремінська міська рада",
    oblast=OBLAST_NAME,
    hromada=HROMADA_NAME,
)


def test_without_javascript_a_learner_registers_reads_marks_done_and_passes_the_test(
    world, new_context, audit, mailoutbox
):
    page = new_context(javascript=False, name="no-script").new_page()

    # The oblast's hromadas come with the form sent back by a button.
    pages.open_home(page)
    pages.open_registration(page)
    audit.check(page, label="registration")
    pages.fill_name_and_work(page, PERSON)
    pages.choose_place_without_script(page, PERSON)
    expect(
        pages.hromada_list(page).get_by_role("option", name=OTHER_HROMADA_NAME)
    ).to_have_count(0)
    audit.check(page, label="registration, hromadas listed")
    pages.fill_sign_in_details_and_agree(page, PERSON)
    pages.submit_registration(page)
    pages.confirm_email(page, pages.confirmation_link(mailoutbox, PERSON.email))
    pages.sign_in(page, PERSON.email, PERSON.password)

    pages.open_course(page, COURSE_TITLE)
    pages.enrol(page)
    audit.check(page, label="course, enrolled")
    pages.start_course(page)
    for title, text in zip(LESSON_TITLES, LESSON_TEXTS, strict=True):
        pages.expect_lesson(page, title, text)
        audit.check(page, label=f"lesson «{title}»")
        pages.mark_lesson_done(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    assert pages.take_quiz(page, QUESTIONS, right=False) == "Не складено"
    audit.check(page, label="quiz failed")
    assert pages.take_quiz(page, QUESTIONS, right=True) == "Складено"
    audit.check(page, label="quiz passed")

    pages.open_my_learning(page)
    card = page.get_by_role("listitem").filter(has_text=COURSE_TITLE)
    expect(card).to_contain_text("Завершено")
    audit.check(page, label="my learning, course completed")

    audit.assert_clean()
