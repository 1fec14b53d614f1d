"""E-mail off the request path (lms/outbox.py): pages write messages to the
outbox, the worker sends them, a failing or silent mail server costs a page
nothing, failures are retried and administrators see them."""

import smtplib
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from post_office.models import STATUS, Email
from wagtail.models import ModelLogEntry

from lms import outbox
from lms.models import User
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER_URL = reverse("accounts:register")
RESET_URL = reverse("accounts:password_reset")
REPORT_URL = reverse("outbox:index")
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FAILING = "tests.lms.test_outbox.RefusingBackend"
DELIVERY_ATTEMPTS = []


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary refusal."""

    def send_messages(self, email_messages):
        DELIVERY_ATTEMPTS.append(len(email_messages))
        raise smtplib.SMTPDataError(451, b"4.3.0 Mail server temporarily rejected")


@pytest.fixture(autouse=True)
def through_the_outbox(settings):
    DELIVERY_ATTEMPTS.clear()
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": LOCMEM}}
    settings.SITE_URL = "https://learn.example.org"
    settings.ALLOWED_HOSTS = ["*"]


def deliver_through(settings, backend):
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": backend}}


@pytest.fixture
def worker_only(settings):
    """Tasks wait for a worker, as in production (nothing runs in the page)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }


def register(client, data):
    return client.post(REGISTER_URL, data)


