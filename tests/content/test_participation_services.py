"""Decisions on applications: places, the waiting list, attendance, e-mails,
and what the person's data export and anonymisation do with applications."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from content.participation.models import Application
from content.participation.services import decide, mark_attendance, seats
from lms import data_export
from lms.accounts.services import anonymise_user
from tests import factories
from tests.content.participation_data import make_application, make_event, make_pilot

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def organiser():
    return factories.make_user(email="organiser@example.org")


def statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_selection_stops_at_the_places_in_order_of_submission(organiser):
    event = make_event(places=3)
    now = timezone.now()
    applications = [
        make_application(event, submitted_at=now - timedelta(minutes=10 - index))
        for index in range(5)
    ]

    result = decide(
        applications=reversed(applications), status=Status.SELECTED, by=organiser
    )

    assert statuses(applications) == [Status.SELECTED] * 3 + [Status.SUBMITTED] * 2
    assert [a.pk for a in result.no_places] == [a.pk for a in applications[3:]]
    assert (seats(event)["taken"], seats(event)["left"]) == (3, 0)


def test_a_decision_records_who_decided_and_the_note(organiser):
    application = make_application(make_event())

    decide(
        applications=[application],
        status=Status.WAITLISTED,
        note="Чекаємо на звільнення місць",
        by=organiser,
    )

    application.refresh_from_db()
    assert application.status == Status.WAITLISTED
    assert application.decided_by == organiser
    assert application.decision_note == "Чекаємо на звільнення місць"
    assert application.waitlisted_at is not None


def test_withdrawn_applications_and_repeated_decisions_change_nothing(organiser):
    event = make_event()
    withdrawn = make_application(event, status=Status.WITHDRAWN)
    selected = make_application(event, status=Status.SELECTED)

    result = decide(
        applications=[withdrawn, selected], status=Status.SELECTED, by=organiser
    )

    assert [a.pk for a in result.not_allowed] == [withdrawn.pk]
    assert [a.pk for a in result.unchanged] == [selected.pk]
    assert statuses([withdrawn, selected]) == [Status.WITHDRAWN, Status.SELECTED]


def test_declining_a_participant_promotes_the_first_on_the_waiting_list(
    organiser, django_capture_on_commit_callbacks
):
    event = make_event(places=2)
    now = timezone.now()
    selected = [make_application(event, status=Status.SELECTED) for _ in range(2)]
    later = make_application(
        event, status=Status.WAITLISTED, waitlisted_at=now - timedelta(hours=1)
    )
    first = make_application(
        event, status=Status.WAITLISTED, waitlisted_at=now - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = decide(
            applications=[selected[0]], status=Status.DECLINED, by=organiser,
            promote=True,
        )  # fmt: skip

    assert [a.pk for a in result.promoted] == [first.pk]
    assert statuses([selected[0], first, later]) == [
        Status.DECLINED,
        Status.SELECTED,
        Status.WAITLISTED,
    ]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[first.applicant.email] == (
        f"Для вас звільнилося місце: «{event.title}»"
    )
    assert subjects[selected[0].applicant.email] == (
        f"Рішення щодо вашої заявки: «{event.title}»"
    )
    assert later.applicant.email not in subjects


def test_without_promotion_a_freed_place_stays_free(organiser):
    event = make_event(places=1)
    selected = make_application(event, status=Status.SELECTED)
    waiting = make_application(event, status=Status.WAITLISTED)

    decide(applications=[selected], status=Status.DECLINED, by=organiser)

    assert statuses([selected, waiting]) == [Status.DECLINED, Status.WAITLISTED]
    assert seats(event)["left"] == 1


def test_promotion_fills_only_the_places_that_are_free(organiser):
    event = make_event(places=2)
    selected = [make_application(event, status=Status.SELECTED) for _ in range(2)]
    waiting = [make_application(event, status=Status.WAITLISTED) for _ in range(3)]

    result = decide(
        applications=selected, status=Status.DECLINED, by=organiser, promote=True
    )

    assert len(result.promoted) == 2
    assert Application.objects.filter(page=event, status=Status.SELECTED).count() == 2
    assert statuses(waiting).count(Status.WAITLISTED) == 1


@pytest.mark.parametrize(
    ("status", "subject", "phrase"),
    [
        (Status.SELECTED, "Вас відібрано: «{title}»", "відібрали вас для участі"),
        (
            Status.WAITLISTED,
            "Вас внесено до резерву: «{title}»",
            "внесли вас до резерву",
        ),
        (
            Status.DECLINED,
            "Рішення щодо вашої заявки: «{title}»",
            "не змогли запропонувати вам місце",
        ),
    ],
)
def test_each_decision_sends_a_ukrainian_email_with_the_note(
    organiser, django_capture_on_commit_callbacks, status, subject, phrase
):
    event = make_event()
    applicant = factories.make_user(first_name="Ірина", patronymic="Петрівна")
    application = make_application(event, applicant)

    with django_capture_on_commit_callbacks(execute=True):
        decide(
            applications=[application], status=status, by=organiser,
            note="Візьміть, будь ласка, паспорт.",
        )  # fmt: skip

    (message,) = mail.outbox
    assert message.to == [applicant.email]
    assert message.subject == subject.format(title=event.title)
    assert message.body.startswith("Добрий день, Ірино Петрівно!")
    assert phrase in message.body
    assert "Візьміть, будь ласка, паспорт." in message.body
    assert f"{settings.SITE_URL}/learning/" in message.body
    assert f"{settings.SITE_URL}{event.url}" in message.body


def test_a_decision_that_rolls_back_sends_no_email(
    organiser, django_capture_on_commit_callbacks
):
    application = make_application(make_event())

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decide(applications=[application], status=Status.SELECTED, by=organiser)
        raise RuntimeError

    assert mail.outbox == []
    assert statuses([application]) == [Status.SUBMITTED]


def test_attendance_is_marked_only_for_selected_participants_of_a_started_event(
    organiser,
):
    future = make_event()
    past = make_event(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    early = make_application(future, status=Status.SELECTED)
    came = make_application(past, status=Status.SELECTED)
    waiting = make_application(past, status=Status.WAITLISTED)

    marked = mark_attendance(
        applications=[early, came, waiting], attended=True, by=organiser
    )

    assert [a.pk for a in marked] == [came.pk]
    assert Application.objects.get(pk=came.pk).attended is True
    assert Application.objects.get(pk=early.pk).attended is None
    assert Application.objects.get(pk=waiting.pk).attended is None


def test_the_database_refuses_attendance_for_someone_not_selected():
    application = make_application(make_event(), status=Status.DECLINED)
    application.attended = True
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()


def test_a_participant_whose_attendance_is_marked_keeps_the_decision(organiser):
    past = make_event(starts_at=timezone.now() - timedelta(hours=3), ends_at=None)
    came = make_application(past, status=Status.SELECTED)
    mark_attendance(applications=[came], attended=True, by=organiser)

    result = decide(applications=[came], status=Status.DECLINED, by=organiser)

    assert [a.pk for a in result.not_allowed] == [came.pk]
    assert statuses([came]) == [Status.SELECTED]


def test_the_data_export_lists_the_persons_applications_only():
    pilot = make_pilot()
    mine = make_application(pilot, motivation="Моя мотивація")
    make_application(pilot, motivation="Чужа мотивація")

    exported = data_export.collect(mine.applicant)["applications"]

    assert [row["motivation"] for row in exported] == ["Моя мотивація"]
    assert exported[0]["page"] == pilot.title
    assert exported[0]["status"] == "на розгляді"


def test_anonymisation_removes_the_texts_and_keeps_the_record_of_participation():
    pilot = make_pilot()
    application = make_application(
        pilot, status=Status.SELECTED, decision_note="Особиста примітка"
    )

    anonymise_user(user=application.applicant)

    application.refresh_from_db()
    assert (application.motivation, application.experience) == ("", "")
    assert (application.organisation, application.position) == ("", "")
    assert application.decision_note == ""
    assert application.status == Status.SELECTED
    assert application.sector == "hromada"


def test_no_email_goes_to_an_anonymised_applicant(
    organiser, django_capture_on_commit_callbacks
):
    application = make_application(make_event())
    anonymise_user(user=application.applicant)

    with django_capture_on_commit_callbacks(execute=True):
        decide(applications=[application], status=Status.SELECTED, by=organiser)

    assert mail.outbox == []
