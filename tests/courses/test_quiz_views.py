"""The quiz over HTTP: landing, start, the form, autosave, submit, result, preview."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion, QuestionResult, QuizAttempt, QuizPage
from courses.progress import enrol
from courses.quizzes.attempts import start_attempt, submit_attempt
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def quiz(tree):
    quiz = qf.make_quiz(tree.modules[0], max_attempts=3)
    qf.add_one_of_each(quiz)
    return quiz


@pytest.fixture
def learner(tree):
    return qf.enrolled_learner(tree.course)


@pytest.fixture
def client(learner):
    client = Client()
    client.force_login(learner)
    return client


# Submits whatever is saved: «Надіслати все одно» on the page that lists the
# unanswered questions.
SUBMIT_ANYWAY = {"action": "submit", "confirm": "1"}


def start(client, quiz) -> QuizAttempt:
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302, response.content
    number = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return QuizAttempt.objects.get(quiz=quiz, number=number, status="in_progress")


def key_of(attempt, kind) -> str:
    return next(q["key"] for q in attempt.questions if q["type"] == kind)


def snapshot_of(attempt, kind) -> dict:
    return next(q for q in attempt.questions if q["type"] == kind)


def html_of(response) -> str:
    return response.content.decode()


text_of = qf.page_text


def text_of_html(html: str) -> str:
    return unescape(html)


# Landing and start -------------------------------------------------------------


def test_the_landing_page_states_the_rules_in_plain_words(client, tree):
    quiz = qf.make_quiz(
        tree.modules[0],
        pass_mark=80,
        max_attempts=2,
        time_limit_minutes=25,
        wait_minutes=10,
        answers_shown="after_pass",
    )
    qf.add_mixed(quiz, 4)
    text = text_of(client.get(quiz.url))
    for fragment in (
        qf.trn(
            "The test has %(counter)s question.",
            "The test has %(counter)s questions.",
            4,
        ),
        qf.tr("To pass, score at least %(mark)s%%.", mark=80),
        qf.trn(
            "You may make %(counter)s attempt; the best one counts.",
            "You may make %(counter)s attempts; the best one counts.",
            2,
        ),
        qf.trn(
            "You have %(counter)s attempt left.",
            "You have %(counter)s attempts left.",
            2,
        ),
        qf.trn(
            "An attempt lasts %(counter)s minute. The time runs from the start "
            "and does not stop when you close the page.",
            "An attempt lasts %(counter)s minutes. The time runs from the start "
            "and does not stop when you close the page.",
            25,
        ),
        qf.trn(
            "After an attempt, the next one opens in %(counter)s minute.",
            "After an attempt, the next one opens in %(counter)s minutes.",
            10,
        ),
        qf.tr("The correct answers are shown once you pass."),
        qf.tr("Start the test"),
    ):
        assert fragment in text


def test_the_landing_page_asks_visitors_to_sign_in_or_enrol(quiz, tree):
    anonymous = html_of(Client().get(quiz.url))
    assert f"/account/login/?next={quiz.url}" in anonymous
    assert "start/" not in anonymous
    stranger = Client()
    stranger.force_login(factories.make_user())
    html = text_of(stranger.get(quiz.url))
    assert qf.tr("Enrol in the course to take the test.") in html
    assert f'href="{tree.course.url}"' in html
    assert "start/" not in html


def test_starting_opens_an_attempt_and_a_second_start_returns_it(client, quiz):
    first = start(client, quiz)
    again = client.post(quiz.url + "start/")
    assert again["Location"] == f"{quiz.url}attempt/{first.number}/"
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    landing = text_of(client.get(quiz.url))
    assert qf.tr("Continue attempt %(number)s", number=1) in landing


def test_starting_past_the_attempt_limit_is_refused_with_a_message(client, quiz):
    quiz.max_attempts = 1
    quiz.save_revision().publish()
    attempt = start(client, quiz)
    client.post(quiz.url + "attempt/1/", SUBMIT_ANYWAY)
    assert not QuizAttempt.objects.get(pk=attempt.pk).is_open
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert qf.tr("You have used all attempts for this quiz.") in text_of(response)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_starting_before_the_waiting_time_ends_says_when(client, quiz):
    quiz.wait_minutes = 60
    quiz.save_revision().publish()
    attempt = start(client, quiz)
    client.post(quiz.url + "attempt/1/", SUBMIT_ANYWAY)
    closed_at = QuizAttempt.objects.get(pk=attempt.pk).closed_at
    until = timezone.localtime(closed_at + timedelta(minutes=60))
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    message = qf.tr(
        "The next attempt opens at %(time)s.", time=until.strftime("%d.%m.%Y %H:%M")
    )
    assert message in text_of(response)
    landing = text_of(client.get(quiz.url))
    assert qf.tr("(Kyiv time)") in landing
    assert until.strftime("%H:%M") in landing


def test_a_quiz_in_a_locked_module_cannot_be_started():
    tree = factories.build_course(modules=2, lessons_per_module=1, sequential=True)
    quiz = qf.make_quiz(tree.modules[1])
    qf.add_single(quiz)
    client = Client()
    client.force_login(qf.enrolled_learner(tree.course))
    landing = text_of(client.get(quiz.url))
    assert (
        qf.tr("In this course modules open in order: finish the previous module first.")
        in landing
    )
    assert "start/" not in landing
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()


# The form ----------------------------------------------------------------------


def test_the_attempt_page_has_a_fieldset_and_labels_for_every_question(client, quiz):
    attempt = start(client, quiz)
    html = html_of(client.get(f"{quiz.url}attempt/{attempt.number}/"))
    assert html.count("<fieldset") == 7
    assert html.count("<legend") == 7
    input_ids = re.findall(
        r'<(?:input|select) type="(?!hidden)[^"]*" id="([^"]+)"', html
    )
    input_ids += re.findall(r'<select id="([^"]+)"', html)
    assert input_ids
    for input_id in input_ids:
        assert f'<label for="{input_id}">' in html
    assert 'inputmode="decimal"' in html
    assert 'type="number"' not in html


def test_the_attempt_page_shows_the_deadline_in_kyiv_time(client, tree):
    quiz = qf.make_quiz(tree.modules[0], time_limit_minutes=45)
    qf.add_single(quiz)
    attempt = start(client, quiz)
    html = html_of(client.get(f"{quiz.url}attempt/{attempt.number}/"))
    assert attempt.deadline is not None
    assert qf.tr("(Kyiv time)") in text_of_html(html)
    local = timezone.localtime(attempt.deadline)
    assert local.strftime("%H:%M") in html


def test_the_attempt_page_loads_only_the_deferred_autosave_script(client, quiz):
    attempt = start(client, quiz)
    html = html_of(client.get(f"{quiz.url}attempt/{attempt.number}/"))
    scripts = re.findall(r"<script[^>]*>", html)
    assert any("quiz_autosave.js" in tag and "defer" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)
    assert " style=" not in html
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [
        "/static/lms/css/site.css",
        "/static/lms/css/quiz.css",
    ]
    assert f'data-autosave-url="{quiz.url}attempt/1/save/"' in html
    assert 'aria-live="polite"' in html
    assert "quiz_autosave.js" not in html_of(client.get(quiz.url))


def test_saving_keeps_the_answers_and_shows_them_again(client, quiz):
    attempt = start(client, quiz)
    response = client.post(
        f"{quiz.url}attempt/1/", qf.answers_post(attempt, right=True)
    )
    assert response["Location"] == f"{quiz.url}attempt/1/"
    saved = QuizAttempt.objects.get(pk=attempt.pk)
    assert set(saved.answers) == set(saved.question_keys())
    html = html_of(client.get(response["Location"]))
    assert qf.tr("Your answers are saved.") in text_of_html(html)
    assert html.count(" checked") == 4  # single, true/false, two of multiple
    # Three matching pairs and four ordering positions.
    assert len(re.findall(r'<option value="[^"]+" selected>', html)) == 7
    text_key = key_of(attempt, "text")
    assert f'name="q-{text_key}" value="відповідь"' in html


def test_unticking_every_box_clears_a_multiple_choice_answer(client, quiz):
    attempt = start(client, quiz)
    key = key_of(attempt, "multiple")
    client.post(f"{quiz.url}attempt/1/", qf.answers_post(attempt, keys={key}))
    assert QuizAttempt.objects.get(pk=attempt.pk).answers[key]
    client.post(f"{quiz.url}attempt/1/", {f"q-{key}": "", "action": "save"})
    assert QuizAttempt.objects.get(pk=attempt.pk).answers[key] == []


def test_a_rejected_answer_keeps_what_was_typed_and_points_to_the_error(client, quiz):
    attempt = start(client, quiz)
    numeric, text = key_of(attempt, "numeric"), key_of(attempt, "text")
    data = qf.answers_post(attempt, right=True)
    data[f"q-{numeric}"] = "двадцять"
    data[f"q-{text}"] = "мій текст"
    response = client.post(f"{quiz.url}attempt/1/", data)
    assert response.status_code == 200
    html = html_of(response)
    assert 'value="двадцять"' in html
    assert 'value="мій текст"' in html
    assert 'class="error-summary" role="alert"' in html
    assert f'href="#q-{numeric}-answer"' in html
    assert f'id="q-{numeric}-error"' in html
    assert f'aria-describedby="q-{numeric}-hint q-{numeric}-error"' in html
    assert 'aria-invalid="true"' in html
    assert QuizAttempt.objects.get(pk=attempt.pk).answers == {}


@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_number_of_a_million_digits_is_refused_with_the_range(client, quiz, action):
    # Nine characters, «1E-999999», were stored and rendered as a 1 MB page.
    attempt = start(client, quiz)
    numeric = key_of(attempt, "numeric")
    data = qf.answers_post(attempt, right=True, action=action)
    data[f"q-{numeric}"] = "1E-999999"
    response = client.post(f"{quiz.url}attempt/1/", data)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    message = qf.tr(
        "Enter a number smaller than %(limit)s in size, with at most "
        "%(places)s digits after the decimal point.",
        limit="1 000 000 000 000 000",
        places=10,
    )
    assert message in text_of(response)
    assert 'value="1E-999999"' in html_of(response)  # kept as typed
    stored = QuizAttempt.objects.get(pk=attempt.pk)
    assert stored.answers == {} and stored.is_open


def test_a_huge_number_stored_before_the_limit_shows_compactly(client, quiz):
    attempt = start(client, quiz)
    numeric = key_of(attempt, "numeric")
    QuizAttempt.objects.filter(pk=attempt.pk).update(answers={numeric: "1E-999999"})
    response = client.post(f"{quiz.url}attempt/1/", SUBMIT_ANYWAY)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert "1E-999999" in html_of(response)


def test_submitting_grades_and_shows_the_result(client, quiz, learner):
    attempt = start(client, quiz)
    data = qf.answers_post(attempt, right=True, action="submit")
    response = client.post(f"{quiz.url}attempt/1/", data)
    # One round trip: the answer to the submit is the result page itself,
    # carrying the result's own address for the browser's address bar.
    assert response.status_code == 200
    result_url = f"{quiz.url}attempt/1/result/"
    html = response.content.decode()
    assert f'data-result-url="{result_url}"' in html
    assert "quiz_result.js" in html
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    assert graded.status == "submitted"
    assert graded.passed is True
    expected = qf.tr(
        "Your result: %(percent)s%% (%(score)s of %(total)s points). "
        "The pass mark is %(mark)s%%.",
        percent=100,
        score=7,
        total=7,
        mark=70,
    )
    assert expected in text_of(response)
    later = client.get(result_url)
    assert expected in text_of(later)
    assert "quiz_result.js" not in later.content.decode()  # already at its address
    assert Completion.objects.filter(learner=learner, page_id=quiz.pk).exists()


def test_a_second_submit_returns_the_same_result_and_grades_once(client, quiz):
    attempt = start(client, quiz)
    right = qf.answers_post(attempt, right=True, action="submit")
    wrong = qf.answers_post(attempt, right=False, action="submit")
    first = client.post(f"{quiz.url}attempt/1/", right)
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    rows = QuestionResult.objects.filter(attempt=attempt).count()
    for data in (right, wrong, {"action": "submit"}):  # double click, back, tab
        again = client.post(f"{quiz.url}attempt/1/", data)
        assert again.status_code == 200
        assert qf.without_csrf(text_of(again)) == qf.without_csrf(text_of(first))
    after = QuizAttempt.objects.get(pk=attempt.pk)
    assert (after.score, after.closed_at, after.answers) == (
        graded.score,
        graded.closed_at,
        graded.answers,
    )
    assert rows == 7
    assert QuestionResult.objects.filter(attempt=attempt).count() == rows


def test_saving_to_a_closed_attempt_is_refused(client, quiz):
    attempt = start(client, quiz)
    client.post(f"{quiz.url}attempt/1/", SUBMIT_ANYWAY)
    data = qf.answers_post(attempt, right=True)
    response = client.post(f"{quiz.url}attempt/1/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"{quiz.url}attempt/1/result/"
    closed = qf.tr("This attempt is closed; answers cannot change.")
    assert closed in text_of(response)
    autosave = client.post(f"{quiz.url}attempt/1/save/", data)
    assert autosave.status_code == 409
    assert "saved" not in autosave.json()
    assert QuizAttempt.objects.get(pk=attempt.pk).answers == {}


def test_the_attempt_page_of_a_closed_attempt_leads_to_its_result(client, quiz):
    start(client, quiz)
    open_result = client.get(f"{quiz.url}attempt/1/result/")
    assert open_result["Location"] == f"{quiz.url}attempt/1/"
    client.post(f"{quiz.url}attempt/1/", SUBMIT_ANYWAY)
    closed = client.get(f"{quiz.url}attempt/1/")
    assert closed["Location"] == f"{quiz.url}attempt/1/result/"


def test_autosave_answers_only_whether_and_when_it_saved(client, quiz):
    attempt = start(client, quiz)
    response = client.post(
        f"{quiz.url}attempt/1/save/", qf.answers_post(attempt, right=True)
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"saved", "saved_at"}
    assert body["saved"] is True
    saved = QuizAttempt.objects.get(pk=attempt.pk)
    assert body["saved_at"] == saved.answers_saved_at.isoformat()
    assert len(saved.answers) == 7


def test_autosave_reports_rejected_answers_by_question(client, quiz):
    attempt = start(client, quiz)
    key = key_of(attempt, "single")
    response = client.post(f"{quiz.url}attempt/1/save/", {f"q-{key}": "abc"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {key}


# Forged, replayed and out-of-range posts ---------------------------------------


def forged_posts(attempt, other) -> dict:
    """Name → (field, value) pairs nobody's form sends."""
    single = snapshot_of(attempt, "single")
    matching = snapshot_of(attempt, "matching")
    ordering = snapshot_of(attempt, "ordering")
    foreign_option = snapshot_of(other, "single")["options"][0]["id"]
    s, m, o = single["key"], matching["key"], ordering["key"]
    left, right = matching["left"][0]["id"], matching["right"][0]["id"]
    item = ordering["items"][0]["id"]
    return {
        "question not in the attempt": ("q-q987654", "1"),
        "question of another quiz": (f"q-{snapshot_of(other, 'text')['key']}", "x"),
        "option of another question": (f"q-{s}", str(foreign_option)),
        "non-numeric option id": (f"q-{s}", "первий"),
        "negative option id": (f"q-{s}", "-5"),
        "huge option id": (f"q-{s}", "9" * 40),
        "NUL in an option id": (f"q-{s}", f"{single['options'][0]['id']}\x00"),
        "NUL in a text answer": (f"q-{key_of(attempt, 'text')}", "від\x00повідь"),
        "NUL in a question key": ("q-q1\x00", "1"),
        "overflowing number": (f"q-{key_of(attempt, 'numeric')}", "1e999999999999"),
        "not a number": (f"q-{key_of(attempt, 'numeric')}", "NaN"),
        "true/false neither": (f"q-{key_of(attempt, 'truefalse')}", "maybe"),
        "unknown matching item": (f"q-{m}-{left + 999_999}", str(right)),
        "unknown matching partner": (f"q-{m}-{left}", "123"),
        "matching without an item": (f"q-{m}", "1"),
        "ordering position 0": (f"q-{o}-{item}", "0"),
        "ordering position past the end": (f"q-{o}-{item}", "99"),
        "unknown ordering item": (f"q-{o}-1", "1"),
        "text too long": (f"q-{key_of(attempt, 'text')}", "я" * 501),
    }  # fmt: skip


