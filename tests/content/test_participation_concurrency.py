"""Places under concurrency on PostgreSQL: never more selected than places,
whatever organisers do at the same moment (content/participation/services.py)."""

import pytest
from django.db import connection
from wagtail.models import Locale, Page

from content.participation.models import Application
from content.participation.services import (
    ApplicationRefused,
    decide,
    submit_application,
)
from tests import factories
from tests.concurrency import run_together
from tests.content.participation_data import make_application, make_event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

Status = Application.Status


@pytest.fixture(autouse=True)
def wagtail_root():
    Locale.objects.get_or_create(language_code="uk")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))


def organiser():
    return factories.make_user(email=f"org{factories.next_number()}@example.org")


def test_sixty_parallel_selections_for_fifty_places_select_exactly_fifty():
    event = make_event(places=50)
    applications = [make_application(event) for _ in range(60)]
    by = organiser()

    results, errors = run_together(
        *[
            (lambda application=application: decide(
                applications=[application], status=Status.SELECTED, by=by
            ))
            for application in applications
        ]
    )  # fmt: skip

    assert errors == []
    assert Application.objects.filter(page=event, status=Status.SELECTED).count() == 50
    assert sum(len(result.changed) for result in results) == 50
    assert sum(len(result.no_places) for result in results) == 10
    left_out = Application.objects.filter(page=event, status=Status.SUBMITTED)
    assert left_out.count() == 10


def test_two_organisers_selecting_overlapping_lists_fill_the_places_once():
    event = make_event(places=50)
    applications = [make_application(event) for _ in range(70)]
    first, second = organiser(), organiser()

    results, errors = run_together(
        lambda: decide(
            applications=applications[:45], status=Status.SELECTED, by=first
        ),
        lambda: decide(
            applications=applications[25:], status=Status.SELECTED, by=second
        ),
    )

    assert errors == []
    assert Application.objects.filter(page=event, status=Status.SELECTED).count() == 50


def test_declining_with_promotion_while_another_organiser_selects_keeps_the_limit():
    event = make_event(places=10)
    selected = [make_application(event, status=Status.SELECTED) for _ in range(10)]
    waiting = [make_application(event, status=Status.WAITLISTED) for _ in range(5)]
    newcomers = [make_application(event) for _ in range(5)]
    by = organiser()

    results, errors = run_together(
        lambda: decide(
            applications=selected[:3], status=Status.DECLINED, by=by, promote=True
        ),
        lambda: decide(applications=newcomers, status=Status.SELECTED, by=by),
    )

    assert errors == []
    assert Application.objects.filter(page=event, status=Status.SELECTED).count() == 10
    assert Application.objects.filter(page=event, status=Status.DECLINED).count() == 3
    assert len(waiting) == 5


def test_parallel_submissions_of_one_person_leave_one_application():
    event = make_event()
    applicant = factories.make_user()
    data = {
        "sector": "hromada",
        "organisation": "Кремінська міська рада",
        "position": "Секретар",
        "motivation": "Мотивація",
        "experience": "",
    }

    results, errors = run_together(
        *[lambda: submit_application(user=applicant, page=event, data=data)] * 6
    )

    assert len(results) == 1
    assert len(errors) == 5
    assert all(isinstance(error, ApplicationRefused) for error in errors)
    assert Application.objects.filter(page=event, applicant=applicant).count() == 1
