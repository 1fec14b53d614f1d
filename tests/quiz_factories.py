"""Quizzes for tests: a QuizPage, questions of each type, and form posts.

Like tests/factories.py, every function saves what it makes and returns it.
Questions are created live the way an editor with the right to publish
creates them (Wagtail's create action, published): learners only get live
questions, and each starts its history with that first revision.
The ``*_post`` helpers build what the attempt form would send, reading the
attempt's own snapshot so they work whatever was drawn and shuffled.
"""

import html
import json
import re
from decimal import Decimal

from django.utils.translation import gettext, ngettext, pgettext
from wagtail.actions.create import CreateAction

from courses.models import (
    AnswerOption,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingItem,
    OrderingQuestion,
    QuizAttempt,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)
from courses.progress import enrol
from tests import factories

# Quizzes -------------------------------------------------------------------------


def make_quiz(parent, **settings) -> QuizPage:
    """A published QuizPage under a module (or a course, as its final test)."""
    number = factories.next_number()
    values = {
        "title": f"Тест {number}",
        "slug": f"quiz-{number}",
        "intro": "<p>Перевірте, що ви засвоїли.</p>",
        "pass_mark": 70,
        "max_attempts": 3,
        "answers_shown": QuizPage.AnswersShown.AFTER_EACH,
        # Tests pick options by the order they were typed in.
        "shuffle_options": False,
        **settings,
    }
    return factories.add_page(parent, QuizPage(**values))


def _common(quiz, kwargs: dict) -> dict:
    number = factories.next_number()
    return {
        "quiz": quiz,
        "sort_order": kwargs.pop("sort_order", number),
        "text": kwargs.pop("text", f"Питання {number}?"),
        "points": Decimal(str(kwargs.pop("points", "1"))),
        "explanation": kwargs.pop("explanation", ""),
        **kwargs,
    }


def add_single(quiz, options=None, **kwargs) -> SingleChoiceQuestion:
    """``options``: (text, correct) or (text, correct, feedback) tuples."""
    options = options or [("Так", True), ("Ні", False), ("Не знаю", False)]
    question = SingleChoiceQuestion(**_common(quiz, kwargs))
    question.options = [_option(*option) for option in options]
    return publish_new(question)


def add_multiple(quiz, options=None, scoring="all", **kwargs):
    options = options or [("Перший", True), ("Другий", True), ("Третій", False)]
    question = MultipleChoiceQuestion(scoring=scoring, **_common(quiz, kwargs))
    question.options = [_option(*option) for option in options]
    return publish_new(question)


def publish_new(question, user=None):
    """Creates ``question`` (children set in memory) and publishes it."""
    CreateAction(question, user=user, publish=True, clean=False).execute(
        skip_permission_checks=True
    )
    question.refresh_from_db()
    return question


def _option(text, correct, feedback=""):
    return AnswerOption(text=text, is_correct=correct, feedback=feedback)


def add_truefalse(quiz, correct=True, **kwargs) -> TrueFalseQuestion:
    question = TrueFalseQuestion(correct_answer=correct, **_common(quiz, kwargs))
    return publish_new(question)


def add_text(quiz, accepted=("відповідь",), **kwargs) -> ShortTextQuestion:
    question = ShortTextQuestion(
        accepted_answers="\n".join(accepted), **_common(quiz, kwargs)
    )
    return publish_new(question)


def add_numeric(quiz, value="42", tolerance="0", **kwargs) -> NumericQuestion:
    question = NumericQuestion(
        correct_value=Decimal(str(value)),
        tolerance=Decimal(str(tolerance)),
        **_common(quiz, kwargs),
    )
    return publish_new(question)


def add_matching(quiz, pairs=None, **kwargs) -> MatchingQuestion:
    pairs = pairs or [("Київ", "Україна"), ("Варшава", "Польща"), ("Рига", "Латвія")]
    question = MatchingQuestion(**_common(quiz, kwargs))
    question.pairs = [MatchingPair(left=left, right=right) for left, right in pairs]
    return publish_new(question)


