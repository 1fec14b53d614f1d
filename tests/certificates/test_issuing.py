"""Issuing, the snapshot, revoking and re-issuing (certificates/issuing.py)."""

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from certificates import issuing
from certificates.issuing import (
    CertificateBuildFailed,
    CertificateNotValid,
    CertificateWasRevoked,
    CourseNotCompleted,
    InvalidHolderName,
    NameNotConfirmed,
    NoCertificateDesign,
    NotPermitted,
    ReasonRequired,
    confirm_name,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import (
    Certificate,
    CertificateCounter,
    CertificateImmutable,
)
from certificates.signing import signing_enabled
from courses.models import Enrolment
from courses.progress import enrol
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def _pdf_files() -> list[Path]:
    return sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf"))


# Issuing once ------------------------------------------------------------------


def test_a_learner_who_confirmed_the_name_gets_a_certificate_with_the_course_snapshot(
    design, completed_enrolment, confirmed_learner
):
    course = completed_enrolment.course

    certificate = issue_certificate(enrolment=completed_enrolment)

    assert certificate.status == Certificate.Status.VALID
    assert certificate.learner == confirmed_learner
    assert certificate.holder_name == "Коваленко Марʼяна Іванівна"
    assert certificate.course_title == course.title
    assert certificate.programme_code == course.programme_code
    assert certificate.hours == 30
    assert certificate.credits == Decimal("1.00")
    assert certificate.outcomes == ["Планує спільні проєкти з партнерами громади."]
    assert certificate.provider_name == course.provider_name
    assert certificate.signer_name == design.signer_name
    assert certificate.heading == design.heading
    assert certificate.issued_on == timezone.localdate()
    assert certificate.number == f"РВ-{certificate.issued_on.year}-000001"
    assert len(certificate.verification_code) >= 32


def test_issuing_twice_returns_the_first_certificate(
    design, completed_enrolment, confirmed_learner
):
    first = issue_certificate(enrolment=completed_enrolment)
    second = issue_certificate(enrolment=completed_enrolment)

    assert second.pk == first.pk
    assert Certificate.objects.count() == 1
    assert CertificateCounter.objects.get().last_number == 1


def test_an_unfinished_course_gets_no_certificate(design, learner, course_tree):
    confirm_name(user=learner, printed_name="Коваленко Марʼяна")
    enrolment, _created = enrol(learner=learner, course=course_tree.course)

    with pytest.raises(CourseNotCompleted):
        issue_certificate(enrolment=enrolment)
    assert not Certificate.objects.exists()


def test_without_a_confirmed_name_no_certificate_is_issued(design, completed_enrolment):
    with pytest.raises(NameNotConfirmed):
        issue_certificate(enrolment=completed_enrolment)
    assert not Certificate.objects.exists()


def test_without_a_published_design_issuing_says_why(
    completed_enrolment, confirmed_learner
):
    certificate_factories.make_design(publish=False)

    with pytest.raises(NoCertificateDesign):
        issue_certificate(enrolment=completed_enrolment)
    assert not Certificate.objects.exists()


def test_completing_a_course_after_confirming_the_name_issues_the_certificate(
    design, learner, single_lesson_course, django_capture_on_commit_callbacks
):
    confirm_name(user=learner, printed_name="Коваленко Марʼяна Іванівна")

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = certificate_factories.complete_course(learner, single_lesson_course)

    certificate = Certificate.objects.get()
    assert certificate.enrolment == enrolment
    assert certificate.holder_name == "Коваленко Марʼяна Іванівна"


def test_completing_a_course_without_a_confirmed_name_issues_nothing(
    design, learner, single_lesson_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrolment = certificate_factories.complete_course(learner, single_lesson_course)

    assert enrolment.completed_at is not None
    assert callbacks, "course_completed was announced"
    assert not Certificate.objects.exists()


def test_the_pdf_is_stored_privately_with_its_sha256(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)

    path = Path(certificate.pdf.path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert certificate.pdf_sha256 == hashlib.sha256(content).hexdigest()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert certificate.signed is signing_enabled()
    with pytest.raises(ValueError, match="no URL"):
        certificate.pdf.url  # noqa: B018


def test_a_failing_pdf_leaves_no_certificate_no_used_number_and_no_file(
    design, completed_enrolment, confirmed_learner, monkeypatch
):
    def broken(data):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(issuing, "build_certificate_pdf", broken)
    with pytest.raises(CertificateBuildFailed):
        issue_certificate(enrolment=completed_enrolment)

    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last_number__gt=0).exists()
    assert _pdf_files() == []
    monkeypatch.undo()
    assert issue_certificate(enrolment=completed_enrolment).serial == 1


def test_a_failing_save_removes_the_stored_pdf(
    design, completed_enrolment, confirmed_learner, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Certificate, "full_clean", refuse)
    with pytest.raises(IntegrityError):
        issue_certificate(enrolment=completed_enrolment)
    assert _pdf_files() == []


def test_the_completion_date_is_the_date_in_kyiv(
    design, completed_enrolment, confirmed_learner
):
    # 22:30 UTC on 30 March 2025 is already 31 March in Kyiv (summer time).
    moment = datetime.datetime(2025, 3, 30, 22, 30, tzinfo=datetime.UTC)
    Enrolment.objects.filter(pk=completed_enrolment.pk).update(completed_at=moment)
    completed_enrolment.refresh_from_db()

    certificate = issue_certificate(enrolment=completed_enrolment)

    assert certificate.completed_on == datetime.date(2025, 3, 31)


def test_numbers_follow_the_format_and_start_again_each_year(
    design, settings, django_capture_on_commit_callbacks
):
    settings.CERTIFICATE_NUMBER_FORMAT = "РВ-{year}-{number:06d}"
    tree = factories.build_course(modules=1, lessons_per_module=1)
    numbers = []
    for year in (2025, 2025, 2026):
        learner = factories.make_user()
        confirm_name(user=learner, printed_name="Іваненко Петро")
        moment = datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)
        with (
            time_machine.travel(moment),
            django_capture_on_commit_callbacks(execute=True),
        ):
            enrolment = certificate_factories.complete_course(learner, tree)
        numbers.append(Certificate.objects.get(enrolment=enrolment).number)

    assert numbers == ["РВ-2025-000001", "РВ-2025-000002", "РВ-2026-000001"]


def test_names_are_normalised_and_hostile_ones_refused(learner):
    confirmation = confirm_name(user=learner, printed_name="  Мар'яна   Коваленко ")
    assert confirmation.printed_name == "Марʼяна Коваленко"

    for hostile in (f"Коваленко {RLO}анряаМ", "Коваленко\x00", "   ", "1234"):
        with pytest.raises(InvalidHolderName):
            confirm_name(user=learner, printed_name=hostile)


# Immutability ------------------------------------------------------------------


def test_the_snapshot_cannot_change_after_issue(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)

    for field, value in (
        ("holder_name", "Інше Імʼя"),
        ("course_title", "Інший курс"),
        ("hours", 60),
        ("number", "РВ-1999-000001"),
        ("pdf_sha256", "0" * 64),
        ("pdf", "pdf/forged.pdf"),
    ):
        fresh = Certificate.objects.get(pk=certificate.pk)
        setattr(fresh, field, value)
        with pytest.raises(CertificateImmutable):
            fresh.save()

    fresh = Certificate.objects.get(pk=certificate.pk)
    fresh.outcomes.append("Дописаний результат")
    with pytest.raises(CertificateImmutable):
        fresh.save()
    assert Certificate.objects.get(pk=certificate.pk).holder_name == (
        certificate.holder_name
    )


def test_status_fields_may_change_but_never_back_to_valid(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    certificate.status = Certificate.Status.REVOKED
    certificate.revocation_reason = "Помилка"
    certificate.save()

    certificate.status = Certificate.Status.VALID
    with pytest.raises(CertificateImmutable):
        certificate.save()


def test_a_certificate_cannot_be_deleted(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    with pytest.raises(CertificateImmutable):
        certificate.delete()
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_a_new_design_changes_only_certificates_issued_after_it(
    design, completed_enrolment, confirmed_learner
):
    first = issue_certificate(enrolment=completed_enrolment)
    first_pdf = Path(first.pdf.path).read_bytes()
    first_logo = Path(first.logo.path).read_bytes()

    new_design = certificate_factories.make_design(
        heading="ПОСВІДЧЕННЯ",
        signer_name="Петро Іваненко",
        logo=certificate_factories.make_image(title="New logo", colour="red"),
    )
    design.logo.delete()  # the old image leaves the library altogether
    other = factories.make_user()
    confirm_name(user=other, printed_name="Іваненко Петро")
    second = issue_certificate(
        enrolment=certificate_factories.complete_course(
            other, factories.build_course(modules=1, lessons_per_module=1)
        )
    )

    first.refresh_from_db()
    assert (first.heading, first.signer_name) == ("СЕРТИФІКАТ", "Олена Коваленко")
    assert Path(first.pdf.path).read_bytes() == first_pdf
    assert Path(first.logo.path).read_bytes() == first_logo
    assert hashlib.sha256(first_logo).hexdigest() == first.logo_sha256
    assert (second.heading, second.signer_name) == ("ПОСВІДЧЕННЯ", "Петро Іваненко")
    assert second.design == new_design
    assert second.logo_sha256 != first.logo_sha256


def test_renaming_the_course_does_not_change_issued_certificates(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    title = certificate.course_title
    course = completed_enrolment.course
    course.title = "Зовсім нова назва"
    course.hours = 60
    factories.publish(course)

    certificate.refresh_from_db()
    assert certificate.course_title == title
    assert certificate.hours == 30


def test_the_database_allows_one_valid_certificate_per_learner_and_course(
    design, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    duplicate = Certificate.objects.get(pk=certificate.pk)
    duplicate.pk = None
    duplicate._state.adding = True
    duplicate.number, duplicate.serial = "РВ-X", 999
    duplicate.verification_code = "another-code"

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


# Revoking ----------------------------------------------------------------------


def test_revoking_needs_a_reason(
    design, completed_enrolment, confirmed_learner, superuser
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    for reason in ("", "   "):
        with pytest.raises(ReasonRequired):
            revoke_certificate(certificate=certificate, by=superuser, reason=reason)
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_revoking_needs_the_permission(design, completed_enrolment, confirmed_learner):
    certificate = issue_certificate(enrolment=completed_enrolment)
    with pytest.raises(NotPermitted):
        revoke_certificate(
            certificate=certificate, by=confirmed_learner, reason="Не хочу"
        )
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_revoking_keeps_the_certificate_in_the_register_and_logs_who_and_when(
    design, completed_enrolment, confirmed_learner, superuser
):
    certificate = issue_certificate(enrolment=completed_enrolment)

    revoked = revoke_certificate(
        certificate=certificate, by=superuser, reason="Підроблені результати"
    )

    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.revoked_by == superuser
    assert revoked.revocation_reason == "Підроблені результати"
    assert revoked.revoked_at is not None
    entry = log_registry.get_logs_for_instance(revoked).get(
        action="certificates.revoke"
    )
    assert entry.user == superuser
    assert entry.data["reason"] == "Підроблені результати"
    assert abs(entry.timestamp - revoked.revoked_at) < datetime.timedelta(seconds=5)
    with pytest.raises(CertificateNotValid):
        revoke_certificate(certificate=revoked, by=superuser, reason="Ще раз")


def test_after_revocation_the_learner_cannot_issue_a_new_certificate(
    design, completed_enrolment, confirmed_learner, superuser
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    revoke_certificate(certificate=certificate, by=superuser, reason="Помилка")

    with pytest.raises(CertificateWasRevoked):
        issue_certificate(enrolment=completed_enrolment)
    assert Certificate.objects.count() == 1


# Re-issuing --------------------------------------------------------------------


def test_reissuing_gives_a_new_number_and_marks_the_old_one_superseded(
    design, completed_enrolment, confirmed_learner, superuser
):
    old = issue_certificate(enrolment=completed_enrolment)
    old_pdf = Path(old.pdf.path).read_bytes()

    new = reissue_certificate(
        certificate=old, by=superuser, holder_name="Коваленко-Шевчук Марʼяна Іванівна"
    )

    old.refresh_from_db()
    assert new.number != old.number
    assert new.serial == old.serial + 1
    assert new.holder_name == "Коваленко-Шевчук Марʼяна Іванівна"
    assert new.is_valid and new.issued_by == superuser
    assert old.status == Certificate.Status.SUPERSEDED
    assert old.superseded_by == new
    assert old.holder_name == "Коваленко Марʼяна Іванівна"
    assert Path(old.pdf.path).read_bytes() == old_pdf
    entry = ModelLogEntry.objects.get(action="certificates.reissue")
    assert entry.object_id == str(old.pk)
    assert entry.user == superuser
    assert entry.data["new_number"] == new.number
    assert issue_certificate(enrolment=completed_enrolment) == new


def test_only_a_valid_certificate_can_be_reissued(
    design, completed_enrolment, confirmed_learner, superuser
):
    old = issue_certificate(enrolment=completed_enrolment)
    reissue_certificate(certificate=old, by=superuser, holder_name="Іваненко Петро")

    with pytest.raises(CertificateNotValid):
        reissue_certificate(certificate=old, by=superuser, holder_name="Інший")
    assert Certificate.objects.valid().count() == 1


def test_reissuing_needs_the_permission_and_a_printable_name(
    design, completed_enrolment, confirmed_learner, superuser
):
    old = issue_certificate(enrolment=completed_enrolment)
    with pytest.raises(NotPermitted):
        reissue_certificate(certificate=old, by=confirmed_learner, holder_name="Я")
    with pytest.raises(InvalidHolderName):
        reissue_certificate(certificate=old, by=superuser, holder_name=f"Ім{RLO}я")
    old.refresh_from_db()
    assert old.is_valid
    assert Certificate.objects.count() == 1
