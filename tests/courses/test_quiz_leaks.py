"""Correct answers never reach the browser before an attempt is closed.

The quiz under test has every question type with distinctive answers. Every
response an in-progress attempt produces is searched for them, and the form
of two quizzes that differ only in which answers are right must render the
same. After submission the result shows them only as the policy allows.
"""

import random
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import QuizAttempt
from courses.quizzes.attempts import public_questions
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db

# Texts that only the correct answers, feedback and explanations contain.
SECRETS = [
    "секретна-відповідь",
    "ДРУГА-ПРИЙНЯТНА",
    "271828",
    "0.0314",
    "0,0314",
    "ПОЯСНЕННЯ",
    "ВІДГУК",
]
# Words that would mark an answer in markup or JSON.
MARKERS = ["correct", "accept", "explanation", "feedback", "solution", "tolerance"]


def build_secret_quiz(parent, variant="a", **settings):
    """Every question type; variant "b" differs only in which answers are right."""
    b = variant == "b"
    quiz = qf.make_quiz(parent, title="Секретний тест", **settings)
    qf.add_single(
        quiz,
        text="Яка відповідь правильна?",
        explanation="ПОЯСНЕННЯ-ОДИНОЧНЕ",
        options=[
            ("ПРАВИЛЬНА-ВІДПОВІДЬ-7731", not b, "ВІДГУК-ПЕРШИЙ"),
            ("Хибна відповідь один", b, "ВІДГУК-ДРУГИЙ"),
            ("Хибна відповідь два", False, ""),
        ],
    )
    qf.add_multiple(
        quiz,
        text="Які варіанти правильні?",
        explanation="ПОЯСНЕННЯ-МНОЖИННЕ",
        options=[
            ("Варіант Альфа", not b, "ВІДГУК-АЛЬФА"),
            ("Варіант Бета", True, ""),
            ("Варіант Гамма", b, "ВІДГУК-ГАММА"),
        ],
    )
    qf.add_truefalse(
        quiz,
        text="Твердження істинне?",
        correct=not b,
        explanation="ПОЯСНЕННЯ-ІСТИНА",
        feedback_true="ВІДГУК-ТАК",
        feedback_false="ВІДГУК-НІ",
    )
    qf.add_text(
        quiz,
        text="Напишіть слово.",
        explanation="ПОЯСНЕННЯ-ТЕКСТ",
        accepted=["інша-секретна"] if b else ["секретна-відповідь", "ДРУГА-ПРИЙНЯТНА"],
    )
    qf.add_numeric(
        quiz,
        text="Яке число?",
        explanation="ПОЯСНЕННЯ-ЧИСЛО",
        value="314159" if b else "271828",
        tolerance="0.0314",
    )
    rights = ["Права-Х", "Права-Y", "Права-Z"]
    if b:
        rights = rights[1:] + rights[:1]
    qf.add_matching(
        quiz,
        text="Зіставте.",
        explanation="ПОЯСНЕННЯ-ПАРИ",
        pairs=list(zip(["Ліва-1", "Ліва-2", "Ліва-3"], rights, strict=True)),
    )
    stages = ["Етап-А", "Етап-Б", "Етап-В", "Етап-Г"]
    qf.add_ordering(
        quiz,
        text="Упорядкуйте.",
        explanation="ПОЯСНЕННЯ-ПОРЯДОК",
        items=stages[::-1] if b else stages,
    )
    return quiz


@pytest.fixture
def tree():
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def quiz(tree):
    return build_secret_quiz(tree.modules[0])


@pytest.fixture
def learner(tree):
    return qf.enrolled_learner(tree.course)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


text_of = qf.page_text


def main_of(html: str) -> str:
    match = re.search(r"<main.*?</main>", html, re.S)
    return match.group(0) if match else html


