"""Who gets what: downloads, the name confirmation page, «Моє навчання» and the
personal-data export (certificates/views.py, selectors.py)."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.issuing import confirm_name, issue_certificate, revoke_certificate
from certificates.models import Certificate, NameConfirmation
from courses.outline import forget_outlines
from courses.progress import enrol
from lms import data_export
from lms.accounts.services import anonymise_user
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

DASHBOARD = "/learning/"


@pytest.fixture
def certificate(design, completed_enrolment, confirmed_learner):
    return issue_certificate(enrolment=completed_enrolment)


def download_url(certificate) -> str:
    return reverse("certificates:download", args=[certificate.pk])


def confirm_url(course) -> str:
    return reverse("certificates:confirm_name", args=[course.pk])


def staff_with(*codenames):
    user = factories.make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="certificates").filter(
            codename__in=codenames
        )
    )
    return user


# Download ----------------------------------------------------------------------


def test_the_holder_downloads_the_stored_file_identically_every_time(
    client, certificate
):
    client.force_login(certificate.learner)

    first = client.get(download_url(certificate))
    second = client.get(download_url(certificate))

    assert first.status_code == second.status_code == 200
    first_bytes = b"".join(first.streaming_content)
    assert first_bytes == b"".join(second.streaming_content)
    assert first_bytes == Path(certificate.pdf.path).read_bytes()
    assert hashlib.sha256(first_bytes).hexdigest() == certificate.pdf_sha256
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("attachment;")
    assert "no-store" in first["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("holder", 200),
        ("other learner", 404),
        ("staff without the permission", 404),
        ("staff with the permission", 200),
        ("superuser", 200),
    ],
)
def test_only_the_holder_and_permitted_staff_download(
    client, certificate, superuser, who, expected
):
    user = {
        "holder": certificate.learner,
        "other learner": factories.make_user(),
        "staff without the permission": staff_with("view_certificate"),
        "staff with the permission": staff_with("download_any_certificate"),
        "superuser": superuser,
    }[who]
    client.force_login(user)
    assert client.get(download_url(certificate)).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    response = client.get(download_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


@pytest.mark.parametrize("pk", [0, 999_999, 2**62])
def test_unknown_ids_answer_404(client, learner, pk):
    client.force_login(learner)
    assert client.get(f"/certificates/{pk}/download/").status_code == 404


def test_pdfs_live_outside_the_media_folder_and_url(client, certificate, settings):
    assert client.get(f"/media/{certificate.pdf.name}").status_code == 404
    assert not (Path(settings.MEDIA_ROOT) / certificate.pdf.name).exists()
    assert Path(certificate.pdf.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)


# Name confirmation page --------------------------------------------------------


def test_the_confirmation_page_shows_the_name_from_the_profile(
    client, design, completed_enrolment, learner
):
    client.force_login(learner)
    response = client.get(confirm_url(completed_enrolment.course))

    assert response.status_code == 200
    assert learner.get_full_name() in response.content.decode()
    assert response.context["form"]["last_name"].value() == learner.last_name
    assert not NameConfirmation.objects.exists()


def test_confirming_the_name_issues_the_certificate(
    client, design, completed_enrolment, learner
):
    client.force_login(learner)
    response = client.post(
        confirm_url(completed_enrolment.course),
        {
            "last_name": "Коваленко-Шевчук",
            "first_name": "Мар'яна",
            "patronymic": "",
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    # On to the certificate itself, ready to download.
    course_id = completed_enrolment.course_id
    assert response["Location"] == reverse(
        "certificates:course_certificate", args=[course_id]
    )
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.holder_name == "Коваленко-Шевчук Марʼяна"
    assert NameConfirmation.objects.get(user=learner).printed_name == (
        "Коваленко-Шевчук Марʼяна"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"last_name": "Коваленко", "first_name": "Марʼяна"},  # not ticked
        {"last_name": "", "first_name": "Марʼяна", "confirm": "on"},
        {"last_name": "Кова\u202eленко", "first_name": "Марʼяна", "confirm": "on"},
        {"last_name": "К" * 151, "first_name": "Марʼяна", "confirm": "on"},
    ],
)
def test_a_bad_name_is_refused_with_the_typed_values_kept(
    client, design, completed_enrolment, learner, data
):
    client.force_login(learner)
    response = client.post(confirm_url(completed_enrolment.course), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["form"]["first_name"].value() == "Марʼяна"
    assert not Certificate.objects.exists()
    assert not NameConfirmation.objects.exists()


def test_the_confirmation_page_is_only_for_the_learners_completed_courses(
    client, design, completed_enrolment, course_tree
):
    stranger = factories.make_user()
    client.force_login(stranger)
    assert client.get(confirm_url(completed_enrolment.course)).status_code == 404

    enrol(learner=stranger, course=course_tree.course)
    assert client.get(confirm_url(course_tree.course)).status_code == 404


def test_confirming_needs_a_csrf_token(design, completed_enrolment, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(
        confirm_url(completed_enrolment.course),
        {"last_name": "Коваленко", "first_name": "Марʼяна", "confirm": "on"},
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()


def test_when_issuing_fails_the_learner_is_told_why(
    client, completed_enrolment, learner
):
    client.force_login(learner)  # no design is published
    response = client.post(
        confirm_url(completed_enrolment.course),
        {"last_name": "Коваленко", "first_name": "Марʼяна", "confirm": "on"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("no certificate design" in m or "дизайн" in m for m in messages)
    assert not Certificate.objects.exists()


# «Моє навчання» ----------------------------------------------------------------


def test_a_completed_course_without_a_certificate_asks_to_confirm_the_name(
    client, design, completed_enrolment, learner
):
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    assert confirm_url(completed_enrolment.course) in html
    assert _("Confirm how your name is printed to get the certificate") in html


def test_a_certificate_is_offered_for_download_with_its_number(client, certificate):
    client.force_login(certificate.learner)
    html = client.get(DASHBOARD).content.decode()
    assert download_url(certificate) in html
    assert certificate.number in html
    assert confirm_url(certificate.course) not in html


def test_a_revoked_certificate_is_not_offered(client, certificate, superuser):
    revoke_certificate(certificate=certificate, by=superuser, reason="Помилка")
    client.force_login(certificate.learner)
    html = client.get(DASHBOARD).content.decode()
    assert download_url(certificate) not in html
    assert confirm_url(certificate.course) not in html


def _dashboard_queries(client, learner) -> int:
    client.force_login(learner)
    forget_outlines()  # compare cold outline caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_one_or_three_certificates(
    client, design, django_assert_max_num_queries
):
    counts = []
    for courses in (1, 3):
        learner = factories.make_user()
        confirm_name(user=learner, printed_name="Іваненко Петро")
        for _n in range(courses):
            tree = factories.build_course(modules=1, lessons_per_module=1)
            enrolment = certificate_factories.complete_course(learner, tree)
            issue_certificate(enrolment=enrolment)
        counts.append(_dashboard_queries(client, learner))
        client.logout()

    assert counts[0] == counts[1]
    client.force_login(learner)
    forget_outlines()
    with django_assert_max_num_queries(counts[1]):
        client.get(DASHBOARD)


# Personal data -----------------------------------------------------------------


def test_the_data_export_lists_only_the_persons_own_certificates(certificate, design):
    other = factories.make_user()
    confirm_name(user=other, printed_name="Іваненко Петро")
    issue_certificate(
        enrolment=certificate_factories.complete_course(
            other, factories.build_course(modules=1, lessons_per_module=1)
        )
    )

    data = data_export.collect(certificate.learner)

    assert [item["number"] for item in data["certificates"]] == [certificate.number]
    assert data["name_confirmations"][0]["printed_name"] == certificate.holder_name


def test_anonymising_the_account_forgets_the_confirmed_name_but_keeps_the_register(
    certificate,
):
    anonymise_user(user=certificate.learner)

    assert not NameConfirmation.objects.exists()
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert certificate.holder_name == "Коваленко Марʼяна Іванівна"
