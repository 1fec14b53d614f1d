"""The background worker of production: tasks, and the overdue-attempt sweep.

``manage.py run_worker`` runs django-tasks' database worker (e-mails, bulk
certificate issue) and, beside it in a thread, every ``--sweep-every``
seconds closes quiz attempts whose time ran out and sends the e-mails whose
retry has come due (lms/outbox.py), so that no crontab is needed.
Several workers on several machines may run at once: each task is taken by
one worker, and concurrent sweeps close each attempt once (they wait for
each other's locks; see courses/quizzes/attempts.py).
"""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from courses.quizzes.attempts import close_overdue_attempts
from lms import outbox

logger = logging.getLogger("lms.worker")


def sweep_forever(*, every: float, stop: threading.Event) -> None:
    """Closes overdue attempts and sends due e-mail retries every ``every``
    seconds until ``stop`` is set.

    A failure (the database restarting, say) is logged and the next round
    tries again; the worker never dies of it.
    """
    while not stop.wait(every):
        try:
            closed = close_overdue_attempts()
            if closed:
                logger.info("Closed overdue quiz attempts: %s", closed)
        except Exception:
            logger.exception("The overdue-attempt sweep failed; it will retry")
        finally:
            close_old_connections()
        try:
            sent = outbox.sweep()
            if sent:
                logger.info("Sent e-mails that were due for a retry: %s", sent)
        except Exception:
            logger.exception("The e-mail retry round failed; it will retry")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = (
        "Runs the task worker (django-tasks' db_worker) and the sweep of "
        "overdue quiz attempts beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=60.0,
            help="Seconds between sweeps of overdue quiz attempts (default 60).",
        )
        parser.add_argument(
            "--queue-name", default="default", help="Passed to db_worker."
        )

    def handle(self, *args, sweep_every, queue_name, **options):
        stop = threading.Event()
        sweeper = threading.Thread(
            target=sweep_forever,
            kwargs={"every": sweep_every, "stop": stop},
            name="overdue-attempt-sweep",
            daemon=True,
        )
        sweeper.start()
        try:
            call_command("db_worker", queue_name=queue_name, reload=False)
        finally:
            stop.set()
            sweeper.join(timeout=sweep_every + 5)
