"""Bulk issue through the task backend, with progress (certificates/bulk.py,
tasks.py, the «Видати сертифікати масово» admin view)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from certificates.bulk import run_bulk_issue, start_bulk_issue
from certificates.issuing import (
    NotPermitted,
    confirm_name,
    issue_certificate,
    revoke_certificate,
)
from certificates.models import BulkIssueJob, Certificate
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

BULK_URL = "/admin/certificates/bulk/"


@pytest.fixture
def learners(design):
    """Three learners who completed one course: the first confirmed the name."""
    tree = factories.build_course(modules=1, lessons_per_module=1)
    people = [
        factories.make_user(last_name=surname)
        for surname in ("Андрієнко", "Бондаренко", "Василенко")
    ]
    for person in people:
        certificate_factories.complete_course(person, tree)
    confirm_name(user=people[0], printed_name="Підтверджене Імʼя")
    return people


def test_bulk_issue_issues_to_confirmed_learners_and_lists_the_others(
    superuser_client, learners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(BULK_URL, {"course": ""})

    job = BulkIssueJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate_bulk_issue:job", args=[job.pk])
    assert job.status == BulkIssueJob.Status.FINISHED
    assert (job.total, job.issued, job.waiting, job.failed) == (3, 1, 2, 0)
    assert Certificate.objects.get().holder_name == "Підтверджене Імʼя"
    page = superuser_client.get(response["Location"]).content.decode()
    for waiting in learners[1:]:
        assert waiting.email in page


def test_profile_names_are_printed_only_when_the_admin_ticks_the_option(
    superuser, learners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_issue(by=superuser, use_profile_names=True)

    job.refresh_from_db()
    assert (job.issued, job.waiting) == (3, 0)
    names = set(Certificate.objects.values_list("holder_name", flat=True))
    assert names == {
        "Підтверджене Імʼя",
        learners[1].get_full_name(),
        learners[2].get_full_name(),
    }
    assert set(Certificate.objects.values_list("issued_by", flat=True)) == {
        superuser.pk
    }


def test_a_second_run_skips_issued_and_revoked_certificates(
    superuser, learners, django_capture_on_commit_callbacks
):
    enrolment = learners[1].enrolments.get()
    revoked = issue_certificate(enrolment=enrolment, holder_name="Бондаренко Марʼяна")
    revoke_certificate(certificate=revoked, by=superuser, reason="Помилка")
    with django_capture_on_commit_callbacks(execute=True):
        start_bulk_issue(by=superuser, use_profile_names=True)
        second = start_bulk_issue(by=superuser, use_profile_names=True)

    second.refresh_from_db()
    assert second.total == 0
    assert Certificate.objects.valid().count() == 2
    assert not Certificate.objects.valid().filter(learner=learners[1]).exists()


def test_a_learner_without_any_name_is_reported_as_failed(
    superuser, design, django_capture_on_commit_callbacks
):
    nameless = factories.make_user(last_name="", first_name="", patronymic="")
    enrolment = certificate_factories.complete_course(nameless)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_issue(by=superuser, use_profile_names=True)

    job.refresh_from_db()
    assert (job.issued, job.failed) == (0, 1)
    assert job.failures[0]["enrolment"] == enrolment.pk
    assert job.failures[0]["error"]


def test_a_bulk_run_can_be_limited_to_one_course(
    superuser, learners, django_capture_on_commit_callbacks
):
    other = factories.make_user()
    other_enrolment = certificate_factories.complete_course(other)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_issue(
            by=superuser, course=other_enrolment.course, use_profile_names=True
        )

    job.refresh_from_db()
    assert job.total == 1
    assert Certificate.objects.get().learner == other


def test_running_a_finished_job_again_does_nothing(
    superuser, learners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_issue(by=superuser, use_profile_names=True)
    certificate_factories.complete_course(factories.make_user())

    run_bulk_issue(job_id=job.pk)

    assert Certificate.objects.count() == 3


def test_the_progress_page_of_a_running_job_offers_a_refresh_link(
    superuser_client, superuser, design
):
    job = BulkIssueJob.objects.create(
        created_by=superuser, status=BulkIssueJob.Status.RUNNING, total=10, issued=4
    )
    url = reverse("certificate_bulk_issue:job", args=[job.pk])

    html = superuser_client.get(url).content.decode()

    assert f'href="{url}"' in html
    assert 'value="4"' in html and 'max="10"' in html
    assert 'http-equiv="refresh"' not in html


def test_bulk_issue_needs_the_permission(client, learners):
    staff = factories.make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    response = client.post(BULK_URL, {"course": "", "use_profile_names": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not BulkIssueJob.objects.exists()
    with pytest.raises(NotPermitted):
        start_bulk_issue(by=staff)


def test_the_bulk_page_counts_what_is_waiting(superuser_client, learners):
    response = superuser_client.get(BULK_URL)
    assert response.status_code == 200
    assert response.context["pending"] == 3
