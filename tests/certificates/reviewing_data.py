"""A known dataset and the role users for the reviewers' workspace tests.

``review_world()`` builds one course (two modules: a lesson and a quiz each,
then a final test) and learners across three oblasts in every state, so that
counts, filters, best scores and region limits can be checked exactly:

| learner | oblast | state | best scores (quiz 1, quiz 2, final) | certificate |
|---|---|---|---|---|
| done_a | Луганська | completed | 100, 80, 90 | valid |
| done_b | Луганська | completed | 100, 100, 70 | revoked |
| done_c | Київська | completed | 70, 100, 100 | none |
| going | Київська | learning (1 lesson) | — | — |
| failing | Львівська | learning (quiz 1 failed: 0) | 0 | — |
| idle | Львівська | enrolled | — | — |

Names and organisations may be replaced by hostile text (``names=``).
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from certificates.issuing import confirm_name, issue_certificate, revoke_certificate
from courses.models import Enrolment, QuizAttempt
from courses.progress import complete_lesson, enrol
from courses.quizzes.attempts import start_attempt, submit_attempt
from lms.models import Hromada, Oblast, PositionCategory
from lms.reference import OBLASTS, POSITION_CATEGORIES
from lms.roles import EDITORS, MODERATORS, ORGANISERS, REVIEWERS
from tests import factories
from tests import quiz_factories as qf
from tests.certificates.factories import make_design

OBLAST_NAMES = ("Луганська область", "Київська область", "Львівська область")


def oblast(name: str) -> Oblast:
    code = next(code for code, oblast_name in OBLASTS if oblast_name == name)
    return Oblast.objects.get_or_create(code=code, defaults={"name": name})[0]


def category() -> PositionCategory:
    code, name, service = POSITION_CATEGORIES[0]
    return PositionCategory.objects.get_or_create(
        code=code, defaults={"name": name, "service": service}
    )[0]


def role_user(group: str, **fields):
    user = factories.make_user(**fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def reviewer(*, oblasts=(), **fields):
    """A НАДС reviewer; with ``oblasts``, one of a regional office."""
    user = role_user(REVIEWERS, **fields)
    user.review_oblasts.set(oblasts)
    return user


def people_of_every_role() -> dict:
    """anonymous (None), learner, editor, moderator, organiser, reviewer,
    regional reviewer (Луганська only) and administrator."""
    return {
        "anonymous": None,
        "learner": factories.make_user(),
        "editor": role_user(EDITORS),
        "moderator": role_user(MODERATORS),
        "organiser": role_user(ORGANISERS),
        "reviewer": reviewer(),
        "regional reviewer": reviewer(oblasts=[oblast(OBLAST_NAMES[0])]),
        "administrator": factories.make_superuser(),
    }


@dataclass
class ReviewWorld:
    tree: factories.CourseTree
    quizzes: list
    oblasts: dict
    hromadas: dict
    learners: dict = field(default_factory=dict)
    certificates: dict = field(default_factory=dict)

    def enrolment(self, key: str) -> Enrolment:
        return Enrolment.objects.get(learner=self.learners[key])


def _take_quiz(learner, quiz, *, percent: int) -> QuizAttempt:
    """An attempt scoring ``percent`` (the quizzes have ten one-point questions)."""
    attempt = start_attempt(learner=learner, quiz=quiz)
    right = round(len(attempt.questions) * percent / 100)
    answers = {
        question["key"]: str(
            next(o["id"] for o in question["options"] if o["correct"] == (n < right))
        )
        for n, question in enumerate(attempt.questions)
    }
    return submit_attempt(attempt_id=attempt.pk, learner=learner, raw=answers)


def review_world(*, names: dict | None = None) -> ReviewWorld:
    make_design()
    tree = factories.build_course(modules=2, lessons_per_module=1)
    quizzes = [
        qf.make_quiz(tree.modules[0], title="Тест модуля 1", pass_mark=60),
        qf.make_quiz(tree.modules[1], title="Тест модуля 2", pass_mark=60),
        qf.make_quiz(tree.course, title="Підсумковий тест", pass_mark=60),
    ]
    for quiz in quizzes:
        for number in range(10):
            qf.add_single(quiz, text=f"Питання {number + 1}")
    oblasts = {name: oblast(name) for name in OBLAST_NAMES}
    hromadas = {
        name: Hromada.objects.create(
            code=f"UA{index:02d}000000000000001",
            name=f"Громада {index}",
            oblast=oblasts[name],
        )
        for index, name in enumerate(OBLAST_NAMES, 40)
    }
    world = ReviewWorld(tree, quizzes, oblasts, hromadas)
    plan = {
        "done_a": (OBLAST_NAMES[0], (100, 80, 90)),
        "done_b": (OBLAST_NAMES[0], (100, 100, 70)),
        "done_c": (OBLAST_NAMES[1], (70, 100, 100)),
        "going": (OBLAST_NAMES[1], None),
        "failing": (OBLAST_NAMES[2], None),
        "idle": (OBLAST_NAMES[2], None),
    }
    for key, (oblast_name, scores) in plan.items():
        extra = (names or {}).get(key, {})
        learner = factories.make_user(
            last_name=extra.get("last_name", f"Прізвище-{key.replace('_', '')}"),
            first_name="Олена",
            organisation=extra.get("organisation", f"Рада {key}"),
            oblast=oblasts[oblast_name],
            hromada=hromadas[oblast_name],
            position_category=category(),
        )
        world.learners[key] = learner
        enrol(learner=learner, course=tree.course)
        if scores:
            for quiz, lesson, percent in zip(
                quizzes, [*tree.lessons, None], scores, strict=True
            ):
                if lesson is not None:
                    complete_lesson(learner=learner, lesson=lesson)
                _take_quiz(learner, quiz, percent=percent)
        elif key == "going":
            complete_lesson(learner=learner, lesson=tree.lessons[0])
        elif key == "failing":
            complete_lesson(learner=learner, lesson=tree.lessons[0])
            _take_quiz(learner, quizzes[0], percent=0)
    for key in ("done_a", "done_b"):
        learner = world.learners[key]
        confirm_name(user=learner, printed_name=learner.get_full_name())
        world.certificates[key] = issue_certificate(enrolment=world.enrolment(key))
    revoke_certificate(
        certificate=world.certificates["done_b"],
        by=factories.make_superuser(),
        reason="Помилка в даних",
    )
    world.certificates["done_b"].refresh_from_db()
    return world