def test_a_page_only_writes_the_message_and_the_worker_sends_it(
    registration_data, worker_only, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(Client(), registration_data)
    assert response.status_code == 302
    assert mail.outbox == []  # nothing was sent while the visitor waited
    queued = Email.objects.get()
    assert queued.to == ["olena.koval@example.org"]
    assert queued.status == STATUS.queued

    assert outbox.deliver_due() == (1, 0)

    queued.refresh_from_db()
    assert queued.status == STATUS.sent
    (message,) = mail.outbox
    assert message.to == ["olena.koval@example.org"]
    assert "https://learn.example.org/" in message.body


def test_with_tasks_run_at_once_the_message_is_sent_after_the_commit(
    registration_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(Client(), registration_data)
    assert [message.to for message in mail.outbox] == [["olena.koval@example.org"]]
    assert Email.objects.get().status == STATUS.sent


def test_a_password_reset_goes_through_the_outbox(
    learner, worker_only, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(RESET_URL, {"email": learner.email})
    assert response.status_code == 302
    assert mail.outbox == []
    assert Email.objects.get().to == [learner.email]
    outbox.deliver_due()
    assert "https://learn.example.org/" in mail.outbox[0].body


def test_a_refusing_mail_server_does_not_fail_the_page_and_is_retried(
    registration_data, settings, django_capture_on_commit_callbacks
):
    deliver_through(settings, FAILING)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(Client(), registration_data)
    # Tasks run at once here, so delivery was tried during the request: the
    # refusal is recorded, the page goes on.
    assert response.status_code == 302
    assert User.objects.filter(email="olena.koval@example.org").exists()
    email = Email.objects.get()
    assert email.status == STATUS.requeued
    assert email.number_of_retries == 1
    assert email.scheduled_time > timezone.now() + timedelta(minutes=1)
    (log,) = email.logs.all()
    assert log.exception_type == "SMTPDataError"
    assert "temporarily rejected" in log.message

    # Not due yet: a round sends nothing and does not try again.
    assert outbox.deliver_due() == (0, 0)
    assert DELIVERY_ATTEMPTS == [1]

    # The mail server recovers; when the retry comes due, the message goes.
    deliver_through(settings, LOCMEM)
    Email.objects.update(scheduled_time=timezone.now() - timedelta(seconds=1))
    assert outbox.sweep() == 1
    email.refresh_from_db()
    assert email.status == STATUS.sent
    assert [message.to for message in mail.outbox] == [["olena.koval@example.org"]]


def test_retries_wait_longer_each_time_and_then_give_up(settings):
    deliver_through(settings, FAILING)
    settings.POST_OFFICE = {**settings.POST_OFFICE, "MAX_RETRIES": 3}
    mail.send_mail("Тема", "Текст", None, ["someone@example.org"])
    email = Email.objects.get()
    waits = []
    for _ in range(4):
        Email.objects.update(scheduled_time=timezone.now() - timedelta(seconds=1))
        before = timezone.now()
        outbox.deliver_due()
        email.refresh_from_db()
        if email.status == STATUS.requeued:
            waits.append(email.scheduled_time - before)
    assert email.status == STATUS.failed
    assert email.number_of_retries == 4
    assert email.logs.count() == 4
    assert len(waits) == 3
    assert waits[0] < waits[1] < waits[2]


class SilentServer:
    """Accepts SMTP connections and never says a word."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def test_a_silent_mail_server_neither_holds_the_page_nor_the_worker_for_long(
    registration_data,
    settings,
    silent_server,
    worker_only,
    django_capture_on_commit_callbacks,
):
    deliver_through(settings, "django.core.mail.backends.smtp.EmailBackend")
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_server.port
    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(Client(), registration_data)
    assert response.status_code == 302
    assert silent_server.accepted == []  # the page never spoke to it
    assert time.monotonic() - started < 5

    started = time.monotonic()
    assert outbox.deliver_due() == (0, 1)
    assert time.monotonic() - started < 5
    assert len(silent_server.accepted) == 1
    email = Email.objects.get()
    assert email.status == STATUS.requeued
    assert email.logs.get().exception_type in {"TimeoutError", "SMTPServerDisconnected"}


# What administrators see -------------------------------------------------------


def failed_email(to="someone@example.org"):
    email = Email.objects.create(
        from_email="noreply@example.org",
        to=[to],
        subject="Підтвердіть адресу",
        message="https://learn.example.org/accounts/confirm/secret-token/",
        status=STATUS.failed,
        number_of_retries=6,
    )
    email.logs.create(
        status=STATUS.failed, exception_type="SMTPDataError", message="451 try later"
    )
    return email


def test_administrators_see_failed_e_mails_with_the_error_but_not_the_body(
    superuser_client,
):
    failed_email()
    response = superuser_client.get(REPORT_URL, {"state": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "someone@example.org" in page
    assert "Підтвердіть адресу" in page
    assert "451 try later" in page
    assert "Не доставлено" in page
    assert "secret-token" not in page


def test_the_report_is_closed_to_editors(client):
    editor = factories.make_user(email="editor@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    failed_email()
    response = client.get(REPORT_URL)
    assert response.status_code in (302, 403)
    assert "someone@example.org" not in response.content.decode()


def test_the_report_has_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries
):
    failed_email()
    superuser_client.get(REPORT_URL)  # warm the per-process caches
    with django_assert_max_num_queries(20) as few:
        superuser_client.get(REPORT_URL)
    for number in range(30):
        failed_email(to=f"person{number}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = superuser_client.get(REPORT_URL)
    assert "person29@example.org" in response.content.decode()


def test_an_administrator_sends_a_failed_e_mail_again_and_it_is_logged(
    superuser_client, superuser, django_capture_on_commit_callbacks
):
    email = failed_email()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("outbox:retry", args=[email.pk]))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == STATUS.sent
    assert [message.to for message in mail.outbox] == [["someone@example.org"]]
    entry = ModelLogEntry.objects.get(action="lms.email_requeued")
    assert entry.user_id == superuser.pk


def test_sending_again_needs_a_post_and_the_permission(client, superuser_client):
    email = failed_email()
    assert (
        superuser_client.get(reverse("outbox:retry", args=[email.pk])).status_code
        == 405
    )
    editor = factories.make_user(email="editor@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    client.post(reverse("outbox:retry", args=[email.pk]))
    email.refresh_from_db()
    assert email.status == STATUS.failed
