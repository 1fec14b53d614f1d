"""E-mails to applicants, sent by the task worker (django-tasks).

The task reads the application when it runs and writes what the organiser
decided; a task queued for a decision that was later changed still tells
the applicant of that decision, in order, as a letter would.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from lms.greeting import greeting
from lms.site_address import absolute_url

KINDS = ("submitted", "selected", "waitlisted", "declined", "promoted")


@task()
def send_application_email(application_id: int, kind: str) -> bool:
    from content.participation.models import Application

    if kind not in KINDS:
        raise ValueError(kind)
    application = (
        Application.objects.select_related("applicant", "page").filter(
            pk=application_id
        )
    ).first()
    if application is None or application.applicant.anonymised_at is not None:
        return False
    page = application.page.specific
    user = application.applicant
    context = {
        "greeting": greeting(user),
        "application": application,
        "page": page,
        "page_url": absolute_url(page.url) if page.url else "",
        "dashboard_url": absolute_url(reverse("courses:dashboard")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    template = f"content/participation/emails/{kind}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True