FORGERIES = [
    "question not in the attempt",
    "question of another quiz",
    "option of another question",
    "non-numeric option id",
    "negative option id",
    "huge option id",
    "NUL in an option id",
    "NUL in a text answer",
    "NUL in a question key",
    "overflowing number",
    "not a number",
    "true/false neither",
    "unknown matching item",
    "unknown matching partner",
    "matching without an item",
    "ordering position 0",
    "ordering position past the end",
    "unknown ordering item",
    "text too long",
]


@pytest.fixture
def other_attempt(tree, learner):
    other = qf.make_quiz(tree.modules[0])
    qf.add_one_of_each(other)
    return start_attempt(learner=learner, quiz=other)


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("action", ["save", "submit", "autosave"])
def test_forged_and_out_of_range_answers_are_rejected(
    client, quiz, other_attempt, forgery, action
):
    attempt = start(client, quiz)
    name, value = forged_posts(attempt, other_attempt)[forgery]
    honest = qf.answers_post(attempt, right=True, action=action)
    data = {**honest, name: value}
    url = f"{quiz.url}attempt/1/" + ("save/" if action == "autosave" else "")
    response = client.post(url, data)
    if action == "autosave":
        assert response.status_code == 400
        assert response.json()["errors"]
    else:
        assert response.status_code == 200
        assert 'class="error-summary"' in html_of(response)
    after = QuizAttempt.objects.get(pk=attempt.pk)
    assert after.is_open
    assert after.answers == {}  # all or nothing: the honest answers wait too
    assert not QuestionResult.objects.filter(attempt=attempt).exists()


