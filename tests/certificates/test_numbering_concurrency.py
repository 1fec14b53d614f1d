"""Races on PostgreSQL: double clicks and parallel completions issue one
certificate; parallel issues for different learners get distinct, consecutive
numbers (certificates/issuing.py, numbering.py)."""

import pytest
from django.db import connection
from wagtail.models import Collection, Locale, Page

from certificates.issuing import confirm_name, issue_certificate
from certificates.models import Certificate, CertificateCounter
from courses.progress import complete_lesson, enrol
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def wagtail_root():
    """A transactional test starts from flushed tables: recreate the roots of
    the page tree and of the collections (design images live in one)."""
    Locale.objects.get_or_create(language_code="uk")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


def confirmed_completion(tree):
    learner = factories.make_user()
    confirm_name(user=learner, printed_name=learner.get_full_name())
    return certificate_factories.complete_course(learner, tree)


def test_double_clicks_issue_one_certificate():
    certificate_factories.make_design()
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learner = factories.make_user()
    enrolment = certificate_factories.complete_course(learner, tree)
    confirm_name(user=learner, printed_name=learner.get_full_name())

    results, errors = run_together(
        *[lambda: issue_certificate(enrolment=enrolment)] * 4
    )

    assert errors == []
    assert Certificate.objects.count() == 1
    assert {certificate.number for certificate in results} == {
        Certificate.objects.get().number
    }
    assert CertificateCounter.objects.get().last_number == 1


def test_the_last_two_lessons_at_once_issue_one_certificate():
    certificate_factories.make_design()
    tree = factories.build_course(modules=1, lessons_per_module=2)
    learner = factories.make_user()
    confirm_name(user=learner, printed_name=learner.get_full_name())
    enrol(learner=learner, course=tree.course)

    _results, errors = run_together(
        *[
            lambda lesson=lesson: complete_lesson(learner=learner, lesson=lesson)
            for lesson in tree.lessons
        ]
    )

    assert errors == []
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_parallel_issues_for_different_learners_get_consecutive_numbers():
    certificate_factories.make_design()
    tree = factories.build_course(modules=1, lessons_per_module=1)
    # The certificates are issued on completion only once the name is confirmed,
    # so complete first and confirm afterwards.
    enrolments = [
        certificate_factories.complete_course(factories.make_user(), tree)
        for _ in range(6)
    ]
    for enrolment in enrolments:
        confirm_name(user=enrolment.learner, printed_name="Іваненко Петро")

    results, errors = run_together(
        *[
            lambda enrolment=enrolment: issue_certificate(enrolment=enrolment)
            for enrolment in enrolments
        ]
    )

    assert errors == []
    numbers = {certificate.number for certificate in results}
    assert len(numbers) == 6
    assert sorted(certificate.serial for certificate in results) == [1, 2, 3, 4, 5, 6]
    assert CertificateCounter.objects.get().last_number == 6
