"""Deleting an account reaches every copy of the person's name and address.

The probe: an administrator edited a learner, the learner deleted the
account, and the full name stayed in the audit log's labels and in the
admin's site history. Here a learner leaves traces in every place the site
keeps (profile, sign-ins and failed sign-ins, an administrator's edit, a
name confirmation, a certificate), deletes the account, and then every row
of every table is searched for the old name and address. The certificate
register alone keeps the printed name, by design; the completed enrolment
keeps the organisation the learner worked at, without a name, for statistics.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from certificates.issuing import confirm_name, issue_certificate
from content.participation.services import decide, submit_application
from tests import factories
from tests.certificates.factories import complete_course, make_design
from tests.content.participation_data import make_event

pytestmark = pytest.mark.django_db

EMAIL = "yaroslavna.ostapivna@example.org"
SURNAME = "Барвінок-Шевчукевич"
GIVEN = "Ярославна"
EDITED_GIVEN = "Ярослава"
PATRONYMIC = "Остапівна"
ORGANISATION = "Незабутня сільська рада"
# The register keeps the name printed on an issued certificate.
REGISTER_TABLE = "certificates_certificate"


def every_row_mentioning(needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) for every row of every table that holds a needle."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                found += [
                    (table, needle) for needle in needles if needle.lower() in text
                ]
    return found


@pytest.fixture
def learner_with_traces(places, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    make_design()
    learner = factories.make_user(
        email=EMAIL,
        last_name=SURNAME,
        first_name=GIVEN,
        patronymic=PATRONYMIC,
        organisation=ORGANISATION,
        oblast=places.oblast,
        hromada=places.hromada,
    )
    # Failed and successful sign-ins (django-axes' attempts and access log).
    client = Client()
    login = reverse("accounts:login")
    client.post(login, {"username": EMAIL, "password": factories.DEFAULT_PASSWORD})
    client.post(reverse("accounts:logout"))
    client.post(login, {"username": EMAIL.upper(), "password": "wrong-password"})
    # An administrator corrects the learner's given name in the Wagtail admin.
    admin = Client()
    admin.force_login(factories.make_superuser())
    edited = admin.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "first_name": EDITED_GIVEN,
            "last_name": SURNAME,
            "email": EMAIL,
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )
    assert edited.status_code == 302
    # The course, a confirmed name and a certificate.
    enrolment = complete_course(learner)
    confirm_name(user=learner, printed_name=f"{SURNAME} {EDITED_GIVEN} {PATRONYMIC}")
    certificate = issue_certificate(enrolment=enrolment)
    # An application to an event, and an organiser's decision naming them.
    application = submit_application(
        user=learner,
        page=make_event(),
        data={
            "sector": "hromada",
            "organisation": ORGANISATION,
            "position": "секретар",
            "motivation": f"Я, {GIVEN} {SURNAME}, хочу взяти участь.",
            "experience": "",
        },
    )
    decide(
        applications=[application],
        status="selected",
        note=f"{EDITED_GIVEN}, чекаємо на вас.",
        by=factories.make_superuser(),
    )
    return learner, client, certificate


def test_no_table_but_the_register_keeps_the_name_or_address_after_deletion(
    learner_with_traces,
):
    learner, client, certificate = learner_with_traces
    needles = [EMAIL, SURNAME, GIVEN, EDITED_GIVEN, ORGANISATION]
    before = {table for table, _needle in every_row_mentioning(needles)}
    assert {
        "wagtailcore_modellogentry",
        "content_application",
        "content_applicationlogentry",
        "axes_accessattempt",
        "axes_accesslog",
        "lms_user",
        REGISTER_TABLE,
    } <= before

    client.force_login(learner)
    response = client.post(
        reverse("accounts:delete"), {"password": factories.DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    left = [hit for hit in every_row_mentioning(needles) if hit[0] != REGISTER_TABLE]
    # Where the learner worked stays with the completed enrolment, without a
    # name, so that statistics by organisation do not change.
    assert left == [("courses_enrolment", ORGANISATION)]
    certificate.refresh_from_db()
    assert certificate.holder_name == f"{SURNAME} {EDITED_GIVEN} {PATRONYMIC}"


def test_the_site_history_report_no_longer_names_the_person(learner_with_traces):
    learner, client, _certificate = learner_with_traces
    client.force_login(learner)
    client.post(reverse("accounts:delete"), {"password": factories.DEFAULT_PASSWORD})
    learner.refresh_from_db()
    admin = Client()
    admin.force_login(factories.make_superuser())

    html = admin.get(reverse("wagtailadmin_reports:site_history")).content.decode()

    assert learner.email in html  # the edit is still listed, by its new label
    assert SURNAME not in html and EDITED_GIVEN not in html