def test_fields_other_than_answers_are_ignored(client, quiz):
    attempt = start(client, quiz)
    data = {
        **qf.answers_post(attempt, right=True),
        "score": "100",
        "passed": "true",
        "status": "submitted",
        "learner": "1",
    }
    assert client.post(f"{quiz.url}attempt/1/", data).status_code == 302
    after = QuizAttempt.objects.get(pk=attempt.pk)
    assert after.is_open
    assert after.score is None


# Outline and preview -------------------------------------------------------------


def test_the_course_outline_marks_a_quiz_step(client, quiz, tree):
    html = html_of(client.get(tree.lessons[0].url))
    assert f'href="{quiz.url}"' in html
    assert 'class="step-kind"' in html


def test_the_admin_preview_shows_every_question_of_the_pool(quiz):
    quiz.draw_count = 3
    revision = quiz.save_revision()
    client = Client()
    client.force_login(factories.make_superuser())
    url = reverse("wagtailadmin_pages:revisions_view", args=[quiz.pk, revision.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<fieldset") == 7
    assert html.count(" disabled") == 2
    assert "csrfmiddlewaretoken" not in html.split('class="quiz-form"')[1]
    assert qf.trn(
        "The test has %(counter)s question.",
        "The test has %(counter)s questions.",
        3,
    ) in text_of_html(html)
    assert not QuizAttempt.objects.exists()


def test_the_landing_page_lists_only_the_learners_own_attempts(client, quiz, tree):
    other = factories.make_user()
    enrol(learner=other, course=tree.course)
    for learner in (other, other):
        attempt = start_attempt(learner=learner, quiz=quiz)
        submit_attempt(attempt_id=attempt.pk, learner=learner, raw={})
    text = text_of(client.get(quiz.url))
    assert 'id="quiz-history-heading"' not in text
    assert (
        qf.trn(
            "You have %(counter)s attempt left.",
            "You have %(counter)s attempts left.",
            3,
        )
        in text
    )


def test_a_quiz_not_yet_saved_previews_without_questions(tree):
    unsaved = QuizPage(title="Новий тест", slug="new-quiz", intro="<p>Вступ</p>")
    response = unsaved.make_preview_request()
    assert response.status_code == 200
    text = qf.page_text(response)
    assert qf.tr("This test has no questions yet.") in text
    assert "Вступ" in text


# Unanswered questions ------------------------------------------------------------


def test_submitting_with_unanswered_questions_asks_first_and_keeps_the_answers(
    client, quiz
):
    attempt = start(client, quiz)
    skipped = [key_of(attempt, "text"), key_of(attempt, "ordering")]
    answered = [key for key in attempt.question_keys() if key not in skipped]
    data = qf.answers_post(attempt, right=True, action="submit", keys=set(answered))
    response = client.post(f"{quiz.url}attempt/1/", data)

    assert response.status_code == 200
    still = QuizAttempt.objects.get(pk=attempt.pk)
    assert still.is_open
    assert not QuestionResult.objects.filter(attempt=attempt).exists()
    # The answers given are saved: going back loses nothing.
    assert set(still.answers) == set(answered)
    html = html_of(response)
    text = text_of(response)
    assert qf.tr("Some questions have no answer") in text
    assert (
        qf.trn(
            "%(counter)s question of %(total)s has no answer",
            "%(counter)s questions of %(total)s have no answer",
            2,
            total=7,
        )
        in text
    )
    numbers = {key: n for n, key in enumerate(attempt.question_keys(), 1)}
    form_url = f"{quiz.url}attempt/1/"
    for key in skipped:
        link = f'<a href="{form_url}#q-{key}">'
        assert link in html
        label = qf.tr("Question %(number)s", number=numbers[key])
        assert f"{link}{label}</a>" in html
    for key in answered:
        assert f"#q-{key}" not in html
    assert qf.tr("Back to the answers") in text
    assert qf.tr("Submit anyway") in text
    assert 'name="confirm" value="1"' in html

    back = client.get(form_url)
    assert html_of(back).count(" checked") == 4  # the answers return to the form

    graded = client.post(form_url, SUBMIT_ANYWAY)
    assert graded.status_code == 200
    closed = QuizAttempt.objects.get(pk=attempt.pk)
    assert closed.status == "submitted"
    assert closed.score == 5  # the five questions answered, right
    assert QuestionResult.objects.filter(attempt=attempt).count() == 7


def test_an_attempt_with_nothing_answered_is_not_graded_without_confirmation(
    client, quiz
):
    attempt = start(client, quiz)
    response = client.post(f"{quiz.url}attempt/1/", {"action": "submit"})
    assert response.status_code == 200
    assert QuizAttempt.objects.get(pk=attempt.pk).is_open
    assert qf.trn(
        "%(counter)s question of %(total)s has no answer",
        "%(counter)s questions of %(total)s have no answer",
        7,
        total=7,
    ) in text_of(response)
    client.post(f"{quiz.url}attempt/1/", SUBMIT_ANYWAY)
    closed = QuizAttempt.objects.get(pk=attempt.pk)
    assert closed.status == "submitted"
    assert closed.score == 0


def test_a_fully_answered_attempt_is_graded_without_asking(client, quiz):
    attempt = start(client, quiz)
    data = qf.answers_post(attempt, right=True, action="submit")
    response = client.post(f"{quiz.url}attempt/1/", data)
    assert qf.tr("Some questions have no answer") not in text_of(response)
    assert QuizAttempt.objects.get(pk=attempt.pk).status == "submitted"


@pytest.mark.parametrize("late", [timedelta(seconds=1), timedelta(minutes=5)])
def test_when_the_time_is_up_the_submit_does_not_ask(client, tree, late):
    quiz = qf.make_quiz(tree.modules[0], time_limit_minutes=10)
    qf.add_one_of_each(quiz)
    attempt = start(client, quiz)
    key = key_of(attempt, "single")
    client.post(f"{quiz.url}attempt/1/", qf.answers_post(attempt, keys={key}))
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - late, started_at=timezone.now() - late * 2
    )
    response = client.post(f"{quiz.url}attempt/1/", {"action": "submit"})
    assert response.status_code == 200
    assert qf.tr("Some questions have no answer") not in text_of(response)
    closed = QuizAttempt.objects.get(pk=attempt.pk)
    assert not closed.is_open
    assert closed.score == 1  # the answer saved in time


def test_a_rejected_answer_on_submit_shows_the_form_not_the_question(client, quiz):
    attempt = start(client, quiz)
    numeric = key_of(attempt, "numeric")
    data = qf.answers_post(attempt, right=True, action="submit", keys={numeric})
    data[f"q-{numeric}"] = "двадцять"
    response = client.post(f"{quiz.url}attempt/1/", data)
    assert 'class="error-summary" role="alert"' in html_of(response)
    assert qf.tr("Some questions have no answer") not in text_of(response)
    assert QuizAttempt.objects.get(pk=attempt.pk).answers == {}


# Wording ---------------------------------------------------------------------------


def test_a_true_false_statement_is_answered_true_or_false(client, tree):
    quiz = qf.make_quiz(tree.modules[0], marks_after_each_attempt=True)
    qf.add_truefalse(quiz, correct=True, text="Земля обертається навколо Сонця.")
    attempt = start(client, quiz)
    page = client.get(f"{quiz.url}attempt/1/")
    labels = re.findall(r'<label for="q-[^"]+">([^<]+)</label>', html_of(page))
    assert labels == ["Правда", "Неправда"]
    data = qf.answers_post(attempt, right=True, action="submit")
    result = re.sub(r"<[^>]+>", "", text_of(client.post(f"{quiz.url}attempt/1/", data)))
    assert "Правильно · 1 бал з 1" in result
    assert "Правильно: " not in result and "Балів:" not in result
    assert "Ваша відповідь\nПравда" in result
