"""A certificate design goes through moderation like a page: an editor
submits, a moderator reviews the sample PDF of the submitted version and
approves, and only then does the new wording reach issued certificates."""

import re
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from certificates.issuing import confirm_name, issue_certificate
from certificates.models import CertificateDesign
from lms.roles import EDITORS, MODERATORS
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PUBLIC = "https://learn.example.org"
OLD_STATEMENT = "засвідчує, що"
NEW_STATEMENT = "цим підтверджує, що"


def pdftotext(pdf: bytes) -> str:
    completed = subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(completed.stdout.decode().split())


def issued_text(learner) -> str:
    """Issues the learner's certificate and reads its stored PDF back."""
    confirm_name(user=learner, printed_name=learner.get_full_name())
    enrolment = certificate_factories.complete_course(learner)
    certificate = issue_certificate(enrolment=enrolment)
    with certificate.pdf.open("rb") as handle:
        return pdftotext(handle.read())


def staff(group: str, **fields):
    user = factories.make_user(**fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def form_data(design: CertificateDesign, action: str, **changes) -> dict:
    values = {
        "name": design.name,
        "heading": design.heading,
        "statement": design.statement,
        "completion_text": design.completion_text,
        "signer_name": design.signer_name,
        "signer_position": design.signer_position,
        "logo": design.logo_id or "",
        "signature_image": design.signature_image_id or "",
        "is_current": "on" if design.is_current else "",
        **changes,
    }
    return {**{k: v for k, v in values.items() if v != ""}, f"action-{action}": "1"}


@pytest.fixture
def editor():
    return staff(EDITORS, first_name="Ірина", patronymic="Петрівна")


@pytest.fixture
def moderator():
    return staff(MODERATORS, first_name="Олег", patronymic="")


def test_editors_submit_designs_and_only_moderators_publish_them(editor, moderator):
    assert CertificateDesign.get_default_workflow().name == "Затвердження модератором"
    assert not editor.has_perm("certificates.publish_certificatedesign")
    assert editor.has_perm("certificates.change_certificatedesign")
    assert moderator.has_perm("certificates.publish_certificatedesign")


def test_an_editor_cannot_publish_the_wording_alone(client, design, editor):
    client.force_login(editor, MODEL_BACKEND)
    url = reverse("certificate_design:edit", args=[design.pk])
    page = client.get(url).content.decode()
    assert 'name="action-publish"' not in page
    assert "Надіслати на розгляд: Затвердження модератором" in page

    # Asking to publish anyway saves a draft, nothing more.
    response = client.post(url, form_data(design, "publish", statement=NEW_STATEMENT))
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.statement == OLD_STATEMENT
    assert design.has_unpublished_changes
    assert CertificateDesign.objects.current().statement == OLD_STATEMENT
    assert not WorkflowState.objects.exists()


def test_new_wording_reaches_certificates_only_once_a_moderator_approves(
    client, settings, design, editor, moderator
):
    settings.SITE_URL = PUBLIC
    client.force_login(editor, MODEL_BACKEND)
    response = client.post(
        reverse("certificate_design:edit", args=[design.pk]),
        form_data(design, "submit", statement=NEW_STATEMENT),
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(design.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # While it waits, certificates keep the published wording.
    before = issued_text(factories.make_user())
    assert OLD_STATEMENT in before and NEW_STATEMENT not in before

    # The moderator is told, in Ukrainian, where the submitted version is.
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    assert notice.subject == f"На ваш розгляд: дизайн сертифіката «{design.name}»"
    assert notice.body.startswith("Добрий день, Олеже!\n")
    links = re.findall(r"https?://\S+", notice.body)
    assert links and all(link.startswith(f"{PUBLIC}/") for link in links)
    (review_url,) = [link for link in links if "/workflow/preview/" in link]

    # ... and reads the sample PDF of exactly that version.
    client.force_login(moderator, MODEL_BACKEND)
    review = client.get(review_url.removeprefix(PUBLIC))
    assert review.status_code == 200
    assert review["Content-Type"] == "application/pdf"
    assert NEW_STATEMENT in pdftotext(review.content)
    # An editor outside the task may not open the review (Wagtail sends
    # those who may not to the dashboard).
    client.force_login(editor, MODEL_BACKEND)
    refused = client.get(review_url.removeprefix(PUBLIC))
    assert refused.status_code in (302, 403)
    assert refused["Content-Type"] != "application/pdf"

    client.force_login(moderator, MODEL_BACKEND)
    approve = client.post(
        reverse(
            "certificate_design:workflow_action",
            args=[design.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    assert approve.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert CertificateDesign.objects.current().statement == NEW_STATEMENT

    after = issued_text(factories.make_user())
    assert NEW_STATEMENT in after and OLD_STATEMENT not in after
    (approval,) = [m for m in mail.outbox if m.to == [editor.email]]
    assert approval.subject == f"Затверджено: дизайн сертифіката «{design.name}»"
    assert approval.body.startswith("Добрий день, Ірино Петрівно!\n")


def test_a_rejected_design_never_reaches_a_certificate(
    client, design, editor, moderator
):
    client.force_login(editor, MODEL_BACKEND)
    client.post(
        reverse("certificate_design:edit", args=[design.pk]),
        form_data(design, "submit", statement=NEW_STATEMENT),
    )
    state = WorkflowState.objects.get(object_id=str(design.pk))
    client.force_login(moderator, MODEL_BACKEND)
    client.post(
        reverse(
            "certificate_design:workflow_action",
            args=[design.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "Формулювання не затверджене наказом"},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    text = issued_text(factories.make_user())
    assert OLD_STATEMENT in text and NEW_STATEMENT not in text


def test_a_new_design_is_used_only_after_approval(client, design, editor, moderator):
    client.force_login(editor, MODEL_BACKEND)
    new = CertificateDesign(
        name="Дизайн 2027",
        heading="СЕРТИФІКАТ",
        statement=NEW_STATEMENT,
        completion_text=design.completion_text,
        signer_name="Ярослава Ґонта",
        signer_position=design.signer_position,
        is_current=True,
    )
    response = client.post(reverse("certificate_design:add"), form_data(new, "submit"))
    assert response.status_code == 302
    created = CertificateDesign.objects.get(name="Дизайн 2027")
    assert not created.live
    assert CertificateDesign.objects.current() == design
    text = issued_text(factories.make_user())
    assert OLD_STATEMENT in text and "Ярослава Ґонта" not in text

    state = WorkflowState.objects.get(object_id=str(created.pk))
    client.force_login(moderator, MODEL_BACKEND)
    client.post(
        reverse(
            "certificate_design:workflow_action",
            args=[created.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    assert CertificateDesign.objects.current() == created
    text = issued_text(factories.make_user())
    assert NEW_STATEMENT in text and "Ярослава Ґонта" in text


def test_the_editor_previews_the_sample_pdf_beside_the_form(client, design, editor):
    client.force_login(editor, MODEL_BACKEND)
    preview_url = reverse("certificate_design:preview_on_edit", args=[design.pk])
    data = form_data(design, "edit", statement=NEW_STATEMENT)
    assert client.post(preview_url, data).json()["is_valid"]
    response = client.get(preview_url, {"mode": ""})
    assert response["Content-Type"] == "application/pdf"
    assert NEW_STATEMENT in pdftotext(response.content)
