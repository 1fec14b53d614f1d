from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("People and reference data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate

        from lms import checks  # noqa: F401 - registers the production checks
        from lms.login_limits import count_failure
        from lms.site_address import sync_default_site

        user_login_failed.connect(count_failure, dispatch_uid="lms.count_failure")
        post_migrate.connect(
            sync_default_site, sender=self, dispatch_uid="lms.sync_default_site"
        )
