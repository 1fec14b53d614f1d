from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content.participation import learner, personal_data, reviewing

        # Pilots and events extend the layers below through their registries.
        learner.connect()
        reviewing.connect()
        personal_data.connect()
