from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.participation.models import (  # noqa: F401 - models of this app
    Application,
    EventIndexPage,
    EventPage,
    OrganiserAssignment,
    ParticipationPage,
    PilotIndexPage,
    PilotPage,
)
from courses.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from courses.models import CourseIndexPage, CoursePage
from lms.page_cache import remember_site, route_target
from lms.view_restrictions import CachedViewRestrictionsMixin


class HomePage(CachedViewRestrictionsMixin, Page):
    lead = models.TextField(_("lead paragraph"), max_length=1000, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.StandardPage",
        "courses.CourseIndexPage",
        "content.PilotIndexPage",
        "content.EventIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Finds the deepest page on the path in one query, not one per level.

        Wagtail's own walk asks for each level's child in turn; here the page
        whose URL path is the longest prefix of the request is read at once and
        routes the rest itself (a quiz's attempt pages, say). Only the page
        served must be live, as in Wagtail's walk. Pages whose address is the
        whole path come from the shared cache (``lms.page_cache``).
        """
        remember_site(request, self)
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(len(path_components), 0, -1)
        ]
        target = route_target(self, prefixes, request)
        if target is None:
            raise Http404
        rest = path_components[target.depth - self.depth :]
        return target.route(request, rest)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.descendant_of(self).live().public().order_by("path")
        )
        context["course_index"] = (
            CourseIndexPage.objects.child_of(self).live().public().first()
        )
        return context


class StandardPage(CachedViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BodyStreamBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
