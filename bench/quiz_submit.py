"""Times a 30-question quiz attempt against a plain Wagtail page, in one run.

Usage: python bench/quiz_submit.py [--runs N]

It builds its own SQLite database under var/bench/ (or uses DATABASE_URL),
migrates, seeds the demo course, adds a 30-question quiz of every type and
one enrolled learner per run, then drives each attempt through the test
client: start → save the answers → submit (grading) → the result page.
The figure that counts is submit + result page, as a ratio to the plain page.
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
STEPS = ("start", "save answers", "submit and grade", "result page")


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
    times["save answers"], _ = _timed(
        lambda: client.post(url, {**data, "action": "save"}), 302
    )
    times["submit and grade"], _ = _timed(
        lambda: client.post(url, {**data, "action": "submit"}), 302
    )
    times["result page"], response = _timed(lambda: client.get(f"{url}result/"), 200)
    attempt.refresh_from_db()
    if not attempt.passed or len(attempt.questions) != QUESTIONS:
        raise SystemExit(f"attempt not graded as expected: {attempt.percent} %")
    return times


def _plain_median(client, url: str, runs: int) -> float:
    client.logout()
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
    learners = _learners(quiz.course, args.warmup + args.runs)
    plain_url = _plain_page().url
    client = Client()

    _plain_median(client, plain_url, 20)  # warm caches and templates
    for learner in learners[: args.warmup]:
        run_attempt(client, quiz, learner)
    plain = _plain_median(client, plain_url, args.runs)
    runs = [run_attempt(client, quiz, learner) for learner in learners[args.warmup :]]
    _report(plain, runs)


def _report(plain: float, runs: list[dict]) -> None:
    medians = {step: statistics.median(run[step] for run in runs) for step in STEPS}
    target = statistics.median(
        run["submit and grade"] + run["result page"] for run in runs
    )
    whole = statistics.median(sum(run.values()) for run in runs)
    print(f"{QUESTIONS}-question attempt, {len(runs)} runs; medians")
    print(f"{'step':40} {'median ms':>10} {'ratio':>7}")
    rows = [("plain Wagtail page (anonymous GET)", plain)]
    rows += [(f"quiz: {step}", medians[step]) for step in STEPS]
    rows += [
        ("quiz: submit and grade + result page", target),
        ("quiz: the whole attempt (4 requests)", whole),
    ]
    for name, median in rows:
        print(f"{name:40} {median * 1000:10.2f} {median / plain:7.2f}")
    verdict = "within" if target <= 2 * plain else "OVER"
    print(f"submit + result = {target / plain:.2f}× the plain page: {verdict} 2×")


if __name__ == "__main__":
    main()
