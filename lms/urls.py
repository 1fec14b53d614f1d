from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import health
from lms.admin_i18n import admin_js_catalog

urlpatterns = [
    # Liveness and readiness probes (lms/health.py): first, open to anyone.
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    # Before Wagtail's own route of the same address: its catalogue plus the
    # Ukrainian strings it lacks (lms/admin_i18n.py).
    path(
        "admin/jsi18n/",
        admin_js_catalog,
        name="wagtailadmin_javascript_catalog",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("learning/", include("courses.urls")),
    path("certificates/", include("certificates.urls")),
    path("account/", include("lms.accounts.urls")),
    path("participation/", include("content.participation.urls")),
    path("search/", include("content.search")),
    path("", include(wagtail_urls)),
]
