from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from certificates.issuing import issue_on_completion
        from certificates.models import Certificate
        from certificates.pdf import drawable_characters
        from certificates.permissions import ReadOnlyRegisterPolicy
        from certificates.selectors import dashboard_certificates
        from certificates.views import completion_link
        from courses.dashboard import register_completion_link, register_row_extension
        from courses.signals import course_completed
        from lms.names import register_printable_characters

        course_completed.connect(
            issue_on_completion, dispatch_uid="certificates.issue_on_completion"
        )
        register_row_extension(dashboard_certificates)
        register_completion_link(completion_link)
        register_permission_policy(Certificate, ReadOnlyRegisterPolicy(Certificate))
        # Names are printed on certificates: accept only what the fonts draw.
        register_printable_characters(drawable_characters)
        self._register_personal_data()

    def _register_personal_data(self):
        from certificates.issuing import forget_name_confirmations
        from certificates.selectors import (
            certificates_for_export,
            name_confirmations_for_export,
        )
        from lms import data_export

        data_export.register_section(
            "certificates",
            _("Certificates"),
            certificates_for_export,
            field_labels={
                "number": _("number"),
                "status": _("status"),
                "holder_name": _("holder's full name"),
                "programme_title": _("programme title"),
                "hours": _("volume in hours"),
                "ects_credits": _("ECTS credits"),
                "completed_on": _("completed on"),
                "issued_on": _("issued on"),
                "verification_url": _("verification address"),
            },
        )
        data_export.register_section(
            "name_confirmations",
            _("Name on certificates"),
            name_confirmations_for_export,
            field_labels={
                "printed_name": _("printed name"),
                "confirmed_at": _("confirmed at"),
            },
        )
        data_export.register_anonymise_hook("certificates", forget_name_confirmations)
