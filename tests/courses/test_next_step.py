"""The next step is one click away: after a quiz, after the last lesson, on the
course page; the learner's progress on lesson and quiz pages.

A civil servant went through a course in a browser and had to look for the way
on after each result; these tests follow the same path over HTTP.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from certificates.models import Certificate
from courses.models import Completion, QuizAttempt
from courses.progress import complete_lesson, enrol, get_progress
from tests import factories
from tests import quiz_factories as qf
from tests.certificates.factories import make_design
from tests.content.participation_data import event_index, pilot_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html5lib")


def main_content(response):
    return soup_of(response).find("main")


def buttons(response) -> dict[str, str]:
    """The page's buttons (styled links and submit buttons): text → href or ""."""
    found = {}
    for element in main_content(response).select(".button"):
        text = " ".join(element.get_text(" ", strip=True).split())
        found[text] = element.get("href", "")
    return found


def take(client, quiz, *, right: bool, keys=None):
    """One attempt of ``quiz``: started, answered, submitted; the response."""
    started = client.post(quiz.url + "start/")
    assert started.status_code == 302, started.content
    attempt = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    data = qf.answers_post(attempt, right=right, action="submit", keys=keys)
    if keys is not None:
        data["confirm"] = "1"
    return client.post(started["Location"], data)


def next_step_label(title: str) -> str:
    return qf.tr("Next step: %(title)s", title=title)


GET_CERTIFICATE = "Отримати сертифікат"
TRY_AGAIN = "Спробувати ще раз"


# After a quiz -----------------------------------------------------------------


