"""Questions of a quiz: one polymorphic subclass per type.

Every question type snapshots itself into plain data when an attempt draws it,
and grades an answer against that snapshot, so later edits to a question
never change a past attempt's content or score.

Questions are moderated like pages, with Wagtail's own mixins: the row holds
the approved (live) content and what learners are asked; an editor's changes
are revisions (options, pairs and items with them, as ``ClusterableModel``
serialises its children) until the workflow publishes one. Where a question
stands (its quiz and its place in it) belongs to the quiz, not to a revision.
"""

import random
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet
from wagtail.admin.panels import FieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from courses.quizzes.answers import (
    AnswerError,
    normalise_text_answer,
    parse_decimal,
)
from courses.quizzes.models.page import QuizPage

ZERO = Decimal("0")


class QuestionQuerySet(PolymorphicQuerySet):
    def drawable(self):
        """What learners are asked: approved (live) questions not withdrawn.

        A live row holds the approved content; drafts live in revisions.
        """
        return self.filter(live=True, withdrawn=False)


class QuestionManager(PolymorphicManager.from_queryset(QuestionQuerySet)):
    pass


class Question(
    PreviewableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    ClusterableModel,
    PolymorphicModel,
):
    """A question of a quiz; each subclass is one type."""

    type_code = ""  # the snapshot's "type"; set on each subclass

    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="questions",
        verbose_name=_("quiz"),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)
    text = models.TextField(_("question"), max_length=2000)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    explanation = models.TextField(
        _("explanation"), blank=True,
        help_text=_("Shown with the correct answer, when the quiz shows answers."),
    )  # fmt: skip
    withdrawn = models.BooleanField(
        _("withdrawn from the quiz"), default=False,
        help_text=_(
            "Tick to take the question out of the quiz. Like any change, it "
            "reaches learners once it is approved; the question and its "
            "history are kept and can be restored."
        ),
    )  # fmt: skip

    objects = QuestionManager()

    preview_modes = [
        ("", _("As learners see it")),
        ("answers", _("With the right answer and feedback")),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]

    def with_content_json(self, content):
        """A revision's content on this question, keeping its quiz and place.

        The order of a quiz's questions is the quiz's, changed on its list
        at once (as Wagtail reorders pages), so publishing or reverting to
        an older revision does not move the question back.
        """
        obj = super().with_content_json(content)
        obj.quiz_id = self.quiz_id
        obj.sort_order = self.sort_order
        obj.live_revision_id = self.live_revision_id
        return obj

    # Annotated by ``courses.quizzes.admin.status.with_status`` for listings,
    # which would otherwise ask the database once per question.
    @property
    def approved_schedule(self):
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule

    @property
    def workflow_in_progress(self):
        if hasattr(self, "_workflow_in_progress"):
            return self._workflow_in_progress
        return super().workflow_in_progress

    # The learner's preview (PreviewableMixin) -------------------------------

    def get_preview_template(self, request, mode_name):
        return "courses/question_preview.html"

    def get_preview_context(self, request, mode_name):
        """The question as the attempt form shows it (only its public part,
        as learners get it); in the «answers» mode also what a result shows
        when answers are shown, and every option's feedback."""
        from courses.quizzes.attempts import public_questions
        from courses.quizzes.forms import present_questions
        from courses.quizzes.models.attempts import QuizAttempt
        from courses.quizzes.selectors import _expected

        quiz = (
            QuizPage.objects.filter(pk=self.quiz_id).first() if self.quiz_id else None
        )
        snapshot = self.snapshot(shuffle=bool(quiz and quiz.shuffle_options))
        public = public_questions(QuizAttempt(questions=[snapshot]))
        context = {
            **super().get_preview_context(request, mode_name),
            "quiz": quiz,
            "question": self,
            "field": present_questions(public)[0],
            "with_answers": mode_name == "answers",
        }
        if mode_name == "answers":
            context["expected"] = _expected(snapshot)
            context["feedback"] = self.feedback_rows()
        return context

    def feedback_rows(self) -> list[tuple[str, str]]:
        """(answer, feedback) the editor wrote; a learner sees the one they chose."""
        return []

    # Every subclass implements these three.
    def type_snapshot(self, *, shuffle: bool, rng: random.Random) -> dict:
        raise NotImplementedError

    @classmethod
    def parse_answer(cls, snapshot: dict, raw):
        """The answer in canonical form; AnswerError when it is malformed."""
        raise NotImplementedError

    @classmethod
    def score(cls, snapshot: dict, answer) -> Decimal:
        """The fraction of the points earned, from 0 to 1."""
        raise NotImplementedError

    def snapshot(self, *, shuffle: bool = False, rng=None) -> dict:
        return {
            "key": f"q{self.pk}",
            "question_id": self.pk,
            "type": self.type_code,
            "text": self.text,
            "points": str(self.points),
            "explanation": self.explanation,
            **self.type_snapshot(shuffle=shuffle, rng=rng or random.SystemRandom()),
        }


