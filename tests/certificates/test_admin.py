"""The admin side: the read-only register with revoke and re-issue, the design
snippet and its sample PDF, and the audit log (certificates/wagtail_hooks.py,
admin_views.py)."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from pypdf import PdfReader
from wagtail.log_actions import registry as log_registry
from wagtail.permissions import policy_registry

from certificates.issuing import (
    confirm_name,
    issue_certificate,
    revoke_certificate,
)
from certificates.models import Certificate, CertificateDesign
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(design, completed_enrolment, confirmed_learner):
    return issue_certificate(enrolment=completed_enrolment)


def admin_user_with(*codenames):
    """Staff who may use the Wagtail admin, plus the given permissions."""
    user = factories.make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    return user


def register_url(name: str, *args) -> str:
    return reverse(f"certificate_register:{name}", args=args)


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# The register ------------------------------------------------------------------


def test_the_register_lists_certificates_with_their_status(
    superuser_client, certificate
):
    response = superuser_client.get(register_url("index"))

    assert response.status_code == 200
    html = response.content.decode()
    for value in (
        certificate.number,
        certificate.holder_name,
        certificate.course_title,
    ):
        assert value in html


def test_the_register_filters_by_status_and_year_and_searches(
    superuser_client, certificate, superuser
):
    other_learner = factories.make_user(last_name="Шевченко", first_name="Тарас")
    confirm_name(user=other_learner, printed_name="Шевченко Тарас")
    with time_machine.travel(datetime.datetime(2025, 5, 5, 12, tzinfo=datetime.UTC)):
        other = issue_certificate(
            enrolment=certificate_factories.complete_course(
                other_learner, factories.build_course(modules=1, lessons_per_module=1)
            )
        )
    revoke_certificate(certificate=other, by=superuser, reason="Помилка")

    def listed(**params):
        response = superuser_client.get(register_url("index_results"), params)
        assert response.status_code == 200
        html = response.content.decode()
        return {c.number for c in (certificate, other) if c.number in html}

    assert listed(status="revoked") == {other.number}
    assert listed(status="valid") == {certificate.number}
    assert listed(year=str(certificate.year)) == {certificate.number}
    assert listed(year="2025") == {other.number}
    assert listed(q="Шевченко") == {other.number}
    assert listed(q=certificate.number) == {certificate.number}


def test_the_register_cannot_be_edited_in_the_admin_by_anyone(superuser, certificate):
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"certificate_register:{name}", args=[certificate.pk])
    policy = policy_registry.get_by_type(Certificate)
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action)
    assert policy.user_has_permission(superuser, "view")


def test_the_inspect_page_offers_revoke_and_reissue_to_permitted_users(
    client, superuser_client, certificate
):
    revoke_link = register_url("revoke", certificate.pk)
    html = superuser_client.get(register_url("inspect", certificate.pk)).content
    assert revoke_link in html.decode()

    client.force_login(admin_user_with("view_certificate"))
    response = client.get(register_url("inspect", certificate.pk))
    assert response.status_code == 200
    assert revoke_link not in response.content.decode()
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    for response in (
        client.get(revoke_link),
        client.post(revoke_link, {"reason": "Спроба"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    certificate.refresh_from_db()
    assert certificate.is_valid


# Revoke and re-issue -----------------------------------------------------------


def test_revoking_in_the_admin_needs_a_reason(superuser_client, certificate):
    response = superuser_client.post(
        register_url("revoke", certificate.pk), {"reason": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_revoking_in_the_admin_records_who_and_why_in_the_history(
    superuser_client, superuser, certificate
):
    response = superuser_client.post(
        register_url("revoke", certificate.pk), {"reason": "Документ видано помилково"}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == superuser
    history = superuser_client.get(register_url("history", certificate.pk))
    html = history.content.decode()
    assert history.status_code == 200
    assert (
        _("Certificate revoked: %(reason)s") % {"reason": "Документ видано помилково"}
        in html
    )
    assert superuser.get_full_name() in html or superuser.email in html


def test_reissuing_in_the_admin_gives_a_new_number(
    superuser_client, superuser, certificate
):
    url = register_url("reissue", certificate.pk)
    assert superuser_client.get(url).context["form"]["holder_name"].value() == (
        certificate.holder_name
    )

    response = superuser_client.post(url, {"holder_name": "Коваленко Мар'яна Іванівна"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    new = certificate.superseded_by
    assert new is not None and new.holder_name == "Коваленко Марʼяна Іванівна"
    assert certificate.status == Certificate.Status.SUPERSEDED
    entry = log_registry.get_logs_for_instance(certificate).get(
        action="certificates.reissue"
    )
    assert entry.user == superuser


def test_the_custom_audit_actions_are_registered():
    for action in ("certificates.issue", "certificates.revoke", "certificates.reissue"):
        assert log_registry.action_exists(action)


# Design ------------------------------------------------------------------------


def test_editors_see_the_design_with_a_sample_pdf_action(superuser_client, design):
    index = superuser_client.get(reverse("certificate_design:list"))
    edit = superuser_client.get(reverse("certificate_design:edit", args=[design.pk]))
    sample_url = reverse("certificate_design:sample_pdf", args=[design.pk])

    assert index.status_code == edit.status_code == 200
    assert sample_url in index.content.decode()
    assert sample_url in edit.content.decode()


def test_the_sample_pdf_uses_the_designs_latest_draft_wording(superuser_client, design):
    design.heading = "ЧЕРНЕТКА ЗАГОЛОВКА"
    design.signer_name = "Ярослава Ґонта"
    design.save_revision()  # a draft: not yet published

    response = superuser_client.get(
        reverse("certificate_design:sample_pdf", args=[design.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(pdf_text(response.content).split())
    assert "ЧЕРНЕТКАЗАГОЛОВКА" in text
    assert "ЯрославаҐонта" in text
    assert CertificateDesign.objects.current().heading == "СЕРТИФІКАТ"


def test_the_sample_pdf_needs_the_design_permission(client, design):
    client.force_login(admin_user_with())
    url = reverse("certificate_design:sample_pdf", args=[design.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_publishing_a_design_makes_it_the_only_current_one(design):
    newer = certificate_factories.make_design(heading="НОВИЙ")

    design.refresh_from_db()
    assert not design.is_current
    assert CertificateDesign.objects.current() == newer


def test_an_unpublished_design_is_never_used(design):
    certificate_factories.make_design(heading="ЧЕРНЕТКА", publish=False)
    assert CertificateDesign.objects.current() == design
