"""Times a 30-question quiz attempt against a plain Wagtail page, in one run.

Usage: python bench/quiz_submit.py [--runs N] [--warmup N]

It builds its own SQLite database under var/bench/ (or uses DATABASE_URL),
migrates, seeds the demo course, adds a 30-question quiz of every type and
one enrolled learner per run, then drives each attempt through the test
client: start → save the answers → submit, which grades and answers with the
result page → the result page opened again later. Forms are posted as a
browser posts them (application/x-www-form-urlencoded). The figure that
counts is the submit, as a ratio to the plain page requested by the same
signed-in learner (like for like: both load the session and the user and
check the Wagtail user bar); the ratio to the anonymous plain page is printed
too. The plain page is timed in every run, just before the attempt, so both
sides of a ratio see the same machine.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = 30
STEPS = (
    "start",
    "save answers",
    "submit: grade and show the result",
    "result page again",
)
FORM = "application/x-www-form-urlencoded"
PLAIN_ANONYMOUS = "plain Wagtail page (anonymous GET)"
PLAIN_SIGNED_IN = "plain Wagtail page (the same learner)"


def _setup_django() -> None:
    from bench.environment import setup_django

    setup_django("quiz_submit")


def _question_specs(count: int) -> list[dict]:
    """The demo's questions, all types mixed, repeated up to ``count``."""
    from content.demo.quiz_text import FINAL_TEST, MODULE_QUIZZES

    pool = [q for quiz in MODULE_QUIZZES.values() for q in quiz["questions"]]
    pool += FINAL_TEST["questions"]
    return [pool[n % len(pool)] for n in range(count)]


def _bench_quiz():
    """A quiz of 30 questions showing every answer on the result page."""
    from content.demo.quizzes import add_questions
    from courses.models import ModulePage, QuizPage

    module = ModulePage.objects.live().order_by("path").first()
    quiz = QuizPage(
        title="Тест для вимірювання",
        slug="bench-quiz",
        required=False,
        max_attempts=0,
        shuffle_options=True,
        answers_shown=QuizPage.AnswersShown.AFTER_EACH,
    )
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    add_questions(quiz=quiz, specs=_question_specs(QUESTIONS))
    return QuizPage.objects.get(pk=quiz.pk)


def _learners(course, count: int) -> list:
    from django.contrib.auth import get_user_model

    from courses.progress import enrol

    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"bench-quiz-{n}@example.org", password="!")  # noqa: S106
        for n in range(count)
    )
    for user in users:
        enrol(learner=user, course=course)
    return users


def form_data(questions: list[dict]) -> dict:
    """The answer form as a browser posts it, every answer right."""
    from content.demo.quizzes import right_answer

    data = {}
    for question in questions:
        name, answer = f"q-{question['key']}", right_answer(question)
        if question["type"] == "matching":
            data.update({f"{name}-{left}": str(r) for left, r in answer.items()})
        elif question["type"] == "ordering":
            data.update({f"{name}-{item}": str(n) for n, item in enumerate(answer, 1)})
        elif isinstance(answer, list):
            data[name] = [str(value) for value in answer]
        else:
            data[name] = str(answer)
    return data


def _form(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def _timed(call, expected: int):
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    if response.status_code != expected:
        raise SystemExit(f"answered {response.status_code}, expected {expected}")
    return elapsed, response


def run_attempt(client, quiz, learner, *, anonymous=None, plain_url=None) -> dict:
    """One attempt from start to result; the seconds each step took.

    With ``plain_url`` the plain page is timed in the same run, right before
    the attempt: once for the same signed-in learner and once for an
    anonymous visitor (``anonymous``, a client without a session).
    """
    from courses.models import QuizAttempt

    client.force_login(learner)
    base = quiz.url
    times = {}
    if plain_url:
        times[PLAIN_ANONYMOUS], _ = _timed(lambda: anonymous.get(plain_url), 200)
        times[PLAIN_SIGNED_IN], _ = _timed(lambda: client.get(plain_url), 200)
    times["start"], _ = _timed(lambda: client.post(f"{base}start/"), 302)
    attempt = QuizAttempt.objects.get(learner=learner, quiz=quiz)
    url = f"{base}attempt/{attempt.number}/"
    data = form_data(attempt.questions)
    save = _form({**data, "action": "save"})
    submit = _form({**data, "action": "submit"})
    times["save answers"], _ = _timed(
        lambda: client.post(url, save, content_type=FORM), 302
    )
    times[STEPS[2]], response = _timed(
        lambda: client.post(url, submit, content_type=FORM), 200
    )
    if f'data-result-url="{url}result/"'.encode() not in response.content:
        raise SystemExit("the submit did not answer with the result page")
    times[STEPS[3]], _ = _timed(lambda: client.get(f"{url}result/"), 200)
    attempt.refresh_from_db()
    if not attempt.passed or len(attempt.questions) != QUESTIONS:
        raise SystemExit(f"attempt not graded as expected: {attempt.percent} %")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    if args.runs < 50:
        parser.error("use at least 50 runs")
    _setup_django()

    from django.core.management import call_command
    from django.test import Client

    from bench.scenarios import _plain_page

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, allow_production=True)
    quiz = _bench_quiz()
    learners = _learners(quiz.course, args.warmup + args.runs)
    plain_url = _plain_page().url
    client, anonymous = Client(), Client()
    for learner in learners[: args.warmup]:  # warm caches and templates
        run_attempt(client, quiz, learner, anonymous=anonymous, plain_url=plain_url)
    runs = [
        run_attempt(client, quiz, learner, anonymous=anonymous, plain_url=plain_url)
        for learner in learners[args.warmup :]
    ]
    _report(runs)


def _report(runs: list[dict]) -> None:
    medians = {step: statistics.median(run[step] for run in runs) for step in runs[0]}
    plain, plain_signed_in = medians[PLAIN_ANONYMOUS], medians[PLAIN_SIGNED_IN]
    target = medians[STEPS[2]]
    # Each run's own ratio, so that a slow moment weighs on both sides alike.
    per_run = sorted(run[STEPS[2]] / run[PLAIN_SIGNED_IN] for run in runs)
    whole = statistics.median(sum(run[step] for step in STEPS) for run in runs)
    print(f"{QUESTIONS}-question attempt, {len(runs)} runs; medians")
    print(f"{'step':44} {'median ms':>10} {'× anon':>7} {'× signed-in':>12}")
    rows = [(name, medians[name]) for name in (PLAIN_ANONYMOUS, PLAIN_SIGNED_IN)]
    rows += [(f"quiz: {step}", medians[step]) for step in STEPS]
    rows += [("quiz: the whole attempt (4 requests)", whole)]
    for name, median in rows:
        print(
            f"{name:44} {median * 1000:10.2f} {median / plain:7.2f}"
            f" {median / plain_signed_in:12.2f}"
        )
    quartiles = statistics.quantiles(per_run, n=4)
    print(
        "submit ÷ plain page, same learner, per run: "
        f"median {statistics.median(per_run):.2f}, "
        f"quartiles {quartiles[0]:.2f}–{quartiles[2]:.2f}"
    )
    for baseline, median in (
        ("the plain page for the same signed-in learner", plain_signed_in),
        ("the anonymous plain page", plain),
    ):
        verdict = "within" if target <= 2 * median else "OVER"
        print(
            f"submit, grade and show the result = {target / median:.2f}× "
            f"{baseline}: {verdict} 2×"
        )


if __name__ == "__main__":
    main()
