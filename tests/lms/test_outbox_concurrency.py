"""Several workers empty the outbox at once on PostgreSQL: each e-mail is
sent exactly once (lms/outbox.py takes batches with SKIP LOCKED)."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from post_office.models import STATUS, Email

from lms import outbox
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

DELIVERED = []
LOCK = threading.Lock()


class SlowServer(BaseEmailBackend):
    """Takes a moment per message, so the workers overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.02)
        with LOCK:
            DELIVERED.extend(tuple(message.to) for message in email_messages)
        return len(email_messages)


def test_four_workers_send_forty_e_mails_each_exactly_once(settings):
    DELIVERED.clear()
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "tests.lms.test_outbox_concurrency.SlowServer"},
    }
    for number in range(40):
        mail.send_mail("Тема", "Текст", None, [f"person{number}@example.org"])
    assert Email.objects.filter(status=STATUS.queued).count() == 40

    results, errors = run_together(*[outbox.deliver_due] * 4)

    assert errors == []
    assert sum(sent for sent, _failed in results) == 40
    assert sorted(DELIVERED) == sorted(
        (f"person{number}@example.org",) for number in range(40)
    )
    assert Email.objects.filter(status=STATUS.sent).count() == 40
