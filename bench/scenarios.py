"""The pages the benchmark compares; the first is the plain Wagtail baseline."""

from wagtail.models import Page, Site

from content.models import StandardPage
from courses.models import LessonPage


def _plain_page() -> Page:
    """A StandardPage with one paragraph: the plain Wagtail page to compare with."""
    home = Site.objects.get(is_default_site=True).root_page
    existing = StandardPage.objects.filter(slug="bench-plain").first()
    if existing:
        return existing
    page = StandardPage(
        title="Звичайна сторінка",
        slug="bench-plain",
        body=[("paragraph", "<p>Звичайна сторінка Wagtail для порівняння.</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def prepare() -> dict:
    """Returns {name: (url, user or None)} in the order they are timed."""
    lesson = LessonPage.objects.live().order_by("path").first()
    return {
        "plain Wagtail page (anonymous)": (_plain_page().url, None),
        "lesson page (anonymous)": (lesson.url, None),
    }
