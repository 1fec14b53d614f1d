"""The quiz form: posted fields to raw answers, and questions ready to render.

Field names: ``q-<key>`` for single, multiple, true/false, text and numeric
questions; ``q-<key>-<left id>`` (matching) and ``q-<key>-<item id>``
(ordering). Only the public part of a snapshot
(``courses.quizzes.attempts.public_questions``) is ever presented while an attempt is
open, so nothing built here can give an answer away.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PREFIX = "q-"
DICT_TYPES = {"matching", "ordering"}
CHOICE_TYPES = {"single", "multiple", "truefalse"}
# Errors that name no question of the attempt are listed once, above the form.
GENERAL = "__all__"


def truth_label(value: bool) -> str:
    """«True» or «False» as an answer to a true/false question."""
    if value:
        return pgettext("true/false answer", "True")
    return pgettext("true/false answer", "False")


def field_name(key: str, sub=None) -> str:
    return f"{PREFIX}{key}" if sub is None else f"{PREFIX}{key}-{sub}"


def _one_or_all(values: list[str]):
    """One value as a string; several (never sent by the form) as a list."""
    return values[0] if len(values) == 1 else values


def raw_answers(post: QueryDict, questions: list[dict]) -> dict:
    """Posted answers shaped for ``courses.quizzes.attempts``; unknown keys are kept.

    The service checks every answer, so anything forged (an unknown key, a
    list where one value belongs) is passed on for it to reject.
    """
    types = {question["key"]: question["type"] for question in questions}
    plain: dict[str, list[str]] = {}
    nested: dict[str, dict] = {}
    for name in post:
        if not name.startswith(PREFIX):
            continue
        key, has_sub, sub = name[len(PREFIX) :].partition("-")
        values = post.getlist(name)
        if has_sub:
            nested.setdefault(key, {})[sub] = _one_or_all(values)
        else:
            plain[key] = values
    raw = {}
    for key in [*plain, *(k for k in nested if k not in plain)]:
        kind = types.get(key)
        if kind == "multiple" and key in plain:
            # A hidden empty field stands for "nothing ticked".
            raw[key] = [value for value in plain[key] if value != ""]
        elif kind in DICT_TYPES and key in nested and key not in plain:
            raw[key] = nested[key]
        elif key in plain:
            raw[key] = _one_or_all(plain[key])
        else:
            raw[key] = nested[key]
    return raw


# Presenting ------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    selected: bool = False
    input_id: str = ""


@dataclass
class Row:
    """One select of a matching or ordering question."""

    label: str
    name: str
    input_id: str
    choices: list[Choice]


@dataclass
class QuestionField:
    number: int
    key: str
    type: str
    text: str
    points: str
    name: str
    error: str = ""
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    rows: list[Row] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return field_name(self.key)

    @property
    def error_id(self) -> str:
        return f"{self.dom_id}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.dom_id}-hint"

    @property
    def answer_id(self) -> str:
        """The text box of a text or numeric question."""
        return f"{self.dom_id}-answer"

    @property
    def first_input_id(self) -> str:
        """Where the error summary's link puts the focus."""
        if self.choices:
            return self.choices[0].input_id
        if self.rows:
            return self.rows[0].input_id
        return self.answer_id

    @property
    def hint(self) -> str:
        return {
            "multiple": _("Choose every option that applies."),
            "numeric": _("A number; a comma or a dot before the decimals."),
            "matching": _("Choose a match for each item."),
            "ordering": _("Give each item its place: 1 comes first."),
        }.get(self.type, "")

    @property
    def described_by(self) -> str:
        """Ids for each input's aria-describedby: the hint, then the error."""
        ids = [self.hint_id] if self.hint else []
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)


def _saved_values(question: dict, answer) -> dict:
    """A saved answer as the strings the form shows."""
    kind = question["type"]
    if answer in (None, "", [], {}):
        return {}
    if kind in ("single", "multiple"):
        chosen = answer if isinstance(answer, list) else [answer]
        return {"selected": {str(value) for value in chosen}}
    if kind == "truefalse":
        return {"selected": {"true" if answer else "false"}}
    if kind in ("text", "numeric"):
        return {"value": str(answer)}
    if kind == "matching":
        return {"subs": {str(left): str(right) for left, right in answer.items()}}
    if kind == "ordering":
        return {"subs": {str(item): str(n) for n, item in enumerate(answer, 1)}}
    return {}


def _posted_values(question: dict, post: QueryDict) -> dict:
    """What was typed, exactly, so a form with errors keeps it."""
    name = field_name(question["key"])
    kind = question["type"]
    if kind in CHOICE_TYPES:
        return {"selected": set(post.getlist(name))}
    if kind in DICT_TYPES:
        prefix = f"{name}-"
        return {
            "subs": {
                key[len(prefix) :]: post.get(key, "")
                for key in post
                if key.startswith(prefix)
            }
        }
    return {"value": post.get(name, "")}


def _choices(name: str, selected: set, items: list) -> list[Choice]:
    return [
        Choice(
            value=value,
            label=label,
            selected=value in selected,
            input_id=f"{name}-{position}",
        )
        for position, (value, label) in enumerate(items, 1)
    ]


def _rows(name: str, subs: dict, items: list, options: list) -> list[Row]:
    rows = []
    for position, item in enumerate(items, 1):
        current = subs.get(str(item["id"]), "")
        rows.append(
            Row(
                label=item["text"],
                name=f"{name}-{item['id']}",
                input_id=f"{name}-{position}",
                choices=[
                    Choice(value=value, label=label, selected=value == current)
                    for value, label in options
                ],
            )
        )
    return rows


def present_question(
    question: dict, number: int, values: dict, error: str = ""
) -> QuestionField:
    """One public question snapshot as a form field."""
    name = field_name(question["key"])
    kind = question["type"]
    result = QuestionField(
        number=number,
        key=question["key"],
        type=kind,
        text=question["text"],
        points=question["points"],
        name=name,
        error=error,
        value=values.get("value", ""),
    )
    selected = values.get("selected", set())
    subs = values.get("subs", {})
    if kind in ("single", "multiple"):
        items = [(str(o["id"]), o["text"]) for o in question["options"]]
        result.choices = _choices(name, selected, items)
    elif kind == "truefalse":
        items = [("true", truth_label(True)), ("false", truth_label(False))]
        result.choices = _choices(name, selected, items)
    elif kind == "matching":
        options = [("", _("— choose —"))]
        options += [(str(r["id"]), r["text"]) for r in question["right"]]
        result.rows = _rows(name, subs, question["left"], options)
    elif kind == "ordering":
        count = len(question["items"])
        options = [("", _("— position —"))]
        options += [(str(n), str(n)) for n in range(1, count + 1)]
        result.rows = _rows(name, subs, question["items"], options)
    return result


def present_questions(
    public: list[dict],
    *,
    answers: dict | None = None,
    post: QueryDict | None = None,
    errors: dict | None = None,
) -> list[QuestionField]:
    """The form's questions, showing what was posted or else what was saved."""
    answers, errors = answers or {}, errors or {}
    fields = []
    for number, question in enumerate(public, 1):
        if post is not None:
            values = _posted_values(question, post)
        else:
            values = _saved_values(question, answers.get(question["key"]))
        fields.append(
            present_question(question, number, values, errors.get(question["key"], ""))
        )
    return fields


def general_errors(errors: dict, public: list[dict]) -> list[str]:
    """Messages for answers that name no question of the attempt, once each."""
    keys = {question["key"] for question in public}
    messages = []
    for key, message in errors.items():
        if key not in keys and message not in messages:
            messages.append(message)
    return messages
