from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("People and reference data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate
        from post_office.signals import email_queued

        from lms import (  # noqa: F401 - checks registers the deploy checks
            admin_access,
            checks,
            page_cache,
            user_cache,
            view_restrictions,
        )
        from lms.login_limits import count_failure
        from lms.outbox import queue_delivery
        from lms.site_address import sync_default_site

        user_login_failed.connect(count_failure, dispatch_uid="lms.count_failure")
        admin_access.connect()
        view_restrictions.connect()
        page_cache.connect()
        user_cache.connect()
        email_queued.connect(queue_delivery, dispatch_uid="lms.queue_delivery")
        post_migrate.connect(
            sync_default_site, sender=self, dispatch_uid="lms.sync_default_site"
        )
