"""E-mail leaves through an outbox that the task worker empties.

Every e-mail the site sends — confirmation, password reset, the notices of
applications, Wagtail's moderation notices — goes through Django's
``send_mail`` to the e-mail backend, which is django-post-office's
(``EMAIL_BACKEND = "post_office.EmailBackend"``): it only writes the message
to the ``post_office_email`` table. When the surrounding transaction commits,
``deliver_mail`` is queued as a task; the worker (``manage.py run_worker``)
takes the due messages and hands them to the real backend
(``POST_OFFICE["BACKENDS"]["default"]``, SMTP in production). So a page never
waits for the mail server, and a mail server that is down or slow costs the
learner nothing.

A message that fails is tried again after ``RETRY_INTERVAL``, doubling each
time, up to ``MAX_RETRIES`` times; then it is marked failed. The worker's
sweep delivers what has come due every minute, so retries need no task of
their own. Administrators see every message that waits or failed, with its
last error, under Reports → «Листи» and can send a failed one again
(``lms/outbox_admin.py``).

Why not post-office's own ``send_queued``: it takes a file lock that only
guards one machine and selects messages without locking them, so two workers
on two machines could send the same message twice. Here each batch is taken
with ``SELECT … FOR UPDATE SKIP LOCKED``: a message is sent by one worker.
Messages are kept ``KEEP_DAYS`` days for the record, then deleted by the
sweep; they hold confirmation and reset links, which expire sooner.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from post_office.connections import connections
from post_office.models import STATUS, Email, Log
from post_office.settings import get_max_retries, get_retry_timedelta
from post_office.utils import cleanup_expired_mails

logger = logging.getLogger("lms.outbox")

BATCH_SIZE = 20
KEEP_DAYS = 30
# A retry never waits longer than this, however many came before it.
LONGEST_WAIT = timedelta(hours=6)


def queue_delivery(sender, emails, **kwargs) -> None:
    """Receiver of post-office's ``email_queued``: deliver after commit."""
    transaction.on_commit(lambda: deliver_mail.enqueue(), robust=True)


def due_messages():
    now = timezone.now()
    return Email.objects.filter(
        Q(scheduled_time__lte=now) | Q(scheduled_time=None),
        Q(expires_at__gt=now) | Q(expires_at=None),
        status__in=[STATUS.queued, STATUS.requeued],
    )


def retry_wait(attempt: int):
    """The wait before retry number ``attempt`` (1, 2, …): doubling."""
    return min(get_retry_timedelta() * 2 ** (attempt - 1), LONGEST_WAIT)


def deliver_due(*, limit: int | None = None) -> tuple[int, int]:
    """Sends the messages that are due; returns (sent, failed this round).

    Safe to run in several workers at once: each batch is locked and the
    others skip it. A message that fails waits for its retry time, so one
    round tries each message at most once.
    """
    sent = failed = 0
    try:
        while limit is None or sent + failed < limit:
            with transaction.atomic():
                batch = list(
                    due_messages()
                    .select_for_update(skip_locked=True)
                    .order_by("-priority", "id")[:BATCH_SIZE]
                )
                if not batch:
                    break
                for email in batch:
                    if _deliver(email):
                        sent += 1
                    else:
                        failed += 1
    finally:
        # Delivery connections stay open over a round; close them.
        connections.close()
    return sent, failed


def _deliver(email: Email) -> bool:
    try:
        email.dispatch(commit=False, disconnect_after_delivery=False)
    except Exception as error:  # any failure of any backend is recorded
        attempt = (email.number_of_retries or 0) + 1
        email.number_of_retries = attempt
        if attempt <= get_max_retries():
            email.status = STATUS.requeued
            email.scheduled_time = timezone.now() + retry_wait(attempt)
        else:
            email.status = STATUS.failed
        Email.objects.filter(pk=email.pk).update(
            status=email.status,
            scheduled_time=email.scheduled_time,
            number_of_retries=attempt,
            last_updated=timezone.now(),
        )
        Log.objects.create(
            email=email,
            status=STATUS.failed,
            exception_type=type(error).__name__,
            message=str(error)[:2000],
        )
        logger.warning(
            "E-mail %s not delivered (attempt %s): %s",
            email.pk,
            attempt,
            type(error).__name__,
        )
        return False
    Email.objects.filter(pk=email.pk).update(
        status=STATUS.sent, last_updated=timezone.now()
    )
    return True


@task()
def deliver_mail() -> int:
    """The task queued after a message is written: sends what is due."""
    sent, _failed = deliver_due()
    return sent


def requeue(email: Email) -> None:
    """Sends a failed message again from the start (an administrator asked)."""
    Email.objects.filter(pk=email.pk).update(
        status=STATUS.queued,
        scheduled_time=None,
        number_of_retries=0,
        last_updated=timezone.now(),
    )
    transaction.on_commit(lambda: deliver_mail.enqueue(), robust=True)


def sweep() -> int:
    """The worker's periodic round: due retries, then old messages away."""
    sent, _failed = deliver_due()
    cleanup_expired_mails(
        timezone.now() - timedelta(days=KEEP_DAYS), delete_attachments=True
    )
    return sent
