"""Quizzes for bench attempts: one drawn snapshot each, answers graded by it.

Each question gets its right answer and a few wrong ones (a wrong option, a
pair swapped, a number out of tolerance, none at all), each scored once by the
question type's own ``score()`` against the snapshot and rounded as
``courses.quizzes.attempts`` rounds; an attempt picks one per question. JSON fragments
of answers and results are made once, so an attempt's JSON is a join.
"""

import json
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from content.benchdata import BenchDataError
from courses.models import QUESTION_TYPES, QuizPage
from courses.quizzes.answers import AnswerError

CENT = Decimal("0.01")
# Attempts per quiz reached stay within 1–3 whatever the quiz allows.
ATTEMPT_CAP = 3
UNANSWERED_SHARE = 0.04


@dataclass(frozen=True)
class Choice:
    """One way to answer a question, with what grading gives for it."""

    answer: str | None  # the «"key": answer» fragment; None when unanswered
    result: str  # the «"key": {...}» fragment of the results
    cents: int
    awarded: Decimal
    answered: bool
    correct: bool


@dataclass(frozen=True)
class QuestionPlan:
    question_id: int | None
    text: str
    difficulty: float  # taken off a learner's chance of answering right
    right: Choice
    wrong: tuple[Choice, ...]
    unanswered: Choice


@dataclass(frozen=True)
class Graded:
    choices: tuple[Choice, ...]
    score: Decimal
    percent: Decimal
    passed: bool


class QuizPlan:
    """One quiz as bench attempts see it."""

    def __init__(self, quiz: QuizPage, rng: random.Random):
        snapshot = quiz.draw_questions(rng=rng)
        self.quiz_id = quiz.pk
        self.required = quiz.required
        self.pass_mark = quiz.pass_mark
        self.time_limit = quiz.time_limit_minutes
        self.max_attempts = min(quiz.max_attempts or ATTEMPT_CAP, ATTEMPT_CAP)
        self.questions_json = json.dumps(snapshot, ensure_ascii=False)
        self.max_score = sum(Decimal(q["points"]) for q in snapshot)
        self.questions = tuple(_plan_question(q, rng) for q in snapshot)
        self._grades: dict[int, tuple[Decimal, Decimal, bool]] = {}

    def attempt(self, rng: random.Random, ability: float, want=None) -> Graded:
        """Answers at ``ability`` (0–1); ``want`` True or False forces the outcome."""
        for _try in range(30):
            graded = self.grade(
                tuple(self._answer(q, rng, ability) for q in self.questions)
            )
            if want is None or graded.passed is want:
                return graded
        # A learner far from the outcome asked for: all right, or nothing given.
        if want:
            return self.grade(tuple(q.right for q in self.questions))
        return self.grade(tuple(q.unanswered for q in self.questions))

    def _answer(self, question: QuestionPlan, rng, ability: float) -> Choice:
        if rng.random() < ability - question.difficulty:
            return question.right
        if rng.random() < UNANSWERED_SHARE or not question.wrong:
            return question.unanswered
        return rng.choice(question.wrong)

    def grade(self, choices: tuple[Choice, ...]) -> Graded:
        """Score, percent and pass as ``courses.quizzes.attempts._close``
        computes them."""
        cents = sum(choice.cents for choice in choices)
        if cents not in self._grades:
            total = Decimal(cents).scaleb(-2)
            percent = (
                (total * 100 / self.max_score).quantize(CENT, rounding=ROUND_HALF_UP)
                if self.max_score
                else Decimal(0)
            )
            self._grades[cents] = (total, percent, percent >= self.pass_mark)
        return Graded(choices, *self._grades[cents])


def answers_json(choices) -> str:
    return "{" + ", ".join(c.answer for c in choices if c.answer is not None) + "}"


def results_json(choices) -> str:
    return "{" + ", ".join(c.result for c in choices) + "}"


def _plan_question(question: dict, rng: random.Random) -> QuestionPlan:
    kind = QUESTION_TYPES[question["type"]]
    if question["type"] not in _RAW:
        raise BenchDataError(
            f"Питання «{question['text'][:60]}»: тип «{question['type']}» "
            "генератор ще не вміє відповідати."
        )
    right_raw, wrong_raws = _RAW[question["type"]](question)
    right = _choice(question, kind, right_raw)
    if not right.correct:
        raise BenchDataError(
            f"Питання «{question['text'][:60]}» не має правильної відповіді; "
            "виправте його в адмінці."
        )
    wrong = []
    for raw in wrong_raws:
        try:
            choice = _choice(question, kind, raw)
        except AnswerError:
            continue  # e.g. a number out of range: a form would refuse it too
        if not choice.correct:
            wrong.append(choice)
    return QuestionPlan(
        question_id=question["question_id"],
        text=question["text"],
        difficulty=rng.uniform(-0.15, 0.25),
        right=right,
        wrong=tuple(wrong),
        unanswered=_choice(question, kind, None),
    )


def _choice(question: dict, kind, raw) -> Choice:
    """What grading makes of ``raw``: parsed as submitted, scored by the type."""
    key = json.dumps(question["key"])
    answer = kind.parse_answer(question, raw) if raw is not None else None
    answered = answer not in (None, "", [], {})
    fraction = kind.score(question, answer) if answered else Decimal(0)
    awarded = (Decimal(question["points"]) * fraction).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    result = {"awarded": str(awarded), "correct": fraction == 1, "answered": answered}
    return Choice(
        answer=f"{key}: {json.dumps(answer, ensure_ascii=False)}" if answered else None,
        result=f"{key}: {json.dumps(result)}",
        cents=int(awarded * 100),
        awarded=awarded,
        answered=answered,
        correct=fraction == 1,
    )


def _single(q):
    ids = [o["id"] for o in q["options"]]
    right = next(o["id"] for o in q["options"] if o["correct"])
    return right, [i for i in ids if i != right]


def _multiple(q):
    right = [o["id"] for o in q["options"] if o["correct"]]
    others = [o["id"] for o in q["options"] if not o["correct"]]
    wrong = [right[:-1], *[[*right, other] for other in others[:2]], others[:1]]
    return right, [w for w in wrong if w]


def _truefalse(q):
    return ("true", ["false"]) if q["correct"] else ("false", ["true"])


def _text(q):
    right = q["accepted"][0]
    return right, ["не знаю", right[:-2] or "—"]


def _numeric(q):
    value, tolerance = Decimal(q["value"]), Decimal(q["tolerance"])
    return q["value"], [str(value + tolerance + 1), str(value * 10 + 1)]


def _matching(q):
    left = [item["id"] for item in q["left"]]
    match = {str(i): q["match"][str(i)] for i in left}
    rights = [match[str(i)] for i in left]
    swapped = dict(match)
    if len(left) > 1:
        swapped[str(left[0])], swapped[str(left[1])] = rights[1], rights[0]
    shifted = {str(i): rights[(n + 1) % len(rights)] for n, i in enumerate(left)}
    return match, [swapped, shifted]


def _ordering(q):
    order = list(q["order"])
    swapped = order[:]
    if len(order) > 1:
        swapped[0], swapped[1] = swapped[1], swapped[0]
    return order, [swapped, order[::-1]]


# (the right answer, wrong ones) as a form would post them, by question type.
_RAW = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "text": _text,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
}
