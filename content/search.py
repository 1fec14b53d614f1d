"""Site search for learners: lessons, modules, courses and site pages.

``/search/?q=…`` (the view and its URL are at the end of this module). The
index is Wagtail's database search backend (``WAGTAILSEARCH_BACKENDS``),
kept up to date on publish by Wagtail's signal handlers (a task, so the worker
in production); ``manage.py update_index`` fills it for existing pages.

- **Ukrainian word forms.** The query is a ``WordStarts`` one
  (content/search_backend.py): on PostgreSQL every word must be found in some
  form, «петиції» finding «петиція»; SQLite, the embedded default, matches
  whole words as Wagtail's backend does.
- **What is listed.** Live pages of the current site of the types in
  ``RESULT_TYPES``, without a view restriction on them or above them
  (``public()``: a private page is never listed, not even its title, not even
  to those who may open it) and without an unpublished page above them.
- **Lessons the visitor may not open.** Whether a lesson opens is decided by
  ``courses.access.lesson_gate`` itself (open preview, enrolment, admin users,
  sequential modules). Such a lesson is listed with its title, module and
  course, which the course outline shows to everyone, and a note on how to
  open it; its text never is: no excerpt is made for it.
- **A fixed number of queries** for any number of results: the count, the
  page of results, the indexed text of that page, the modules and courses
  above it, its lessons' switches, and the learner's progress (three).
- **Excerpts** come from the plain text the index keeps (no page's content is
  parsed again), around the first word that begins like a word of the query;
  such words are marked. They are escaped piece by piece here, with only
  ``<mark>`` added; titles and the query are escaped by the template.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.search.models import IndexEntry

from content.models import HomePage, StandardPage
from content.participation.models import (
    EventIndexPage,
    EventPage,
    PilotIndexPage,
    PilotPage,
)
from content.search_backend import WordStarts, word_starts
from courses.access import lesson_gate
from courses.dashboard import learner_progresses
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
EXCERPT_LENGTH = 240  # characters of text around the first match

# The page types listed (with their subclasses) and what a result calls them.
RESULT_TYPES = {
    LessonPage: _("Lesson"),
    ModulePage: _("Module"),
    CoursePage: _("Course"),
    CourseIndexPage: _("Course catalogue"),
    StandardPage: _("Page"),
    HomePage: _("Home page"),
    PilotPage: _("Pilot"),
    PilotIndexPage: _("Pilots"),
    EventPage: _("Event"),
    EventIndexPage: _("Events"),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
    )

    def clean_q(self) -> str:
        # One form of each letter and single spaces: what the index holds.
        return " ".join(unicodedata.normalize("NFC", self.cleaned_data["q"]).split())


# The query --------------------------------------------------------------------


def listed_pages(site: Site):
    """Pages a search may list: live, public in the tree, of the site."""
    unpublished_above = Page.objects.filter(
        live=False,
        numchild__gt=0,
        path=Substr(OuterRef("path"), 1, F("depth") * Page.steplen),
    )
    hidden = Page.objects.filter(Exists(unpublished_above)).values("pk")
    return (
        Page.objects.live()
        .public()
        .in_site(site)
        .type(*RESULT_TYPES)
        .exclude(pk__in=hidden)
    )


def search_pages(query: str, site: Site):
    """Wagtail search results (lazy, sliceable) for the query, best first."""
    if site is None or not word_starts(query):
        return Page.objects.none()
    return listed_pages(site).search(WordStarts(query))


# Excerpts ---------------------------------------------------------------------


def highlighter(query: str) -> re.Pattern | None:
    """Words of a text that begin like a word of the query (as it is found)."""
    starts = sorted(word_starts(query), key=len, reverse=True)
    if not starts:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(start) for start in starts) + r")\w*",
        re.IGNORECASE,
    )


def excerpt(text: str, pattern: re.Pattern | None) -> SafeString:
    """About EXCERPT_LENGTH characters around the first match, matches marked.

    Every piece of the text is escaped; only ``<mark>`` and ``…`` are added.
    """
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > EXCERPT_LENGTH // 3:
        start = text.rfind(" ", 0, match.start() - EXCERPT_LENGTH // 3) + 1
    end = start + EXCERPT_LENGTH
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    parts = ["…"] if start > 0 else []
    position = 0
    for found in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[position : found.start()]))
        parts.append(format_html("<mark>{}</mark>", found.group()))
        position = found.end()
    parts.append(escape(window[position:]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def indexed_texts(pages: list[Page]) -> dict[int, str]:
    """The plain text the index keeps for each page (not its title): one query."""
    column = "body_text" if connection.vendor == "postgresql" else "body"
    rows = IndexEntry.objects.filter(
        content_type_id__in={page.content_type_id for page in pages},
        object_id__in=[str(page.pk) for page in pages],
    ).values_list("content_type_id", "object_id", column)
    by_key = {(type_id, object_id): text for type_id, object_id, text in rows}
    return {
        page.pk: by_key.get((page.content_type_id, str(page.pk))) or ""
        for page in pages
    }


# Results ----------------------------------------------------------------------


@dataclass
class Trail:
    title: str
    url: str


@dataclass
class Result:
    title: str
    url: str
    kind: str
    trail: list[Trail] = field(default_factory=list)  # module and course
    excerpt: SafeString = ""
    closed: str = ""  # why the visitor may not open it yet, if so


def _ancestors(pages: list[Page], request) -> dict[str, Trail]:
    """Modules and courses above the lessons and modules listed: one query."""
    paths = set()
    for page in pages:
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        if model is LessonPage:
            paths |= {page.path[: -Page.steplen], page.path[: -2 * Page.steplen]}
        elif model is ModulePage:
            paths.add(page.path[: -Page.steplen])
    if not paths:
        return {}
    return {
        page.path: Trail(page.title, page.get_url(request))
        for page in Page.objects.filter(path__in=paths).only(
            "id", "path", "title", "url_path", "depth"
        )
    }


def _lesson_access(lessons: list[LessonPage], request) -> dict[int, str]:
    """Why each lesson the visitor may not open is closed; open ones are absent.

    ``lesson_gate`` decides, with the learner's progress in every course read
    in three queries; what it would answer the visitor is read from its
    response: nothing (open), 403 (a locked module) or a redirect (to sign in,
    or to the course to enrol). The message the gate adds for a refused
    learner is not passed on: this page did not refuse anything.
    """
    if not lessons:
        return {}
    progresses = {}
    if request.user.is_authenticated:
        progresses = {
            progress.course.path: progress
            for progress in learner_progresses(learner=request.user, request=request)
        }
    quiet = _WithoutMessages(request)
    closed = {}
    for lesson in lessons:
        progress = progresses.get(lesson.path[: -2 * Page.steplen])
        refusal = lesson_gate(request=quiet, lesson=lesson, progress=progress)
        if refusal is None:
            continue
        if refusal.status_code == 403:
            closed[lesson.pk] = _("Opens when the previous module is complete.")
        elif request.user.is_authenticated:
            closed[lesson.pk] = _("Opens after you enrol in the course.")
        else:
            closed[lesson.pk] = _("Sign in and enrol in the course to open it.")
    return closed


class _DiscardedMessages:
    def add(self, *args, **kwargs) -> None:
        pass


class _WithoutMessages:
    """The request as ``lesson_gate`` reads it, with messages going nowhere."""

    def __init__(self, request):
        self._request = request
        self._messages = _DiscardedMessages()

    def __getattr__(self, name):
        return getattr(self._request, name)


def build_results(pages: list[Page], query: str, request) -> list[Result]:
    """One page of search results, in a fixed number of queries."""
    if not pages:
        return []
    texts = indexed_texts(pages)
    trails = _ancestors(pages, request)
    lesson_type = ContentType.objects.get_for_model(LessonPage)
    lessons = list(
        LessonPage.objects.filter(
            pk__in=[p.pk for p in pages if p.content_type_id == lesson_type.pk]
        ).defer_streamfields()
    )
    closed = _lesson_access(lessons, request)
    pattern = highlighter(query)
    results = []
    for page in pages:
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        kind = next(
            name for cls, name in RESULT_TYPES.items() if issubclass(model, cls)
        )
        trail = []
        if model is LessonPage:
            trail = [
                trails.get(page.path[: -Page.steplen]),
                trails.get(page.path[: -2 * Page.steplen]),
            ]
        elif model is ModulePage:
            trail = [trails.get(page.path[: -Page.steplen])]
        reason = closed.get(page.pk, "")
        results.append(
            Result(
                title=page.title,
                url=page.get_url(request),
                kind=kind,
                trail=[step for step in trail if step],
                excerpt="" if reason else excerpt(texts.get(page.pk, ""), pattern),
                closed=reason,
            )
        )
    return results


# The view ---------------------------------------------------------------------


def search_view(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "page_obj": None, "results": []}
    if query:
        site = Site.find_for_request(request)
        paginator = Paginator(search_pages(query, site), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        context["page_range"] = paginator.get_elided_page_range(page_obj.number)
        context["ellipsis"] = paginator.ELLIPSIS
        context["results"] = build_results(list(page_obj), query, request)
    return TemplateResponse(request, "content/search.html", context)


app_name = "search"
urlpatterns = [path("", search_view, name="search")]
