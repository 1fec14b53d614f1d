"""One bench learner as rows: account, consent, enrolment, steps, attempts.

The journey (``journey.walk``) is in seconds after enrolling; ``anchor`` puts
it in the last two years, ending before now (or at now, for a learner sitting
a quiz), with registration shortly before enrolling.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from content.benchdata import tables
from content.benchdata.journey import (
    COMPLETED,
    DAY,
    HOUR,
    MINUTE,
    REGISTERED,
    WINDOW,
    CoursePlan,
    Journey,
    Sitting,
)
from content.benchdata.people import Directory, Person
from content.benchdata.quizplan import answers_json, results_json
from content.benchdata.register import REVOCATION_REASONS, Pending, Register
from lms.models import ConsentRecord


@dataclass
class Context:
    """What every learner of a run shares."""

    plan: CoursePlan
    directory: Directory
    register: Register
    users: tables.KeyBlock
    enrolments: tables.KeyBlock
    attempts: tables.KeyBlock
    password: str  # one hash for all
    notice_version: str
    now: datetime


@dataclass
class Batch:
    """Rows of a batch of learners, by table, until written."""

    rows: dict[tables.Table, list[tuple]] = field(
        default_factory=lambda: {table: [] for table in tables.LEARNING_TABLES}
    )

    def write(self, counts: dict[str, int]) -> None:
        for table, rows in self.rows.items():
            tables.write(table, rows)
            counts[table.label] = counts.get(table.label, 0) + len(rows)
            rows.clear()


@dataclass(frozen=True)
class Timeline:
    joined: datetime
    email_confirmed: datetime
    enrolled: datetime

    def at(self, seconds: float) -> datetime:
        return self.enrolled + timedelta(seconds=seconds)


def anchor(journey: Journey, rng: random.Random, now: datetime) -> Timeline:
    """When the learner registered and enrolled, so the journey ends before now."""
    if rng.random() < 0.5:  # enrolled in the same sitting as registering
        to_enrol = rng.uniform(2 * MINUTE, 40 * MINUTE)
    else:
        to_enrol = rng.uniform(HOUR, 20 * DAY)
    span = to_enrol + journey.end
    if journey.ends_now:
        before_now = span + rng.uniform(30, 15 * MINUTE)
    else:
        earliest = span + rng.uniform(HOUR, DAY)
        # More learners lately than two years ago: the course grew.
        before_now = earliest + max(0.0, WINDOW - earliest) * rng.random() ** 1.5
    joined = now - timedelta(seconds=before_now)
    return Timeline(
        joined=joined,
        email_confirmed=joined + timedelta(seconds=to_enrol * rng.uniform(0.05, 0.6)),
        enrolled=joined + timedelta(seconds=to_enrol),
    )


def add_learner(batch: Batch, ctx: Context, rng: random.Random, person: Person,
                journey: Journey) -> None:  # fmt: skip
    """Appends every row of one learner to ``batch``; certificates to the register."""
    timeline = anchor(journey, rng, ctx.now)
    user_id = ctx.users.take()
    rows = batch.rows
    rows[tables.USERS].append(_user(ctx, user_id, person, journey, timeline))
    rows[tables.CONSENTS].append(
        (user_id, ConsentRecord.Purpose.LEARNING, ctx.notice_version, timeline.joined)
    )
    if journey.stage == REGISTERED:
        return
    enrolment_id = ctx.enrolments.take()
    rows[tables.ENROLMENTS].append(
        _enrolment(ctx, enrolment_id, user_id, person, journey, timeline)
    )
    course_id = ctx.plan.course_id
    for record in journey.records:
        rows[tables.COMPLETIONS].append(
            (user_id, course_id, record.page_id, record.kind, timeline.at(record.at))
        )
    for sitting in journey.sittings:
        _add_attempt(batch, ctx, user_id, sitting, timeline)
    if journey.certificate is not None:
        _add_certificate(batch, ctx, rng, (user_id, enrolment_id), person, journey,
                         timeline)  # fmt: skip


def _user(ctx: Context, user_id: int, person: Person, journey, timeline) -> tuple:
    last_seen = timeline.email_confirmed
    if journey.stage != REGISTERED:
        last_seen = timeline.at(journey.end)
    return (
        user_id, ctx.password, last_seen, False, person.email, person.first_name,
        person.last_name, person.patronymic, False, True, timeline.joined,
        person.position_title, person.organisation, person.position_category_id,
        person.oblast_id, person.hromada_id, timeline.email_confirmed, None,
    )  # fmt: skip


def _enrolment(ctx, enrolment_id, user_id, person: Person, journey, timeline):
    started = timeline.at(journey.started) if journey.started is not None else None
    completed = None
    if journey.stage == COMPLETED and journey.completed is not None:
        completed = timeline.at(journey.completed)
    # Where the learner works: copied on enrolling, frozen at completion; the
    # profile never changes here, so both are the profile.
    return (
        enrolment_id, user_id, ctx.plan.course_id, timeline.enrolled, started,
        completed, person.oblast_id, person.hromada_id,
        person.position_category_id, person.organisation,
    )  # fmt: skip


def _add_attempt(batch: Batch, ctx: Context, user_id: int, sitting: Sitting,
                 timeline: Timeline) -> None:  # fmt: skip
    quiz, graded = sitting.quiz, sitting.graded
    attempt_id = ctx.attempts.take()
    started = timeline.at(sitting.started)
    deadline = started + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None
    closed = None if sitting.closed is None else timeline.at(sitting.closed)
    saved = None if sitting.saved is None else timeline.at(sitting.saved)
    batch.rows[tables.ATTEMPTS].append((
        attempt_id, user_id, quiz.quiz_id, sitting.number, sitting.status, started,
        deadline, closed, quiz.questions_json,
        answers_json(graded.choices) if graded else "{}", saved, False,
        results_json(graded.choices) if graded else "{}",
        graded.score if graded else None, quiz.max_score,
        graded.percent if graded else None, quiz.pass_mark,
        graded.passed if graded else None,
    ))  # fmt: skip
    if graded is None:
        return  # an open attempt has no results yet
    results = batch.rows[tables.RESULTS]
    for question, choice in zip(quiz.questions, graded.choices, strict=True):
        results.append((
            attempt_id, quiz.quiz_id, question.question_id, question.text,
            choice.answered, choice.correct, choice.awarded,
        ))  # fmt: skip


def _add_certificate(batch, ctx: Context, rng, keys, person: Person, journey,
                     timeline: Timeline) -> None:  # fmt: skip
    user_id, enrolment_id = keys
    certificate = journey.certificate
    batch.rows[tables.NAME_CONFIRMATIONS].append(
        (user_id, person.full_name, timeline.at(certificate.confirmed))
    )
    revoked_at = None
    if certificate.revoked is not None:
        revoked_at = timeline.at(certificate.revoked)
        if revoked_at > ctx.now:
            revoked_at = None  # would be revoked later than today
    ctx.register.add(
        Pending(
            issued_at=timeline.at(certificate.issued),
            learner_id=user_id,
            enrolment_id=enrolment_id,
            holder_name=person.full_name,
            completed_at=timeline.at(journey.completed),
            revoked_at=revoked_at,
            reason=rng.choice(REVOCATION_REASONS) if revoked_at else "",
        )
    )
