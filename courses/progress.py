"""Enrolment and progress: the rules of what a learner has done, and recording it.

A step is a lesson or a quiz; lessons count once marked done, required quizzes
once passed (optional quizzes do not count). A module is complete when all its
live required steps are; a course when all its live modules are.
Completion times are written once; see docs/progress.md.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses import progress_cache
from courses.models import Completion, CoursePage, Enrolment, LessonPage
from courses.models.progress import PROFILE_SNAPSHOT_FIELDS
from courses.outline import CourseOutline, OutlineModule, OutlineStep, build_outline
from courses.signals import course_completed

# The enrolment's columns that keep the learner's profile (without "_id").
SNAPSHOT_COLUMNS = [name.removesuffix("_id") for name in PROFILE_SNAPSHOT_FIELDS]
# Step kinds (page model names) that count toward completion: lessons once
# marked done, quizzes once passed (and only those marked required).
REQUIRED_STEP_KINDS = {"lessonpage", "quizpage"}


class ProgressError(Exception):
    """Base class; the message is shown to the learner."""


class CourseNotAvailable(ProgressError):
    pass


class NotEnrolled(ProgressError):
    pass


class StepNotAvailable(ProgressError):
    pass


class StepLocked(ProgressError):
    pass


@dataclass
class StepState:
    step: OutlineStep
    done: bool
    required: bool


@dataclass
class ModuleState:
    module: OutlineModule
    steps: list[StepState]
    done: bool
    locked: bool
    unlocked_by: OutlineStep | None  # the step to do first when locked


@dataclass
class CourseProgress:
    course: CoursePage
    outline: CourseOutline
    enrolment: Enrolment | None
    done_at: dict[int, datetime]
    modules: list[ModuleState]

    @property
    def is_enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def is_completed(self) -> bool:
        return self.enrolment is not None and self.enrolment.completed_at is not None

    @property
    def required_total(self) -> int:
        return sum(1 for m in self.modules for s in m.steps if s.required)

    @property
    def required_done(self) -> int:
        return sum(1 for m in self.modules for s in m.steps if s.required and s.done)

    @property
    def percent(self) -> int:
        if self.is_completed:
            return 100
        total = self.required_total
        return (100 * self.required_done) // total if total else 0

    @property
    def next_step(self) -> OutlineStep | None:
        """The first required step not done, in course order."""
        for module in self.modules:
            for state in module.steps:
                if state.required and not state.done:
                    return state.step
        return None

    @property
    def resume_step(self) -> OutlineStep | None:
        """Where «Продовжити» leads: the first required step not done.

        Derived from progress alone, so that reading a lesson writes nothing.
        """
        return self.next_step

    def module_state(self, module_id: int) -> ModuleState | None:
        for state in self.modules:
            if state.module.page_id == module_id:
                return state
        return None

    def module_state_of_step(self, page_id: int) -> ModuleState | None:
        for state in self.modules:
            if any(s.step.page_id == page_id for s in state.steps):
                return state
        return None


def module_states(
    *, course: CoursePage, outline: CourseOutline, done_at: dict, completed: bool
) -> list[ModuleState]:
    states: list[ModuleState] = []
    previous: ModuleState | None = None
    for module in outline.modules:
        steps = [
            StepState(
                step=step,
                done=completed or step.page_id in done_at,
                required=step.kind in REQUIRED_STEP_KINDS and step.required,
            )
            for step in module.steps
        ]
        done = completed or all(s.done for s in steps if s.required)
        # A module once completed stays open even if a lesson is added later.
        previous_open = (
            previous is None or previous.done or (previous.module.page_id in done_at)
        )
        locked = bool(course.sequential) and not completed and not previous_open
        unlocked_by = None
        if locked:
            unlocked_by = next(
                (s.step for s in previous.steps if s.required and not s.done), None
            )
        state = ModuleState(module, steps, done, locked, unlocked_by)
        states.append(state)
        previous = state
    return states


def get_progress(*, learner, course: CoursePage, request=None) -> CourseProgress:
    """A learner's progress in one course, from the shared cache while it holds.

    The enrolment and the completed steps are kept under the learner's
    progress version (``courses.progress_cache``), which every write to
    either changes, after its commit too; otherwise three queries at most.
    """
    if learner is None or not learner.is_authenticated:
        return progress_of(enrolment=None, course=course, request=request)
    enrolment, done_at = progress_cache.read(
        learner.pk, course.pk, lambda: _read_progress(learner, course)
    )
    return progress_of(
        enrolment=enrolment, course=course, request=request, done_at=done_at
    )


def _read_progress(learner, course) -> tuple[Enrolment | None, dict]:
    enrolment = Enrolment.objects.filter(learner=learner, course=course).first()
    return enrolment, (_done_at(enrolment, course) if enrolment else {})


def _done_at(enrolment: Enrolment, course: CoursePage) -> dict[int, datetime]:
    return dict(
        Completion.objects.filter(
            learner_id=enrolment.learner_id, course=course
        ).values_list("page_id", "completed_at")
    )


def progress_of(
    *,
    enrolment: Enrolment | None,
    course: CoursePage,
    request=None,
    done_at: dict[int, datetime] | None = None,
) -> CourseProgress:
    """Progress for an enrolment already read (or None): one query at most,
    none when the completed steps are given."""
    outline = build_outline(course, request)
    if done_at is None:
        done_at = _done_at(enrolment, course) if enrolment is not None else {}
    completed = enrolment is not None and enrolment.completed_at is not None
    modules = module_states(
        course=course, outline=outline, done_at=done_at, completed=completed
    )
    return CourseProgress(course, outline, enrolment, done_at, modules)


def enrol(*, learner, course: CoursePage) -> tuple[Enrolment, bool]:
    """Enrols a learner once; a second call returns the existing enrolment."""
    if not course.live:
        raise CourseNotAvailable(_("This course is not open for enrolment."))
    existing = Enrolment.objects.filter(learner=learner, course=course).first()
    if existing:
        return existing, False
    enrolment = Enrolment(learner=learner, course=course)
    enrolment.take_profile(learner)
    try:
        with transaction.atomic():
            enrolment.save()
            return enrolment, True
    except IntegrityError:
        # A parallel request enrolled first; the constraint kept one row.
        return Enrolment.objects.get(learner=learner, course=course), False


def follow_profile(sender, *, user, **kwargs) -> None:
    """``profile_updated``: courses in progress count the learner where they
    work now; completed ones keep where they worked at completion."""
    snapshot = {name: getattr(user, name) for name in PROFILE_SNAPSHOT_FIELDS}
    Enrolment.objects.filter(learner=user, completed_at__isnull=True).update(**snapshot)
    progress_cache.forget(user.pk)  # an update sends no signal


def _profile_of(learner_id: int):
    return get_user_model().objects.only(*SNAPSHOT_COLUMNS).get(pk=learner_id)


def complete_lesson(*, learner, lesson: LessonPage) -> CourseProgress:
    """Records a finished lesson once, then settles module and course completion."""
    if not lesson.live:
        raise StepNotAvailable(_("This lesson is not published."))
    course = lesson.course
    if course is None or not course.live:
        raise CourseNotAvailable(_("This course is not available."))
    return _complete_step(
        learner=learner, course=course, page=lesson, kind=Completion.Kind.LESSON
    )


def lock_enrolment(*, learner, course) -> Enrolment:
    """The learner's enrolment, locked to the end of the transaction.

    Everything that records progress in a course takes this lock first, so one
    learner's steps in one course run one at a time.
    """
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(learner=learner, course=course)
        .first()
        if course is not None
        else None
    )
    if enrolment is None:
        raise NotEnrolled(_("Enrol in the course first."))
    return enrolment


def record_quiz_pass(*, enrolment: Enrolment, quiz) -> CourseProgress:
    """Records the first pass of a quiz as a completed step; called by grading.

    Grading already holds the enrolment's lock and passes the row, so it is
    neither locked nor read a second time.
    """
    return _complete_locked(
        enrolment=enrolment, course=quiz.course, page=quiz, kind=Completion.Kind.QUIZ
    )


def _complete_step(*, learner, course: CoursePage, page: Page, kind: str):
    with transaction.atomic():
        # The enrolment row lock serialises one learner's completions in a
        # course, so the course is completed and announced exactly once.
        enrolment = lock_enrolment(learner=learner, course=course)
        return _complete_locked(
            enrolment=enrolment, course=course, page=page, kind=kind
        )


def _complete_locked(*, enrolment: Enrolment, course: CoursePage, page, kind: str):
    """Records a step for a locked enrolment, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record progress inside a transaction")
    progress = progress_of(enrolment=enrolment, course=course)
    module = progress.module_state_of_step(page.pk)
    if module is None:
        raise StepNotAvailable(_("This step is not part of the course."))
    if module.locked:
        raise StepLocked(_("Finish the previous module first."))
    if page.pk not in progress.done_at:
        Completion.objects.create(
            learner_id=enrolment.learner_id,
            course=course,
            page_id=page.pk,
            kind=kind,
        )
        progress.done_at[page.pk] = timezone.now()
        if enrolment.started_at is None:
            enrolment.started_at = progress.done_at[page.pk]
            enrolment.save(update_fields=["started_at"])
    _settle(enrolment=enrolment, progress=progress)
    # Bring the states up to date in memory rather than reading them again.
    progress.enrolment = enrolment
    progress.modules = module_states(
        course=course,
        outline=progress.outline,
        done_at=progress.done_at,
        completed=enrolment.completed_at is not None,
    )
    return progress


def _settle(*, enrolment: Enrolment, progress: CourseProgress) -> None:
    """Writes module completions and the course completion that are now due."""
    done_at = progress.done_at
    all_done = True
    for module in progress.modules:
        module_done = all(s.step.page_id in done_at for s in module.steps if s.required)
        all_done = all_done and module_done
        is_step = module.module.is_final_test  # its own completion is the quiz's
        if module_done and not is_step and module.module.page_id not in done_at:
            Completion.objects.create(
                learner_id=enrolment.learner_id,
                course_id=enrolment.course_id,
                page_id=module.module.page_id,
                kind=Completion.Kind.MODULE,
            )
            done_at[module.module.page_id] = timezone.now()
    if all_done and progress.modules and enrolment.completed_at is None:
        enrolment.completed_at = timezone.now()
        # Where the learner works, frozen as it is now, for the reports.
        enrolment.take_profile(_profile_of(enrolment.learner_id))
        enrolment.save(update_fields=["completed_at", *SNAPSHOT_COLUMNS])
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrolment, enrolment=enrolment)
        )
