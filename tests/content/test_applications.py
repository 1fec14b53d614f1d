"""Applying to pilots and events, and withdrawing: the learner's forms.

The rules themselves live in content/participation/services.py; these tests
go through the pages a learner uses, as a learner would.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.issuing import confirm_name, issue_certificate, revoke_certificate
from content.participation.models import (
    EXPERIENCE_MAX_LENGTH,
    MOTIVATION_MAX_LENGTH,
    Application,
    Eligibility,
    Sector,
)
from content.participation.services import mark_attendance
from courses.progress import enrol
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import design, private_media  # noqa: F401
from tests.content.participation_data import make_application, make_event, make_pilot

pytestmark = pytest.mark.django_db

Status = Application.Status
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MOTIVATION = "Хочу впровадити «Розумну взаємодію» в нашій громаді."


def apply_url(page) -> str:
    return reverse("participation:apply", args=[page.pk])


def form_data(**overrides) -> dict:
    return {
        "sector": Sector.HROMADA,
        "organisation": "Кремінська міська рада",
        "position": "Секретар ради",
        "motivation": MOTIVATION,
        "experience": "Три роки в місцевому самоврядуванні.",
        "consent": "on",
        **overrides,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def error_summary(response) -> str:
    summary = soup(response).select_one(".error-summary")
    assert summary is not None, "no error summary"
    return " ".join(summary.get_text(" ").split())


def typed_values(response) -> dict:
    page = soup(response)
    return {
        "organisation": page.select_one("#id_organisation")["value"],
        "position": page.select_one("#id_position")["value"],
        "motivation": page.select_one("#id_motivation").get_text().strip(),
        "experience": page.select_one("#id_experience").get_text().strip(),
        "sector": [
            radio["value"] for radio in page.select("input[name=sector][checked]")
        ],
    }


@pytest.fixture
def certificate_holder(design):  # noqa: F811
    """A learner with a valid certificate of a course, and that course."""
    learner = factories.make_user()
    confirm_name(user=learner, printed_name=learner.get_full_name())
    tree = factories.build_course(modules=1, lessons_per_module=1)
    enrolment = certificate_factories.complete_course(learner, tree)
    certificate = issue_certificate(enrolment=enrolment)
    assert certificate.is_valid
    return learner, tree.course, certificate


# Who may open the form --------------------------------------------------------


def test_the_form_asks_anonymous_visitors_to_sign_in_and_come_back(client):
    event = make_event()
    response = client.get(apply_url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={apply_url(event)}"
    response = client.post(apply_url(event), form_data())
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_only_live_pilots_and_events_have_a_form(learner):
    client = signed_in(learner)
    event = make_event()
    draft = make_pilot()
    draft.unpublish()
    tree = factories.build_course(modules=1, lessons_per_module=1)
    for page_id in (
        tree.home.pk,
        tree.course.pk,
        event.get_parent().pk,
        draft.pk,
        999999,
    ):
        assert client.get(f"/participation/{page_id}/apply/").status_code == 404
        assert (
            client.post(f"/participation/{page_id}/apply/", form_data()).status_code
            == 404
        )
    assert not Application.objects.exists()
    assert client.get(apply_url(event)).status_code == 200


# The form ---------------------------------------------------------------------


def test_the_form_starts_from_the_profile_and_shows_the_record_sent(
    certificate_holder,
):
    learner, course, certificate = certificate_holder
    learner.organisation = "Рубіжанська міська рада"
    learner.position_title = "Начальниця відділу"
    learner.save()
    pilot = make_pilot(eligibility=Eligibility.COMPLETION_PREFERRED, course=course)

    response = signed_in(learner).get(apply_url(pilot))

    assert response.status_code == 200
    values = typed_values(response)
    assert values["organisation"] == "Рубіжанська міська рада"
    assert values["position"] == "Начальниця відділу"
    text = " ".join(soup(response).get_text(" ").split())
    assert f"Ваш запис у курсі «{course.title}» буде надіслано разом із заявкою" in text
    assert "статус у курсі: ви завершили курс" in text
    assert f"сертифікат № {certificate.number}" in text


def test_every_input_has_a_label_and_the_sectors_are_a_fieldset(learner):
    response = signed_in(learner).get(apply_url(make_event()))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.find("main", id="main") is not None
    form = page.select_one("main form.form")
    inputs = form.select("input:not([type=hidden]), textarea, select")
    assert len(inputs) == len(Sector.values) + 5
    for element in inputs:
        label = form.find("label", attrs={"for": element["id"]})
        assert label is not None and label.get_text(strip=True), element
    fieldset = page.select_one("input[name=sector]").find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Кого ви представляєте?"
    assert page.select_one("#id_motivation")["maxlength"] == str(MOTIVATION_MAX_LENGTH)
    assert page.select_one("#id_experience")["maxlength"] == str(EXPERIENCE_MAX_LENGTH)


def test_missing_answers_are_listed_in_the_error_summary_with_links(learner):
    event = make_event()
    response = signed_in(learner).post(
        apply_url(event),
        form_data(sector="", motivation="   ", consent="", organisation="ГО «Світло»"),
    )
    assert response.status_code == 200
    links = {
        link["href"]: link.get_text(" ", strip=True)
        for link in soup(response).select(".error-summary a")
    }
    assert links["#id_sector_0"].startswith("Кого ви представляєте?")
    assert "#id_motivation" in links
    assert "#id_consent" in links
    assert soup(response).select_one("#id_sector_0") is not None
    assert typed_values(response)["organisation"] == "ГО «Світло»"
    assert not Application.objects.exists()


def test_texts_longer_than_allowed_are_refused_and_kept(learner):
    event = make_event()
    long_text = "а" * (MOTIVATION_MAX_LENGTH + 1)
    response = signed_in(learner).post(
        apply_url(event), form_data(motivation=long_text)
    )
    assert response.status_code == 200
    assert "#id_motivation" in {
        a["href"] for a in soup(response).select(".error-summary a")
    }
    assert typed_values(response)["motivation"] == long_text
    assert not Application.objects.exists()


def test_a_valid_application_is_saved_and_the_learner_is_sent_back_to_the_page(
    learner, django_capture_on_commit_callbacks
):
    event = make_event()
    client = signed_in(learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(event), form_data())

    assert response.status_code == 302
    assert response["Location"] == event.url
    application = Application.objects.get()
    assert application.applicant == learner
    assert application.page_id == event.pk
    assert application.status == Status.SUBMITTED
    assert application.motivation == MOTIVATION
    assert application.consent_given_at is not None
    page = client.get(event.url).content.decode()
    assert f"Вашу заявку на «{event.title}» надіслано" in page
    assert "на розгляді" in page
    # The e-mail, in Ukrainian, to the applicant.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert message.subject == f"Вашу заявку на участь у «{event.title}» отримано"
    # The name as stored, with the Ukrainian apostrophe U+02BC.
    assert message.body.startswith("Добрий день, Мар\u02bcяно Іванівно!")
    assert f"Ми отримали вашу заявку на участь у «{event.title}»" in message.body


def test_typed_markup_is_kept_as_text_in_the_form(learner):
    event = make_event(applications_open_at=timezone.now() + timedelta(days=1))
    response = signed_in(learner).post(
        apply_url(event), form_data(motivation=XSS, organisation=XSS)
    )
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert typed_values(response)["motivation"] == XSS


# Eligibility ------------------------------------------------------------------


def test_anyone_signed_in_may_apply_to_an_open_event(learner):
    response = signed_in(learner).post(apply_url(make_event()), form_data())
    assert response.status_code == 302
    assert Application.objects.filter(applicant=learner).count() == 1


def test_completion_preferred_accepts_those_who_have_not_completed(learner):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    enrol(learner=learner, course=tree.course)
    pilot = make_pilot(eligibility=Eligibility.COMPLETION_PREFERRED, course=tree.course)

    response = signed_in(learner).post(apply_url(pilot), form_data())

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.course_id == tree.course.pk
    assert application.course_status == Application.CourseStatus.ENROLLED
    assert application.certificate is None


def test_certificate_required_refuses_those_without_one(learner):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    pilot = make_pilot(eligibility=Eligibility.CERTIFICATE_REQUIRED, course=tree.course)
    client = signed_in(learner)

    page = soup(client.get(apply_url(pilot)))
    assert page.select_one("form.form") is None
    notice = " ".join(page.select_one("main .callout").get_text(" ").split())
    assert f"чинного сертифіката курсу «{tree.course.title}»" in notice
    assert page.find("a", href=tree.course.url) is not None

    response = client.post(apply_url(pilot), form_data())
    assert response.status_code == 200
    assert f"чинного сертифіката курсу «{tree.course.title}»" in error_summary(response)
    assert typed_values(response)["motivation"] == MOTIVATION
    assert typed_values(response)["sector"] == [Sector.HROMADA]
    assert not Application.objects.exists()


def test_certificate_required_accepts_a_holder_and_attaches_the_certificate(
    certificate_holder,
):
    learner, course, certificate = certificate_holder
    pilot = make_pilot(eligibility=Eligibility.CERTIFICATE_REQUIRED, course=course)

    response = signed_in(learner).post(apply_url(pilot), form_data())

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.certificate == certificate
    assert application.course_status == Application.CourseStatus.COMPLETED


def test_certificate_required_refuses_a_revoked_certificate(
    certificate_holder, superuser
):
    learner, course, certificate = certificate_holder
    revoke_certificate(certificate=certificate, by=superuser, reason="Помилка в даних")
    pilot = make_pilot(eligibility=Eligibility.CERTIFICATE_REQUIRED, course=course)

    response = signed_in(learner).post(apply_url(pilot), form_data())

    assert response.status_code == 200
    assert "чинного сертифіката" in error_summary(response)
    assert not Application.objects.exists()


# The application window -------------------------------------------------------


def test_before_the_window_opens_the_application_is_refused_and_kept(learner):
    opens = timezone.now() + timedelta(days=3)
    event = make_event(applications_open_at=opens)
    client = signed_in(learner)

    notice = soup(client.get(apply_url(event))).select_one("main .callout").get_text()
    assert "Прийом заявок ще не розпочався" in notice

    response = client.post(apply_url(event), form_data(experience="Досвід <b>ГО</b>"))
    assert response.status_code == 200
    assert "Прийом заявок ще не розпочався" in error_summary(response)
    assert typed_values(response)["experience"] == "Досвід <b>ГО</b>"
    assert typed_values(response)["motivation"] == MOTIVATION
    assert not Application.objects.exists()


def test_after_the_window_closes_the_application_is_refused_and_kept(learner):
    now = timezone.now()
    event = make_event(
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now - timedelta(minutes=1),
    )
    response = signed_in(learner).post(apply_url(event), form_data())
    assert response.status_code == 200
    assert "Прийом заявок завершено" in error_summary(response)
    assert typed_values(response)["organisation"] == "Кремінська міська рада"
    assert not Application.objects.exists()


# Duplicates and applying again ------------------------------------------------


def test_a_second_application_is_refused_with_a_link_to_my_learning(learner):
    event = make_event()
    client = signed_in(learner)
    assert client.post(apply_url(event), form_data()).status_code == 302

    response = client.post(apply_url(event), form_data(motivation="Ще раз"))

    assert response.status_code == 200
    assert "Ви вже подали заявку" in error_summary(response)
    summary = soup(response).select_one(".error-summary")
    assert summary.find("a", href=reverse("courses:dashboard")) is not None
    assert Application.objects.count() == 1
    assert Application.objects.get().motivation == MOTIVATION
    # Opening the form again says the same, with the link.
    again = soup(client.get(apply_url(event)))
    assert again.select_one("form.form") is None
    assert again.select_one("main .callout").find(
        "a", href=reverse("courses:dashboard")
    )


def test_applying_again_after_withdrawing_reuses_the_row(learner):
    event = make_event()
    client = signed_in(learner)
    client.post(apply_url(event), form_data())
    first = Application.objects.get()
    client.post(reverse("participation:withdraw", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN

    response = client.post(apply_url(event), form_data(motivation="Нова мотивація"))

    assert response.status_code == 302
    assert Application.objects.count() == 1
    again = Application.objects.get()
    assert again.pk == first.pk
    assert again.status == Status.SUBMITTED
    assert again.motivation == "Нова мотивація"


# Sectors ----------------------------------------------------------------------


def test_a_page_that_restricts_sectors_offers_and_accepts_only_those(learner):
    pilot = make_pilot(allowed_sectors=[Sector.HROMADA, Sector.OBLAST_COUNCIL])
    client = signed_in(learner)

    offered = [
        radio["value"]
        for radio in soup(client.get(apply_url(pilot))).select("input[name=sector]")
    ]
    assert offered == [Sector.HROMADA, Sector.OBLAST_COUNCIL]

    response = client.post(apply_url(pilot), form_data(sector=Sector.BUSINESS))
    assert response.status_code == 200
    assert "Цей сектор не входить до тих, хто може подати заявку" in error_summary(
        response
    )
    assert typed_values(response)["motivation"] == MOTIVATION
    assert not Application.objects.exists()

    assert client.post(apply_url(pilot), form_data()).status_code == 302


# Withdrawing ------------------------------------------------------------------


def test_withdrawing_asks_first_then_withdraws_the_own_application(learner):
    event = make_event()
    application = make_application(event, learner)
    client = signed_in(learner)
    url = reverse("participation:withdraw", args=[application.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert soup(confirmation).find("form", action=url) is not None
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    response = client.post(url, {"next": event.url})
    assert response.status_code == 302
    assert response["Location"] == event.url
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    page = client.get(event.url).content.decode()
    assert f"Вашу заявку на «{event.title}» відкликано" in page


def test_withdrawing_goes_back_only_to_this_site(learner):
    application = make_application(make_event(), learner)
    response = signed_in(learner).post(
        reverse("participation:withdraw", args=[application.pk]),
        {"next": "https://evil.example.org/"},
    )
    assert response["Location"] == reverse("courses:dashboard")


def test_no_one_can_withdraw_another_persons_application(learner):
    application = make_application(make_event())
    url = reverse("participation:withdraw", args=[application.pk])
    client = signed_in(learner)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    anonymous = Client().post(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/account/login/")


def test_withdrawing_needs_the_csrf_token(learner):
    application = make_application(make_event(), learner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("participation:withdraw", args=[application.pk]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_an_application_cannot_be_withdrawn_once_attendance_is_marked(
    learner, superuser
):
    now = timezone.now()
    event = make_event(
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now - timedelta(days=1),
    )
    application = make_application(event, learner, status=Status.SELECTED)
    mark_attendance(applications=[application], attended=True, by=superuser)
    url = reverse("participation:withdraw", args=[application.pk])
    client = signed_in(learner)

    confirmation = soup(client.get(url))
    assert confirmation.find("form", action=url) is None
    assert "Цю заявку вже не можна відкликати" in confirmation.get_text()

    response = client.post(url, follow=True)
    assert "Цю заявку вже не можна відкликати" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SELECTED
    assert application.attended is True
