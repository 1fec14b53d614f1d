"""One learner's way through the course, in seconds after enrolling.

A learner goes through the outline in order: lessons are marked done, quizzes
taken until passed (at most three attempts, the last one passed when the
learner went on), a module is complete with its last required step, the course
with its last module. A learner in progress stops before a required step, and
if that step is a quiz may have failed it or be sitting it now. The generator
places the journey in time (``anchor``) so that it ends before now.
"""

import math
import random
from dataclasses import dataclass, field

from content.benchdata.quizplan import Graded, QuizPlan
from courses.models import Completion, QuizAttempt, QuizPage
from courses.outline import build_outline
from courses.progress import REQUIRED_STEP_KINDS

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
WINDOW = 730 * DAY  # journeys fall within the last two years

REGISTERED, ENROLLED, IN_PROGRESS, COMPLETED = (
    "registered", "enrolled", "in_progress", "completed",
)  # fmt: skip
# Of all learners: 10 % never enrol; of the enrolled, 10 % do nothing more,
# 45 % are part-way through and 45 % have completed the course.
STAGES = (REGISTERED, ENROLLED, IN_PROGRESS, COMPLETED)
STAGE_WEIGHTS = (0.10, 0.09, 0.405, 0.405)

CERTIFICATE_SHARE = 0.82  # of those who completed: about a third of everyone
REVOKED_SHARE = 0.02
OPTIONAL_QUIZ_SHARE = 0.5  # of learners who try a quiz that is not required
BLOCKED_BY_QUIZ_SHARE = 0.45  # stopped before a quiz: tried and failed it
OPEN_ATTEMPT_SHARE = 0.03  # stopped before a quiz: sitting it right now
TIMED_OUT_SHARE = 0.03  # of attempts at a quiz with a time limit


@dataclass(frozen=True)
class StepPlan:
    page_id: int
    kind: str  # "lesson" or "quiz", as Completion.Kind
    required: bool
    quiz: QuizPlan | None = None


@dataclass(frozen=True)
class ModulePlan:
    page_id: int
    is_final_test: bool
    steps: tuple[StepPlan, ...]


@dataclass(frozen=True)
class CoursePlan:
    course_id: int
    modules: tuple[ModulePlan, ...]
    steps: tuple[StepPlan, ...]  # of all modules, in order
    required_ids: frozenset[int]  # pages of the required steps
    max_gap: float  # between sessions, so that every journey fits the window

    @property
    def required_total(self) -> int:
        return len(self.required_ids)

    @property
    def quizzes(self) -> list[QuizPlan]:
        return [step.quiz for step in self.steps if step.quiz is not None]


def plan_course(course, rng: random.Random) -> CoursePlan:
    """The live outline, with one drawn snapshot per quiz."""
    outline = build_outline(course)
    quiz_ids = [s.page_id for s in outline.steps if s.kind == "quizpage"]
    quizzes = QuizPage.objects.in_bulk(quiz_ids)
    modules = []
    for module in outline.modules:
        steps = tuple(
            _step(step, quizzes.get(step.page_id), rng)
            for step in module.steps
            if step.kind in REQUIRED_STEP_KINDS
        )
        modules.append(ModulePlan(module.page_id, module.is_final_test, steps))
    steps = tuple(step for module in modules for step in module.steps)
    return CoursePlan(
        course_id=course.pk,
        modules=tuple(modules),
        steps=steps,
        required_ids=frozenset(step.page_id for step in steps if step.required),
        max_gap=min(14 * DAY, 0.4 * WINDOW / (len(steps) or 1)),
    )


def _step(step, quiz: QuizPage | None, rng) -> StepPlan:
    if step.kind == "quizpage":
        return StepPlan(step.page_id, Completion.Kind.QUIZ, step.required,
                        QuizPlan(quiz, rng))  # fmt: skip
    return StepPlan(step.page_id, Completion.Kind.LESSON, step.required)


@dataclass
class Record:
    page_id: int
    kind: str
    at: float


@dataclass
class Sitting:
    quiz: QuizPlan
    number: int
    started: float
    closed: float | None  # None: still open
    saved: float | None
    status: str
    graded: Graded | None


@dataclass
class Certificate:
    confirmed: float  # the name confirmation
    issued: float
    revoked: float | None


@dataclass
class Journey:
    stage: str
    records: list[Record] = field(default_factory=list)
    sittings: list[Sitting] = field(default_factory=list)
    started: float | None = None
    completed: float | None = None
    certificate: Certificate | None = None
    ends_now: bool = False  # an attempt is open: the journey ends at «now»

    @property
    def end(self) -> float:
        times = [
            0.0,
            *(r.at for r in self.records),
            *(s.started for s in self.sittings),
        ]
        times += [s.closed for s in self.sittings if s.closed is not None]
        if self.certificate:
            times.append(self.certificate.issued)
        return max(times)


def walk(plan: CoursePlan, rng: random.Random) -> Journey:
    """A learner's stage, drawn with ``STAGE_WEIGHTS``, and the way to it."""
    stage = rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]
    journey = Journey(stage)
    if stage in (IN_PROGRESS, COMPLETED) and plan.required_total:
        _Walker(plan, rng, journey).run()
    elif stage in (IN_PROGRESS, COMPLETED):
        journey.stage = ENROLLED  # a course without steps cannot be started
    return journey