@pytest.fixture
def two_modules():
    """Two modules of one lesson; a required quiz at the end of the first."""
    tree = factories.build_course(modules=2, lessons_per_module=1)
    quiz = qf.make_quiz(tree.modules[0], max_attempts=3, pass_mark=50)
    qf.add_single(quiz)
    qf.add_truefalse(quiz)
    learner = qf.enrolled_learner(tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    return tree, quiz, learner


def test_a_passed_quiz_leads_to_the_next_step_of_the_course(two_modules):
    tree, quiz, learner = two_modules
    response = take(signed_in(learner), quiz, right=True)
    offered = buttons(response)
    second_lesson = tree.lessons[1]
    assert offered[next_step_label(second_lesson.title)] == second_lesson.url
    # 100 %, and the best attempt counts: another attempt can change nothing.
    assert TRY_AGAIN not in offered
    # The way on comes before the review of the answers.
    html = response.content.decode()
    assert html.index(second_lesson.url) < html.index("quiz-review")
    # The same on the result's own address, and on the quiz's page.
    later = signed_in(learner).get(quiz.url + "attempt/1/result/")
    assert buttons(later)[next_step_label(second_lesson.title)] == second_lesson.url
    landing = signed_in(learner).get(quiz.url)
    assert buttons(landing)[next_step_label(second_lesson.title)] == second_lesson.url


def test_a_pass_below_100_percent_may_be_improved_while_attempts_remain(two_modules):
    tree, quiz, learner = two_modules
    client = signed_in(learner)
    started = client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    keys = {q["type"]: {q["key"]} for q in attempt.questions}
    data = {
        **qf.answers_post(attempt, right=True, action="submit", keys=keys["single"]),
        **qf.answers_post(
            attempt, right=False, action="submit", keys=keys["truefalse"]
        ),
    }
    response = client.post(started["Location"], data)
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    assert graded.passed and graded.percent == 50
    offered = buttons(response)
    # The course goes on, and trying again can raise the best score.
    assert next_step_label(tree.lessons[1].title) in offered
    assert TRY_AGAIN in offered
    # Trying again is offered beside the way on, not as the main button.
    again = main_content(response).find("button", string=TRY_AGAIN)
    assert "button--secondary" in again["class"]


def test_a_failed_quiz_offers_to_try_again_first(two_modules):
    _tree, quiz, learner = two_modules
    response = take(signed_in(learner), quiz, right=False)
    offered = buttons(response)
    assert TRY_AGAIN in offered
    again = main_content(response).find("button", string=TRY_AGAIN)
    assert "button--secondary" not in again["class"]
    # The quiz is the next step itself: no other step is offered before it.
    assert not [label for label in offered if label.startswith("Наступний крок")]


def test_no_attempts_left_means_no_try_again_and_says_so(two_modules):
    _tree, quiz, learner = two_modules
    quiz.max_attempts = 1
    quiz.save_revision().publish()
    response = take(signed_in(learner), quiz, right=False)
    assert TRY_AGAIN not in buttons(response)
    assert qf.tr("You have used all attempts at this test.") in qf.page_text(response)


def test_a_waiting_time_says_when_the_next_attempt_opens(two_modules):
    _tree, quiz, learner = two_modules
    quiz.wait_minutes = 60
    quiz.save_revision().publish()
    response = take(signed_in(learner), quiz, right=False)
    assert TRY_AGAIN not in buttons(response)
    attempt = QuizAttempt.objects.get(quiz=quiz)
    opens = timezone.localtime(attempt.closed_at + timedelta(minutes=60))
    when = qf.tr(
        "The next attempt opens on %(time)s (Kyiv time).",
        time=date_format(opens, "j E Y, H:i"),
    )
    assert when in " ".join(qf.page_text(response).split())


# Completing the course --------------------------------------------------------


@pytest.fixture
def final_test():
    """One lesson and a final test directly under the course."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(tree.course, max_attempts=3, pass_mark=50)
    qf.add_single(quiz)
    learner = qf.enrolled_learner(tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    return tree, quiz, learner


def test_passing_the_final_test_leads_to_the_certificate_and_on_to_pilots(
    final_test,
):
    tree, quiz, learner = final_test
    make_design()
    pilots, events = pilot_index(), event_index()
    client = signed_in(learner)
    response = take(client, quiz, right=True)
    text = qf.page_text(response)
    assert f"Вітаємо! Ви завершили курс «{tree.course.title}»." in text
    certificate_url = reverse("certificates:course_certificate", args=[tree.course.pk])
    assert buttons(response)[GET_CERTIFICATE] == certificate_url

    # No name confirmed yet: the certificate asks for it first, with the
    # invitation to the initiative's pilots and events.
    asked = client.get(certificate_url)
    confirm_url = reverse("certificates:confirm_name", args=[tree.course.pk])
    assert asked["Location"] == confirm_url
    form = client.get(confirm_url)
    links = {a["href"] for a in main_content(form).find_all("a", href=True)}
    assert {pilots.url, events.url} <= links

    # Confirming issues it and shows it, ready to download, then the way on.
    confirmed = client.post(
        confirm_url,
        {
            "last_name": learner.last_name,
            "first_name": learner.first_name,
            "patronymic": learner.patronymic,
            "confirm": "on",
        },
    )
    assert confirmed["Location"] == certificate_url
    certificate = Certificate.objects.get(learner=learner)
    page = client.get(certificate_url)
    assert buttons(page)["Завантажити сертифікат (PDF)"] == certificate.download_url
    assert certificate.number in qf.page_text(page)
    links = {a["href"] for a in main_content(page).find_all("a", href=True)}
    assert {pilots.url, events.url} <= links
    assert client.get(certificate.download_url).status_code == 200


def test_completing_the_last_lesson_goes_to_the_certificate():
    tree = factories.build_course(modules=1, lessons_per_module=2)
    learner = qf.enrolled_learner(tree.course)
    complete_lesson(learner=learner, lesson=tree.lessons[0])
    client = signed_in(learner)
    response = client.post(
        reverse("courses:complete_lesson", args=[tree.lessons[1].pk]), follow=True
    )
    confirm_url = reverse("certificates:confirm_name", args=[tree.course.pk])
    assert response.redirect_chain[-1][0] == confirm_url
    assert qf.tr("Congratulations: you have completed the course!") in qf.page_text(
        response
    )
    # The course page and the lesson offer the certificate too.
    certificate_url = reverse("certificates:course_certificate", args=[tree.course.pk])
    assert buttons(client.get(tree.course.url))[GET_CERTIFICATE] == certificate_url
    assert buttons(client.get(tree.lessons[0].url))[GET_CERTIFICATE] == certificate_url


def test_the_certificate_page_is_only_for_the_learners_completed_course(final_test):
    tree, _quiz, learner = final_test
    url = reverse("certificates:course_certificate", args=[tree.course.pk])
    assert signed_in(learner).get(url).status_code == 404  # not completed yet
    assert Client().get(url)["Location"].startswith("/account/login/")


# «Продовжити» -----------------------------------------------------------------


def test_continue_opens_the_first_step_not_done_whatever_was_read(course_tree):
    learner = factories.make_user()
    enrol(learner=learner, course=course_tree.course)
    complete_lesson(learner=learner, lesson=course_tree.lessons[0])
    client = signed_in(learner)
    # Reading later lessons records nothing and moves «Продовжити» nowhere.
    for lesson in course_tree.lessons[2:]:
        assert client.get(lesson.url).status_code == 200
    assert Completion.objects.filter(learner=learner).count() == 1
    first_not_done = course_tree.lessons[1]
    assert get_progress(
        learner=learner, course=course_tree.course
    ).resume_step.page_id == (first_not_done.pk)
    assert buttons(client.get(course_tree.course.url))["Продовжити"] == (
        first_not_done.url
    )


def test_a_done_lesson_offers_the_first_step_not_done_when_the_pager_does_not(
    course_tree,
):
    learner = factories.make_user()
    enrol(learner=learner, course=course_tree.course)
    for lesson in course_tree.lessons[:3]:
        complete_lesson(learner=learner, lesson=lesson)
    client = signed_in(learner)
    resume = course_tree.lessons[3]
    # Back on the first lesson: the pager's next is lesson 2, already done.
    offered = buttons(client.get(course_tree.lessons[0].url))
    assert offered[f"Продовжити: {resume.title}"] == resume.url
    # On lesson 3 the pager's next is the step to do: no second button.
    offered = buttons(client.get(course_tree.lessons[2].url))
    assert f"Продовжити: {resume.title}" not in offered


# The progress bar -------------------------------------------------------------


def progress_bar(response):
    return main_content(response).find("progress")


def test_lesson_and_quiz_pages_show_the_enrolled_learners_progress(two_modules):
    tree, quiz, learner = two_modules
    client = signed_in(learner)
    # Steps: lesson 1 (done), the quiz, lesson 2: 1 of 3.
    for url in (tree.lessons[1].url, quiz.url):
        response = client.get(url)
        bar = progress_bar(response)
        assert (bar["max"], bar["value"]) == ("3", "1")
        label = main_content(response).find(id=bar["aria-labelledby"])
        assert label.get_text(strip=True) == "Пройдено 1 з 3 кроків"
    started = client.post(quiz.url + "start/")
    attempt_page = client.get(started["Location"])
    assert progress_bar(attempt_page)["value"] == "1"
    result = take_rest(client, quiz)
    bar = progress_bar(result)
    assert (bar["max"], bar["value"]) == ("3", "2")  # the pass counts at once
    label = main_content(result).find(id=bar["aria-labelledby"])
    assert label.get_text(strip=True) == "Пройдено 2 з 3 кроків"


def take_rest(client, quiz):
    attempt = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    data = qf.answers_post(attempt, right=True, action="submit")
    return client.post(f"{quiz.url}attempt/{attempt.number}/", data)


@pytest.mark.parametrize(
    ("total", "words"),
    [
        (1, "Пройдено 0 з 1 кроку"),
        (3, "Пройдено 0 з 3 кроків"),
        (5, "Пройдено 0 з 5 кроків"),
    ],
)
def test_the_step_count_takes_the_ukrainian_plural_forms(total, words):
    tree = factories.build_course(modules=1, lessons_per_module=total)
    learner = qf.enrolled_learner(tree.course)
    response = signed_in(learner).get(tree.lessons[0].url)
    bar = progress_bar(response)
    label = main_content(response).find(id=bar["aria-labelledby"])
    assert label.get_text(strip=True) == words


def test_no_progress_bar_for_visitors_who_are_not_enrolled(open_course_tree):
    lesson = open_course_tree.lessons[0]
    assert progress_bar(Client().get(lesson.url)) is None
    stranger = factories.make_user()
    assert progress_bar(signed_in(stranger).get(lesson.url)) is None
    quiz = qf.make_quiz(open_course_tree.modules[0])
    qf.add_single(quiz)
    assert progress_bar(Client().get(quiz.url)) is None
    assert progress_bar(signed_in(stranger).get(quiz.url)) is None
