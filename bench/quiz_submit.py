"""Times a 30-question quiz attempt against a plain Wagtail page, in one run.

Usage: python bench/quiz_submit.py [--runs N]

It builds its own SQLite database under var/bench/ (or uses DATABASE_URL),
migrates, seeds the demo course, adds a 30-question quiz of every type and
one enrolled learner per run, then drives each attempt through the test
client: start → save the answers → submit, which grades and answers with the
result page → the result page opened again later. Forms are posted as a
browser posts them (application/x-www-form-urlencoded). The figure that
counts is the submit, as a ratio to the plain page; the plain page is timed
both anonymous and for a signed-in learner.
"""

import argparse
import os
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


def _setup_django() -> None:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db = bench_dir / "quiz_submit.sqlite3"
    if db.exists() and "DATABASE_URL" not in os.environ:
        db.unlink()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.bench")
    import django

    django.setup()


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


def run_attempt(client, quiz, learner) -> dict[str, float]:
    """One attempt from start to result; the seconds each step took."""
    from courses.models import QuizAttempt

    client.force_login(learner)
    base = quiz.url
    times = {}
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


def _plain_median(client, url: str, runs: int, learner=None) -> float:
    client.logout()
    if learner is not None:
        client.force_login(learner)
    samples = []
    for _ in range(runs):
        elapsed, _response = _timed(lambda: client.get(url), 200)
        samples.append(elapsed)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
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
    learners = _learners(quiz.course, args.warmup + args.runs + 1)
    reader = learners.pop()  # signs in for the plain page; takes no quiz
    plain_url = _plain_page().url
    client = Client()

    _plain_median(client, plain_url, 20)  # warm caches and templates
    _plain_median(client, plain_url, 20, reader)
    for learner in learners[: args.warmup]:
        run_attempt(client, quiz, learner)
    plain = _plain_median(client, plain_url, args.runs)
    plain_signed_in = _plain_median(client, plain_url, args.runs, reader)
    runs = [run_attempt(client, quiz, learner) for learner in learners[args.warmup :]]
    _report(plain, plain_signed_in, runs)


def _report(plain: float, plain_signed_in: float, runs: list[dict]) -> None:
    medians = {step: statistics.median(run[step] for run in runs) for step in STEPS}
    target = medians[STEPS[2]]
    whole = statistics.median(sum(run.values()) for run in runs)
    print(f"{QUESTIONS}-question attempt, {len(runs)} runs; medians")
    print(f"{'step':44} {'median ms':>10} {'× anon':>7} {'× signed-in':>12}")
    rows = [
        ("plain Wagtail page (anonymous GET)", plain),
        ("plain Wagtail page (signed-in learner)", plain_signed_in),
    ]
    rows += [(f"quiz: {step}", medians[step]) for step in STEPS]
    rows += [("quiz: the whole attempt (4 requests)", whole)]
    for name, median in rows:
        print(
            f"{name:44} {median * 1000:10.2f} {median / plain:7.2f}"
            f" {median / plain_signed_in:12.2f}"
        )
    verdict = "within" if target <= 2 * plain else "OVER"
    print(
        f"submit, grade and show the result = {target / plain:.2f}× the anonymous "
        f"plain page: {verdict} 2×"
    )


if __name__ == "__main__":
    main()