class _Walker:
    def __init__(self, plan: CoursePlan, rng: random.Random, journey: Journey):
        self.plan, self.rng, self.journey = plan, rng, journey
        self.ability = rng.betavariate(5, 2)  # mean about 0.71
        self.clock = rng.uniform(2 * MINUTE, min(5 * DAY, plan.max_gap))
        self.done: set[int] = set()
        self.required_done = 0

    def run(self) -> None:
        total = self.plan.required_total
        target = total if self.journey.stage == COMPLETED else self._stop_point(total)
        for step in self.plan.steps:
            if self.required_done >= target:
                self._stop_before(step)
                return
            self._take(step)
        self.journey.completed = self.clock + self.rng.uniform(0.01, 0.5)
        self._certificate()

    def _stop_point(self, total: int) -> int:
        """Required steps done by a learner part-way: more stop early than late."""
        if total < 2:
            return 0
        return min(total - 1, 1 + int(self.rng.random() ** 1.4 * (total - 1)))

    def _take(self, step: StepPlan) -> None:
        if step.quiz is None:
            self._advance()
            self._record(step.page_id, step.kind)
            return
        if not step.required and self.rng.random() >= OPTIONAL_QUIZ_SHARE:
            return
        if self._sit_until_passed(step.quiz, must_pass=step.required):
            self._record(step.page_id, step.kind)

    def _stop_before(self, step: StepPlan) -> None:
        if step.quiz is None or not step.required:
            return
        draw = self.rng.random()
        if draw < OPEN_ATTEMPT_SHARE:
            self._advance()
            self.journey.sittings.append(
                Sitting(
                    quiz=step.quiz, number=1, started=self.clock, closed=None,
                    saved=None, status=QuizAttempt.Status.IN_PROGRESS, graded=None,
                )
            )  # fmt: skip
            self.journey.ends_now = True
        elif draw < OPEN_ATTEMPT_SHARE + BLOCKED_BY_QUIZ_SHARE:
            failures = self.rng.randint(1, step.quiz.max_attempts)
            for number in range(1, failures + 1):
                self._sit(step.quiz, number, want=False)

    def _sit_until_passed(self, quiz: QuizPlan, *, must_pass: bool) -> bool:
        for number in range(1, quiz.max_attempts + 1):
            last = number == quiz.max_attempts
            sitting = self._sit(quiz, number, want=True if must_pass and last else None)
            if sitting.graded.passed:
                return True
            if not must_pass and self.rng.random() < 0.5:
                return False  # gave up on a quiz that does not count
        return False

    def _sit(self, quiz: QuizPlan, number: int, *, want) -> Sitting:
        if number == 1:
            self._advance()
        else:
            self.clock += self.rng.uniform(10 * MINUTE, min(2 * DAY, self.plan.max_gap))
        ability = min(0.99, self.ability + 0.08 * (number - 1))
        graded = quiz.attempt(self.rng, ability, want=want)
        started = self.clock
        closed, saved, status = self._closing(quiz, started)
        sitting = Sitting(quiz, number, started, closed, saved, status, graded)
        self.journey.sittings.append(sitting)
        self.clock = closed
        return sitting

    def _closing(self, quiz: QuizPlan, started: float) -> tuple[float, float, str]:
        """(closed, answers saved, status): submitted in time, or timed out."""
        limit = quiz.time_limit * MINUTE if quiz.time_limit else None
        if limit and self.rng.random() < TIMED_OUT_SHARE:
            closed = started + limit + self.rng.uniform(MINUTE, 15 * MINUTE)
            saved = started + limit - self.rng.uniform(5, 120)
            return closed, saved, QuizAttempt.Status.TIMED_OUT
        duration = self.rng.uniform(3 * MINUTE, 18 * MINUTE)
        if limit:
            duration = min(duration, limit - 20)
        return started + duration, started + duration, QuizAttempt.Status.SUBMITTED

    def _advance(self) -> None:
        """Time to the next step: the same sitting, or another day."""
        if self.rng.random() < 0.62:
            self.clock += self.rng.uniform(3 * MINUTE, 30 * MINUTE)
        else:
            days = self.rng.lognormvariate(math.log(1.5), 0.9)
            self.clock += min(days * DAY, self.plan.max_gap) + self.rng.uniform(0, HOUR)

    def _record(self, page_id: int, kind: str) -> None:
        """A step done, and the modules it completes (as courses.progress._settle)."""
        at = self.clock
        self.journey.records.append(Record(page_id, kind, at))
        self.done.add(page_id)
        self.required_done += page_id in self.plan.required_ids
        if self.journey.started is None:
            self.journey.started = at
        for module in self.plan.modules:
            if module.is_final_test or module.page_id in self.done:
                continue
            if all(s.page_id in self.done for s in module.steps if s.required):
                self.done.add(module.page_id)
                self.journey.records.append(
                    Record(module.page_id, Completion.Kind.MODULE, at + 0.001)
                )
        self.clock = at + 0.002

    def _certificate(self) -> None:
        rng, completed = self.rng, self.journey.completed
        if rng.random() >= CERTIFICATE_SHARE:
            return  # has not confirmed how the name prints yet
        if rng.random() < 0.7:  # confirmed earlier: issued on completion
            confirmed = rng.uniform(self.journey.started, completed)
            issued = completed + rng.uniform(1, 6)
        else:  # confirmed when «Моє навчання» asked, later
            confirmed = completed + min(
                rng.lognormvariate(math.log(DAY), 1.2), 30 * DAY
            )
            issued = confirmed + rng.uniform(1, 4)
        revoked = None
        if rng.random() < REVOKED_SHARE:
            revoked = issued + rng.uniform(DAY, 120 * DAY)
        self.journey.certificate = Certificate(confirmed, issued, revoked)