def add_ordering(quiz, items=None, **kwargs) -> OrderingQuestion:
    """``items`` in the right order."""
    items = items or ["Планування", "Виконання", "Оцінювання", "Звіт"]
    question = OrderingQuestion(**_common(quiz, kwargs))
    question.items = [OrderingItem(text=text) for text in items]
    return publish_new(question)


ADDERS = (
    add_single,
    add_multiple,
    add_truefalse,
    add_text,
    add_numeric,
    add_matching,
    add_ordering,
)


def add_one_of_each(quiz) -> list:
    """Seven questions, one of every type, with their default answers."""
    return [add(quiz) for add in ADDERS]


def add_mixed(quiz, count: int) -> list:
    """``count`` questions cycling through every type."""
    return [ADDERS[n % len(ADDERS)](quiz) for n in range(count)]


def enrolled_learner(course, **fields):
    learner = factories.make_user(**fields)
    enrol(learner=learner, course=course)
    return learner


# What the form posts ---------------------------------------------------------


def _name(question: dict, sub=None) -> str:
    return f"q-{question['key']}" if sub is None else f"q-{question['key']}-{sub}"


def correct_fields(question: dict) -> dict:
    """Form fields that answer one drawn question right (from its full snapshot)."""
    kind = question["type"]
    if kind == "single":
        return {_name(question): next(
            str(o["id"]) for o in question["options"] if o["correct"]
        )}  # fmt: skip
    if kind == "multiple":
        return {_name(question): [""] + [
            str(o["id"]) for o in question["options"] if o["correct"]
        ]}  # fmt: skip
    if kind == "truefalse":
        return {_name(question): "true" if question["correct"] else "false"}
    if kind == "text":
        return {_name(question): question["accepted"][0]}
    if kind == "numeric":
        return {_name(question): question["value"].replace(".", ",")}
    if kind == "matching":
        return {
            _name(question, left): str(right)
            for left, right in question["match"].items()
        }
    if kind == "ordering":
        return {
            _name(question, item): str(position)
            for position, item in enumerate(question["order"], 1)
        }
    raise ValueError(kind)


def wrong_fields(question: dict) -> dict:
    """Form fields that answer one drawn question wrong, but validly."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        wrong = [str(o["id"]) for o in question["options"] if not o["correct"]]
        return {_name(question): wrong[:1] if kind == "multiple" else wrong[0]}
    if kind == "truefalse":
        return {_name(question): "false" if question["correct"] else "true"}
    if kind == "text":
        return {_name(question): "зовсім не те"}
    if kind == "numeric":
        return {_name(question): "-1"}
    if kind == "matching":
        lefts = list(question["match"])
        rights = [question["match"][left] for left in lefts]
        rotated = rights[1:] + rights[:1]
        return {
            _name(question, left): str(right)
            for left, right in zip(lefts, rotated, strict=True)
        }
    if kind == "ordering":
        order = question["order"]
        # Each item one place later than right, the last one first.
        return {
            _name(question, item): str((position + 1) % len(order) + 1)
            for position, item in enumerate(order)
        }
    raise ValueError(kind)


def answers_post(attempt: QuizAttempt, *, right=True, action="save", keys=None):
    """The whole form for an attempt: every question (or ``keys``) right or wrong."""
    data = {"action": action}
    for question in attempt.questions:
        if keys is None or question["key"] in keys:
            data.update((correct_fields if right else wrong_fields)(question))
    return data


# Reading responses -------------------------------------------------------------
# Pages are rendered in Ukrainian once the catalogue has a msgid, so tests look
# for the message through gettext, never for the English text itself.


def tr(msgid: str, **values) -> str:
    """A message as the page shows it, placeholders filled in."""
    text = gettext(msgid)
    return text % values if values else text


def tr_context(context: str, msgid: str) -> str:
    return pgettext(context, msgid)


def trn(singular: str, plural: str, count: int, **values) -> str:
    return ngettext(singular, plural, count) % {"counter": count, **values}


def page_text(response) -> str:
    """A response's body as text: HTML entities decoded, JSON with its Cyrillic."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode())


CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def without_csrf(text: str) -> str:
    """A page with its CSRF tokens blanked: they are masked anew every time."""
    return CSRF_VALUE.sub(r'\1"', text)
