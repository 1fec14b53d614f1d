"""Creating the questions of a demo quiz, checked by the admin's own rules.

Questions are created live the way a moderator's «publish» creates them
(Wagtail's create action, then publishing its first revision): learners get
only live questions, and each question's history starts there.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from wagtail.actions.create import CreateAction

from content.demo import DemoSeedError
from courses.models import (
    QUESTION_TYPES,
    AnswerOption,
    MatchingPair,
    OrderingItem,
    Question,
    QuizAttempt,
    QuizPage,
)
from courses.quizzes.admin import rules
from courses.quizzes.attempts import start_attempt, submit_attempt

COMMON_KEYS = ("type", "text", "points", "explanation")
ROW_KEYS = ("options", "pairs", "items", "accepted_answers")


def add_questions(*, quiz: QuizPage, specs: list[dict]) -> int:
    """Creates the quiz's questions in the given order; returns how many."""
    for order, spec in enumerate(specs):
        add_question(quiz=quiz, spec=spec, sort_order=order)
    return len(specs)


def add_question(*, quiz: QuizPage, spec: dict, sort_order: int) -> Question:
    model = QUESTION_TYPES[spec["type"]]
    _check(spec)
    question = model(
        quiz=quiz,
        sort_order=sort_order,
        text=spec["text"],
        points=Decimal(spec.get("points", "1")),
        explanation=spec.get("explanation", ""),
        **_type_fields(spec),
    )
    try:
        question.full_clean()
    except ValidationError as error:
        raise DemoSeedError(f"Питання «{spec['text']}»: {error}") from error
    _add_rows(question, spec)
    CreateAction(question, publish=True, clean=False).execute()
    question.refresh_from_db()  # published from its revision: live now
    return question


def _type_fields(spec: dict) -> dict:
    fields = {
        key: value
        for key, value in spec.items()
        if key not in COMMON_KEYS and key not in ROW_KEYS
    }
    if "accepted_answers" in spec:
        fields["accepted_answers"] = "\n".join(spec["accepted_answers"])
    for name in ("correct_value", "tolerance"):
        if name in fields:
            fields[name] = Decimal(fields[name])
    return fields


def _check(spec: dict) -> None:
    """The rules the admin forms apply, so the demo shows what editors can save."""
    kind = spec["type"]
    errors = []
    if kind in ("single", "multiple"):
        correct = [is_correct for _text, is_correct, _feedback in spec["options"]]
        errors = rules.choice_errors(correct, single=kind == "single")
    elif kind == "matching":
        errors = rules.pair_errors(spec["pairs"])
    elif kind == "ordering":
        errors = rules.item_errors(spec["items"])
    elif kind == "text":
        errors = rules.accepted_answer_errors("\n".join(spec["accepted_answers"]))
    elif kind == "numeric":
        errors = rules.tolerance_errors(Decimal(spec.get("tolerance", "0")))
    if errors:
        raise DemoSeedError(f"Питання «{spec['text']}»: {' '.join(errors)}")


def _add_rows(question: Question, spec: dict) -> None:
    """Options, pairs and items, kept in memory until the question is created."""
    if "options" in spec:
        question.options = [
            AnswerOption(sort_order=n, text=text, is_correct=correct, feedback=fb)
            for n, (text, correct, fb) in enumerate(spec["options"])
        ]
    if "pairs" in spec:
        question.pairs = [
            MatchingPair(sort_order=n, left=left, right=right)
            for n, (left, right) in enumerate(spec["pairs"])
        ]
    if "items" in spec:
        question.items = [
            OrderingItem(sort_order=n, text=text)
            for n, text in enumerate(spec["items"])
        ]


def right_answer(question: dict):
    """The right answer to a drawn question, in the form ``parse_answer`` takes."""
    kind = question["type"]
    if kind == "single":
        return next(o["id"] for o in question["options"] if o["correct"])
    if kind == "multiple":
        return [o["id"] for o in question["options"] if o["correct"]]
    if kind == "truefalse":
        return "true" if question["correct"] else "false"
    if kind == "text":
        return question["accepted"][0]
    if kind == "numeric":
        return question["value"]
    if kind == "matching":
        return dict(question["match"])
    return list(question["order"])


def submit_demo_attempt(*, learner, quiz: QuizPage) -> QuizAttempt:
    """A passed attempt with one mistake, so results and statistics have data."""
    attempt = start_attempt(learner=learner, quiz=quiz)
    *right, _last = attempt.questions
    answers = {question["key"]: right_answer(question) for question in right}
    return submit_attempt(attempt_id=attempt.pk, learner=learner, raw=answers)
