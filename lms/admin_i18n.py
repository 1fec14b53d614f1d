"""The Wagtail admin in Ukrainian: the strings Wagtail's own catalogue lacks.

Wagtail 8's Ukrainian catalogues miss several hundred strings of the admin
(filters, the sidebar, reports, the keyboard-shortcut dialog), so reviewers
and editors saw English among the Ukrainian. ``lms/wagtail_locale/`` holds
their translations, in Wagtail's own msgids:

- ``django.po`` is on ``LOCALE_PATHS`` after the project's catalogue, so it
  overrides nothing of ours and fills what Wagtail lacks. ``makemessages``
  never touches it (no source file lies under it).
- ``djangojs.po`` holds the admin's JavaScript strings. Django's
  ``JavaScriptCatalog`` reads only the packages it is given, so the admin's
  catalogue URL is served here with this folder added.
- Wagtail's table block editor (Handsontable) is given the admin's language,
  "uk", which Handsontable does not ship: every table editor logged
  `Language with code "uk" was not found`. ``lms/js/admin/handsontable_uk.js``
  is its Ukrainian dictionary, served by the site and loaded after
  Handsontable wherever a table block is edited: the table widget's telepath
  adapter is replaced by one whose media add it. Registered when this module
  is imported, which the root URLconf does before any admin page renders.
"""

from pathlib import Path

from django import forms
from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response
from wagtail.admin.telepath import register
from wagtail.contrib.table_block.blocks import TableInput, TableInputAdapter

WAGTAIL_LOCALE = Path(__file__).resolve().parent / "wagtail_locale"
TABLE_LANGUAGE_SCRIPT = "lms/js/admin/handsontable_uk.js"


class AdminJavaScriptCatalog(JavaScriptCatalog):
    def get_paths(self, packages):
        return [*super().get_paths(packages), str(WAGTAIL_LOCALE)]


_catalog = AdminJavaScriptCatalog.as_view(packages=["wagtail.admin"])


def admin_js_catalog(request, *args, **kwargs):
    """Wagtail's admin catalogue view with the project's translations added."""
    return get_localized_response(_catalog, request, *args, **kwargs)


class UkrainianTableInputAdapter(TableInputAdapter):
    """Wagtail's table widget, with Handsontable's Ukrainian dictionary."""

    def get_media(self, widget):
        return super().get_media(widget) + forms.Media(js=[TABLE_LANGUAGE_SCRIPT])


register(UkrainianTableInputAdapter(), TableInput)
