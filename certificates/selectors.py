"""Reads for the learner's pages and the personal-data export."""

from django.template.loader import render_to_string

from certificates.models import Certificate, NameConfirmation


def dashboard_certificates(*, request, progresses) -> dict[int, str]:
    """«Моє навчання»: a certificate line under each completed course, one query."""
    completed = {p.course.pk for p in progresses if p.is_completed}
    if not completed:
        return {}
    by_course: dict[int, Certificate] = {}
    certificates = Certificate.objects.filter(
        learner=request.user, course_id__in=completed
    ).exclude(status=Certificate.Status.SUPERSEDED)
    for certificate in certificates.only(
        "pk", "number", "course_id", "status", "issued_on"
    ):
        # A valid certificate wins over an older revoked one.
        current = by_course.get(certificate.course_id)
        if current is None or certificate.is_valid:
            by_course[certificate.course_id] = certificate
    return {
        course_id: render_to_string(
            "certificates/includes/dashboard_row.html",
            {"certificate": by_course.get(course_id), "course_id": course_id},
            request=request,
        )
        for course_id in completed
    }


def certificates_for_export(user) -> list[dict]:
    return [
        {
            "number": certificate.number,
            "status": certificate.get_status_display(),
            "holder_name": certificate.holder_name,
            "programme_title": certificate.course_title,
            "hours": certificate.hours,
            "ects_credits": certificate.credits,
            "completed_on": certificate.completed_on,
            "issued_on": certificate.issued_on,
            "verification_url": certificate.verification_url,
        }
        for certificate in Certificate.objects.filter(learner=user).order_by("pk")
    ]


def name_confirmations_for_export(user) -> list[dict]:
    return [
        {"printed_name": item.printed_name, "confirmed_at": item.confirmed_at}
        for item in NameConfirmation.objects.filter(user=user).order_by("pk")
    ]