def assert_no_answers(label: str, body: str, *, allow_rules=False):
    lower = body.lower()
    for secret in SECRETS:
        assert secret.lower() not in lower, f"{label}: {secret!r} leaked"
    main = main_of(body)
    for tag in re.findall(r"<[^>]+>", main):
        for marker in MARKERS:
            assert marker not in tag.lower(), f"{label}: {marker!r} in {tag}"
    if not allow_rules:
        # Only the rules ("the correct answers are shown …") may use the word.
        assert "correct" not in main.lower(), label


def in_progress_responses(quiz, learner):
    """Every response an in-progress attempt produces, by name."""
    client, base = client_for(learner), quiz.url
    seen = {
        "landing, anonymous": Client().get(base),
        "landing, enrolled": client.get(base),
        "start": client.post(base + "start/"),
    }
    attempt = QuizAttempt.objects.get(learner=learner, quiz=quiz)
    keys = {q["type"]: q["key"] for q in attempt.questions}
    wrong = qf.answers_post(attempt, right=False)
    bad = {**wrong, f"q-{keys['numeric']}": "abc", f"q-{keys['single']}": "-1"}
    seen |= {
        "attempt": client.get(base + "attempt/1/"),
        "save": client.post(base + "attempt/1/", wrong),
        "attempt after save": client.get(base + "attempt/1/"),
        "save rejected": client.post(base + "attempt/1/", bad),
        "submit rejected": client.post(
            base + "attempt/1/", {**bad, "action": "submit"}
        ),
        "unknown question": client.post(base + "attempt/1/", {"q-q1": "1"}),
        "autosave": client.post(base + "attempt/1/save/", wrong),
        "autosave rejected": client.post(base + "attempt/1/save/", bad),
        "autosave unknown attempt": client.post(base + "attempt/7/save/", wrong),
        "result while open": client.get(base + "attempt/1/result/"),
        "landing, attempt open": client.get(base),
        "start again": client.post(base + "start/"),
    }  # fmt: skip
    return seen


def test_no_response_of_an_open_attempt_contains_a_correct_answer(quiz, learner):
    responses = in_progress_responses(quiz, learner)
    assert responses["save rejected"].status_code == 200
    assert responses["autosave rejected"].status_code == 400
    assert responses["autosave"].json()["saved"] is True
    for label, response in responses.items():
        assert_no_answers(label, text_of(response), allow_rules="landing" in label)
    assert QuizAttempt.objects.get(learner=learner).is_open


def test_json_of_an_open_attempt_says_nothing_but_saved_or_errors(quiz, learner):
    responses = in_progress_responses(quiz, learner)
    for label in ("autosave", "autosave rejected", "autosave unknown attempt"):
        body = responses[label].json()
        assert set(body) <= {"saved", "saved_at", "errors"}, label
        for message in body.get("errors", {}).values():
            assert isinstance(message, str)


