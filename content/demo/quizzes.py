"""Creating the questions of a demo quiz, checked by the admin's own rules."""

from decimal import Decimal

from django.core.exceptions import ValidationError

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
    question.save()
    _add_rows(question, spec)
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
    AnswerOption.objects.bulk_create(
        AnswerOption(
            question=question,
            sort_order=n,
            text=text,
            is_correct=correct,
            feedback=feedback,
        )  # fmt: skip
        for n, (text, correct, feedback) in enumerate(spec.get("options", ()))
    )
    MatchingPair.objects.bulk_create(
        MatchingPair(question=question, sort_order=n, left=left, right=right)
        for n, (left, right) in enumerate(spec.get("pairs", ()))
    )
    OrderingItem.objects.bulk_create(
        OrderingItem(question=question, sort_order=n, text=text)
        for n, text in enumerate(spec.get("items", ()))
    )


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