def _shuffled(items: list, shuffle: bool, rng) -> list:
    items = list(items)
    if shuffle:
        rng.shuffle(items)
    return items


class AnswerOption(Orderable):
    """An option of a single- or multiple-choice question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text


def _option_snapshot(question, shuffle, rng) -> dict:
    options = list(question.options.all())
    # Per-attempt ids: database ids follow the order the editor typed the
    # options in, which would undo shuffling and hint at the answer.
    tokens = _tokens(len(options), rng)
    snapshot = [
        {
            "id": token,
            "text": option.text,
            "correct": option.is_correct,
            "feedback": option.feedback,
        }
        for option, token in zip(options, tokens, strict=True)
    ]
    return {"options": _shuffled(snapshot, shuffle, rng)}


def _tokens(count: int, rng) -> list[int]:
    """Distinct random ids for one attempt's items, in random order."""
    tokens: set[int] = set()
    while len(tokens) < count:
        tokens.add(rng.randrange(100_000, 1_000_000_000))
    # A set's order follows the numbers' bits; shuffle so that neither the
    # order nor the values say which id belongs where.
    shuffled = sorted(tokens)
    rng.shuffle(shuffled)
    return shuffled


def _option_ids(snapshot: dict) -> set[int]:
    return {option["id"] for option in snapshot["options"]}


def _as_int(raw) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError) as error:
        raise AnswerError(_("The answer is not one of the options.")) from error


class ChoiceFeedbackMixin:
    def feedback_rows(self):
        return [
            (option.text, option.feedback)
            for option in self.options.all()
            if option.feedback
        ]


class SingleChoiceQuestion(ChoiceFeedbackMixin, Question):
    type_code = "single"

    class Meta:
        verbose_name = _("single choice question")
        verbose_name_plural = _("single choice questions")

    def type_snapshot(self, *, shuffle, rng):
        return _option_snapshot(self, shuffle, rng)

    @classmethod
    def parse_answer(cls, snapshot, raw):
        if raw in (None, "", []):
            return None
        choice = _as_int(raw[0] if isinstance(raw, list) else raw)
        if choice not in _option_ids(snapshot):
            raise AnswerError(_("The answer is not one of the options."))
        return choice

    @classmethod
    def score(cls, snapshot, answer):
        correct = {o["id"] for o in snapshot["options"] if o["correct"]}
        return Decimal(1) if answer in correct else ZERO


class MultipleChoiceQuestion(ChoiceFeedbackMixin, Question):
    type_code = "multiple"

    class Scoring(models.TextChoices):
        ALL_OR_NOTHING = "all", _("all or nothing")
        PARTIAL = "partial", _("partial credit")

    scoring = models.CharField(
        _("scoring"), max_length=8, choices=Scoring.choices,
        default=Scoring.ALL_OR_NOTHING,
    )  # fmt: skip

    class Meta:
        verbose_name = _("multiple choice question")
        verbose_name_plural = _("multiple choice questions")

    def type_snapshot(self, *, shuffle, rng):
        return {"scoring": self.scoring, **_option_snapshot(self, shuffle, rng)}

    @classmethod
    def parse_answer(cls, snapshot, raw):
        if raw in (None, "", []):
            return []
        values = raw if isinstance(raw, list) else [raw]
        chosen = sorted({_as_int(value) for value in values})
        if not set(chosen) <= _option_ids(snapshot):
            raise AnswerError(_("The answer is not one of the options."))
        return chosen

    @classmethod
    def score(cls, snapshot, answer):
        correct = {o["id"] for o in snapshot["options"] if o["correct"]}
        chosen = set(answer or [])
        if snapshot.get("scoring") != cls.Scoring.PARTIAL:
            return Decimal(1) if chosen == correct and correct else ZERO
        if not correct:
            return ZERO
        # Each right choice earns a share; each wrong choice takes one back.
        earned = len(chosen & correct) - len(chosen - correct)
        return max(ZERO, Decimal(earned) / Decimal(len(correct)))