def test_the_preview_contains_no_correct_answer(quiz):
    client = client_for(factories.make_superuser())
    url = reverse(
        "wagtailadmin_pages:revisions_view", args=[quiz.pk, quiz.latest_revision_id]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "ПРАВИЛЬНА-ВІДПОВІДЬ-7731" in response.content.decode()
    assert_no_answers("preview", text_of(response), allow_rules=True)


def normalised_form(html: str, quiz) -> list[str]:
    """The quiz form's lines, sorted, with ids, numbers and the URL left out."""
    form = re.search(r'<form class="quiz-form".*?</form>', html, re.S).group(0)
    form = form.replace(quiz.url, "URL")
    form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", form)
    form = re.sub(r"\d+", "#", form)
    return sorted(line.strip() for line in form.splitlines() if line.strip())


def test_quizzes_differing_only_in_their_answers_render_the_same_form(tree):
    """Nothing in the markup tells a right option from a wrong one."""
    twins = [build_secret_quiz(tree.modules[0], variant) for variant in "ab"]
    learner = qf.enrolled_learner(tree.course)
    client = client_for(learner)
    forms = []
    for quiz in twins:
        client.post(quiz.url + "start/")
        forms.append(
            normalised_form(client.get(quiz.url + "attempt/1/").content.decode(), quiz)
        )
    assert forms[0] == forms[1]
    admin = client_for(factories.make_superuser())
    previews = [
        normalised_form(
            admin.get(
                reverse(
                    "wagtailadmin_pages:revisions_view",
                    args=[quiz.pk, quiz.latest_revision_id],
                )
            ).content.decode(),
            quiz,
        )
        for quiz in twins
    ]  # fmt: skip
    assert previews[0] == previews[1]


def recovers(ids: list[int], solution: list[int]) -> bool:
    """Whether sorting the public ids by some obvious key yields the solution."""
    keys = [lambda i: i, *(lambda i, m=m: i & m for m in (7, 15, 31, 63, 127))]
    return any(sorted(ids, key=key) == solution for key in keys)


def test_matching_and_ordering_ids_do_not_reveal_the_solution(tree):
    matching = qf.add_matching(
        qf.make_quiz(tree.modules[0]),
        pairs=[(f"Л{n}", f"П{n}") for n in range(5)],
    )
    ordering = qf.add_ordering(
        qf.make_quiz(tree.modules[0]), items=[f"Крок {n}" for n in range(5)]
    )
    rng = random.Random(20261025)
    draws, hits = 300, {"matching": 0, "ordering": 0}
    for _ in range(draws):
        full = matching.snapshot(rng=rng)
        public = public_questions(QuizAttempt(questions=[full]))[0]
        solution = [full["match"][str(left["id"])] for left in public["left"]]
        hits["matching"] += recovers([r["id"] for r in public["right"]], solution)
        full = ordering.snapshot(rng=rng)
        public = public_questions(QuizAttempt(questions=[full]))[0]
        hits["ordering"] += recovers([i["id"] for i in public["items"]], full["order"])
    # By chance, six keys over 5! orders: about 5 % of draws.
    assert hits["matching"] < draws * 0.15
    assert hits["ordering"] < draws * 0.15


# After submission: only as the policy allows ------------------------------------


def finish(client, quiz, *, right: bool) -> str:
    """Starts an attempt, submits it right or wrong; the result page's HTML.

    The submit answers with the result; opened again later, the result page
    shows exactly the same.
    """
    started = client.post(quiz.url + "start/")
    attempt_url = started["Location"]
    attempt = QuizAttempt.objects.filter(quiz=quiz, status="in_progress").get()
    response = client.post(
        attempt_url, qf.answers_post(attempt, right=right, action="submit")
    )
    assert response.status_code == 200
    html = response.content.decode()
    later = client.get(f"{attempt_url}result/").content.decode()
    assert qf.without_csrf(main_of(later)) == qf.without_csrf(main_of(html))
    assert "<main" in html
    return html


def shows_answers(html: str) -> bool:
    return all(
        text in html
        for text in ("секретна-відповідь", "271828", "ПОЯСНЕННЯ-ЧИСЛО", "Ліва-1 → ")
    )


def test_policy_never_shows_no_answers_even_after_the_last_attempt(tree, learner):
    quiz = build_secret_quiz(tree.modules[0], answers_shown="never", max_attempts=1)
    html = finish(client_for(learner), quiz, right=False)
    assert qf.tr("Not passed") in unescape(html)
    assert not shows_answers(html)
    assert_no_answers("result", html, allow_rules=True)


def test_policy_after_each_shows_answers_feedback_and_explanations(tree, learner):
    quiz = build_secret_quiz(tree.modules[0], answers_shown="after_each")
    html = finish(client_for(learner), quiz, right=False)
    assert shows_answers(html)
    assert "ВІДГУК-ДРУГИЙ" in html  # feedback on the option chosen
    assert "ВІДГУК-ПЕРШИЙ" not in html  # not on options left alone
    assert "ВІДГУК-НІ" in html


def test_policy_after_pass_shows_answers_once_passed(tree, learner):
    quiz = build_secret_quiz(tree.modules[0], answers_shown="after_pass")
    client = client_for(learner)
    failed = finish(client, quiz, right=False)
    assert not shows_answers(failed)
    assert_no_answers("failed result", failed, allow_rules=True)
    assert qf.tr("Your answers") in unescape(failed)
    assert "quiz-review__mark" not in failed
    assert shows_answers(finish(client, quiz, right=True))
    assert shows_answers(client.get(quiz.url + "attempt/1/result/").content.decode())


def test_policy_after_last_shows_answers_when_attempts_run_out(tree, learner):
    quiz = build_secret_quiz(
        tree.modules[0], answers_shown="after_last", max_attempts=2
    )
    client = client_for(learner)
    first = finish(client, quiz, right=False)
    assert not shows_answers(first)
    assert_no_answers("first result", first, allow_rules=True)
    assert shows_answers(finish(client, quiz, right=False))
    assert shows_answers(client.get(quiz.url + "attempt/1/result/").content.decode())


def marks_in(html: str) -> list[str]:
    return re.findall(r"quiz-review__mark--(\w+)", html)


def test_no_answers_or_marks_while_the_last_attempt_is_open(tree, learner):
    # The probe: fail attempts 1 and 2, start attempt 3, open the result of
    # attempt 1 — it showed every correct answer while 3 could be submitted.
    quiz = build_secret_quiz(
        tree.modules[0], answers_shown="after_last", max_attempts=3
    )
    client = client_for(learner)
    finish(client, quiz, right=False)
    finish(client, quiz, right=False)
    started = client.post(quiz.url + "start/")
    for number in (1, 2):
        html = client.get(f"{quiz.url}attempt/{number}/result/").content.decode()
        assert_no_answers(f"result {number}", html, allow_rules=True)
        assert marks_in(html) == []
        assert qf.tr("Your answers") not in unescape(html)  # the score only
    third = QuizAttempt.objects.get(quiz=quiz, status="in_progress")
    submitted = client.post(
        started["Location"], qf.answers_post(third, right=False, action="submit")
    )
    assert shows_answers(submitted.content.decode())  # the last one is closed
    assert shows_answers(client.get(quiz.url + "attempt/1/result/").content.decode())


def test_an_open_attempt_hides_the_answers_of_a_passed_one(tree, learner):
    quiz = build_secret_quiz(tree.modules[0], answers_shown="after_each")
    client = client_for(learner)
    assert shows_answers(finish(client, quiz, right=True))
    client.post(quiz.url + "start/")
    html = client.get(quiz.url + "attempt/1/result/").content.decode()
    assert_no_answers("result while another is open", html, allow_rules=True)


def test_marks_per_question_stay_hidden_with_the_answers_by_default(tree, learner):
    # On a true/false question a ✓ or ✗ is the answer itself.
    quiz = build_secret_quiz(
        tree.modules[0], answers_shown="after_last", max_attempts=3
    )
    html = finish(client_for(learner), quiz, right=False)
    text = unescape(html)
    assert marks_in(html) == []
    for word in ("Right", "Wrong", "Partly right"):
        assert qf.tr_context("quiz answer mark", word) not in text
    assert "Хибна відповідь" in text  # the learner's own answers are shown
    assert_no_answers("result", html, allow_rules=True)


def test_marks_after_each_attempt_show_marks_but_not_the_answers(tree, learner):
    quiz = build_secret_quiz(
        tree.modules[0],
        answers_shown="after_last",
        max_attempts=3,
        marks_after_each_attempt=True,
    )
    html = finish(client_for(learner), quiz, right=False)
    assert len(marks_in(html)) == 7 and "right" not in marks_in(html)
    assert qf.tr("Points for each question") in unescape(html)
    assert_no_answers("result", html, allow_rules=True)
