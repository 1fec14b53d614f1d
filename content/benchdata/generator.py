"""Making bench learners in batches, all in one transaction.

Memory stays bounded by the batch (rows are written and dropped batch by
batch), except the few fields kept per certificate until all are numbered.
"""

import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from content.benchdata import BenchDataError, tables
from content.benchdata.journey import plan_course, walk
from content.benchdata.people import draw_person, load_directory
from content.benchdata.register import Register
from content.benchdata.removal import bench_learners
from content.benchdata.rows import Batch, Context, add_learner
from courses.models import CoursePage

DEFAULT_SEED = 20260101
DEFAULT_BATCH_SIZE = 2000
# Every bench learner signs in with this, for benchmarks of learners' pages.
BENCH_PASSWORD = "bench-learner-2026"  # noqa: S105


@dataclass
class Summary:
    learners: int
    course: str
    rows: dict[str, int] = field(default_factory=dict)
    synthetic_hromadas: int = 0
    seconds: float = 0.0


def bench_course() -> CoursePage:
    """The first live course, which bench learners take."""
    course = CoursePage.objects.live().order_by("path").first()
    if course is None:
        raise BenchDataError(
            "Немає жодного опублікованого курсу. Спершу створіть курс "
            "(наприклад, manage.py seed_demo) і опублікуйте його."
        )
    return course


def generate_bench_data(
    *,
    learners: int,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    now: datetime | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> Summary:
    """Makes ``learners`` bench learners with their records; returns the counts.

    ``now`` (default: the present) is the end of the two years the data
    covers; the same seed and ``now`` on the same database give the same data.
    """
    if learners < 1 or batch_size < 1:
        raise BenchDataError("Кількість слухачів і розмір пакета мають бути додатні.")
    started = time.monotonic()
    course = bench_course()
    with transaction.atomic():
        foreign_keys = tables.suspend_foreign_keys()
        context = _context(course, seed, now or timezone.now())
        summary = Summary(learners=learners, course=course.title)
        summary.synthetic_hromadas = context.directory.synthetic_hromadas
        _generate(context, summary, seed, batch_size, on_batch)
        certificates = context.register.write(batch_size=batch_size)
        summary.rows[tables.CERTIFICATES.label] = certificates
        for block in (context.users, context.enrolments, context.attempts):
            block.close()
        tables.restore_foreign_keys(foreign_keys)
        tables.analyse()
    summary.seconds = time.monotonic() - started
    return summary


def _context(course: CoursePage, seed: int, now: datetime) -> Context:
    return Context(
        # Bench data, not secrets: a seeded generator makes runs repeatable.
        plan=plan_course(course, random.Random(f"{seed}:quizzes")),  # noqa: S311
        directory=load_directory(),
        register=Register(course),
        users=tables.KeyBlock(tables.USERS),
        enrolments=tables.KeyBlock(tables.ENROLMENTS),
        attempts=tables.KeyBlock(tables.ATTEMPTS),
        password=make_password(BENCH_PASSWORD),
        notice_version=settings.PRIVACY_NOTICE_VERSION,
        now=now,
    )


def _generate(context: Context, summary: Summary, seed, batch_size, on_batch) -> None:
    """Batches made in a thread of their own while this one writes the last.

    Making rows is Python's work and writing them the database's, so on two
    cores they overlap. Only this thread touches the database.
    """
    first = bench_learners().count()  # addresses stay unique over several runs
    rng = random.Random(seed)  # noqa: S311
    maker = _BatchMaker(context, rng, first, summary.learners, batch_size)
    maker.start()
    try:
        done = 0
        while (batch := maker.next_batch()) is not None:
            batch.write(summary.rows)
            done = min(done + batch_size, summary.learners)
            if on_batch:
                on_batch(done)
    finally:
        maker.stop()


class _BatchMaker(threading.Thread):
    """Makes the batches of learners in order, at most two ahead of the writer."""

    def __init__(self, context: Context, rng, first: int, count: int, size: int):
        super().__init__(name="bench-data-batches", daemon=True)
        self.context, self.rng = context, rng
        self.ordinals = range(first, first + count)
        self.size = size
        self.batches: queue.Queue = queue.Queue(maxsize=2)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            for start in range(0, len(self.ordinals), self.size):
                batch = Batch()
                for ordinal in self.ordinals[start : start + self.size]:
                    person = draw_person(self.rng, self.context.directory, ordinal)
                    journey = walk(self.context.plan, self.rng)
                    add_learner(batch, self.context, self.rng, person, journey)
                if not self._put(batch):
                    return
            self._put(None)
        except BaseException as error:  # handed to the writer, which raises it
            self._put(error)

    def _put(self, item) -> bool:
        while not self.stopping.is_set():
            try:
                self.batches.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def next_batch(self) -> Batch | None:
        item = self.batches.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def stop(self) -> None:
        self.stopping.set()
        self.join()