class TrueFalseQuestion(Question):
    type_code = "truefalse"

    correct_answer = models.BooleanField(_("the statement is true"))
    feedback_true = models.CharField(
        _("feedback for «true»"), max_length=500, blank=True
    )
    feedback_false = models.CharField(
        _("feedback for «false»"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("true/false question")
        verbose_name_plural = _("true/false questions")

    def feedback_rows(self):
        from courses.quizzes.forms import truth_label

        rows = [(truth_label(True), self.feedback_true)]
        rows.append((truth_label(False), self.feedback_false))
        return [(answer, text) for answer, text in rows if text]

    def type_snapshot(self, *, shuffle, rng):
        return {
            "correct": self.correct_answer,
            "feedback": {"true": self.feedback_true, "false": self.feedback_false},
        }

    @classmethod
    def parse_answer(cls, snapshot, raw):
        if raw in (None, "", []):
            return None
        value = str(raw[0] if isinstance(raw, list) else raw).strip().lower()
        if value not in ("true", "false"):
            raise AnswerError(_("Answer «true» or «false»."))
        return value == "true"

    @classmethod
    def score(cls, snapshot, answer):
        return Decimal(1) if answer is snapshot["correct"] else ZERO


class ShortTextQuestion(Question):
    type_code = "text"

    accepted_answers = models.TextField(
        _("accepted answers"),
        help_text=_(
            "One per line. Case, extra spaces and the form of the apostrophe "
            "are ignored."
        ),
    )

    class Meta:
        verbose_name = _("short text question")
        verbose_name_plural = _("short text questions")

    @property
    def accepted_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line]

    def type_snapshot(self, *, shuffle, rng):
        return {"accepted": [a for a in self.accepted_list if a.strip()]}

    @classmethod
    def parse_answer(cls, snapshot, raw):
        value = raw[0] if isinstance(raw, list) and raw else raw
        value = "" if value in (None, []) else value
        if not isinstance(value, str):
            raise AnswerError(_("The answer does not fit this question."))
        if len(value) > 500:
            raise AnswerError(_("The answer is too long (500 characters at most)."))
        if "\x00" in value:
            raise AnswerError(_("The answer contains characters that are not allowed."))
        return value.strip()

    @classmethod
    def score(cls, snapshot, answer):
        given = normalise_text_answer(answer or "")
        accepted = {normalise_text_answer(a) for a in snapshot["accepted"]}
        return Decimal(1) if given and given in accepted else ZERO


class NumericQuestion(Question):
    type_code = "numeric"

    correct_value = models.DecimalField(
        _("correct value"), max_digits=18, decimal_places=6
    )
    tolerance = models.DecimalField(
        _("tolerance (±)"), max_digits=18, decimal_places=6, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("numeric question")
        verbose_name_plural = _("numeric questions")

    def type_snapshot(self, *, shuffle, rng):
        return {"value": str(self.correct_value), "tolerance": str(self.tolerance)}

    @classmethod
    def parse_answer(cls, snapshot, raw):
        value = raw[0] if isinstance(raw, list) and raw else raw
        if value in (None, ""):
            return None
        return format(parse_decimal(str(value)), "f")

    @classmethod
    def score(cls, snapshot, answer):
        if answer is None:
            return ZERO
        difference = abs(Decimal(answer) - Decimal(snapshot["value"]))
        return Decimal(1) if difference <= Decimal(snapshot["tolerance"]) else ZERO


class MatchingPair(Orderable):
    question = ParentalKey(
        "courses.MatchingQuestion", on_delete=models.CASCADE, related_name="pairs"
    )
    left = models.CharField(_("item"), max_length=300)
    right = models.CharField(_("its match"), max_length=300)

    panels = [FieldPanel("left"), FieldPanel("right")]

    class Meta(Orderable.Meta):
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")


class MatchingQuestion(Question):
    """Match each item on the left with one on the right; a share per pair."""

    type_code = "matching"

    class Meta:
        verbose_name = _("matching question")
        verbose_name_plural = _("matching questions")

    def type_snapshot(self, *, shuffle, rng):
        pairs = list(self.pairs.all())
        tokens = _tokens(len(pairs), rng)
        rights = [
            {"id": token, "text": p.right}
            for p, token in zip(pairs, tokens, strict=False)
        ]
        return {
            "left": [{"id": p.pk, "text": p.left} for p in pairs],
            # Right-hand texts get fresh ids and are always shuffled: neither
            # their ids nor their order may give the answer away.
            "right": _shuffled(rights, True, rng),
            "match": {
                str(p.pk): token for p, token in zip(pairs, tokens, strict=False)
            },
        }

    @classmethod
    def parse_answer(cls, snapshot, raw):
        if raw in (None, "", []):
            return {}
        if not isinstance(raw, dict):
            raise AnswerError(_("The answer does not fit this question."))
        lefts = {item["id"] for item in snapshot["left"]}
        rights = {item["id"] for item in snapshot["right"]}
        answer = {}
        for left, right in raw.items():
            if right in (None, ""):
                continue
            left_id, right_id = _as_int(left), _as_int(right)
            if left_id not in lefts or right_id not in rights:
                raise AnswerError(_("The answer is not one of the options."))
            answer[str(left_id)] = right_id
        return answer

    @classmethod
    def score(cls, snapshot, answer):
        lefts = snapshot["left"]
        if not lefts:
            return ZERO
        match = snapshot["match"]
        given = answer or {}
        right_pairs = sum(
            1 for item in lefts if given.get(str(item["id"])) == match[str(item["id"])]
        )
        return Decimal(right_pairs) / Decimal(len(lefts))


class OrderingItem(Orderable):
    question = ParentalKey(
        "courses.OrderingQuestion", on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("item"), max_length=300)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("item")
        verbose_name_plural = _("items")


class OrderingQuestion(Question):
    """Put the items in the right order (the order entered by the editor)."""

    type_code = "ordering"

    class Meta:
        verbose_name = _("ordering question")
        verbose_name_plural = _("ordering questions")

    def type_snapshot(self, *, shuffle, rng):
        texts = [item.text for item in self.items.all()]
        # Fresh ids per attempt: database ids follow the editor's order.
        items = [
            {"id": token, "text": text}
            for token, text in zip(_tokens(len(texts), rng), texts, strict=False)
        ]
        correct = [item["id"] for item in items]
        shown = _shuffled(items, True, rng)
        if len(shown) > 1 and [i["id"] for i in shown] == correct:
            shown = shown[1:] + shown[:1]
        return {"items": shown, "order": correct}

    @classmethod
    def parse_answer(cls, snapshot, raw):
        """Positions typed for each item ({item_id: position}) → item ids in order."""
        if raw in (None, "", [], {}):
            return []
        ids = {item["id"] for item in snapshot["items"]}
        if isinstance(raw, dict):
            positions = {}
            for item, position in raw.items():
                if position in (None, ""):
                    continue
                positions[_as_int(item)] = _as_int(position)
            if not set(positions) <= ids:
                raise AnswerError(_("The answer is not one of the options."))
            used = list(positions.values())
            if len(set(used)) != len(used) or set(used) - set(range(1, len(ids) + 1)):
                raise AnswerError(
                    _("Use each position from 1 to %(n)s.") % {"n": len(ids)}
                )
            return [
                item for item, _pos in sorted(positions.items(), key=lambda p: p[1])
            ]
        values = [_as_int(value) for value in raw]
        if not set(values) <= ids or len(values) != len(set(values)):
            raise AnswerError(_("The answer is not one of the options."))
        return values

    @classmethod
    def score(cls, snapshot, answer):
        order = snapshot["order"]
        if not order or len(answer or []) != len(order):
            return ZERO
        in_place = sum(
            1 for given, right in zip(answer, order, strict=True) if given == right
        )
        return Decimal(in_place) / Decimal(len(order))


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type_code: cls
    for cls in (
        SingleChoiceQuestion,
        MultipleChoiceQuestion,
        TrueFalseQuestion,
        ShortTextQuestion,
        NumericQuestion,
        MatchingQuestion,
        OrderingQuestion,
    )
}
