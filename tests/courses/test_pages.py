"""Public rendering of every page type, the 404 page, and course volume (ECTS)."""

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from courses.models import CoursePage
from courses.volume import credits_for_hours, format_volume
from tests import factories


def get_page(client, url: str) -> BeautifulSoup:
    """GETs ``url``, checks it answered 200 in Ukrainian, returns the parsed HTML."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.html.get("lang") == "uk"
    return soup


def text_of(element) -> str:
    """The visible text of an element with whitespace collapsed."""
    return " ".join(element.get_text(" ").split())


def heading(soup: BeautifulSoup) -> str:
    """The text of the page's one <h1>."""
    headings = soup.find_all("h1")
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}"
    return text_of(headings[0])


def numbers_in(text: str) -> list[str]:
    """The numbers in ``text`` in order, with a decimal comma kept."""
    return re.findall(r"\d+(?:,\d+)?", text)


# Pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_renders_its_lead_and_the_live_courses(client):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    soup = get_page(client, tree.home.url)
    assert heading(soup) == tree.home.title
    text = text_of(soup)
    assert tree.home.lead in text
    assert tree.course.title in text


@pytest.mark.django_db
def test_standard_page_renders_its_intro_and_body(client, home_page):
    page = factories.make_standard_page(
        home_page,
        title="Про проєкт «Розумна взаємодія»",
        intro="<p>Хто підготував курс.</p>",
        body=[factories.paragraph("Курс створено для службовців громад.")],
    )
    soup = get_page(client, page.url)
    assert heading(soup) == "Про проєкт «Розумна взаємодія»"
    text = text_of(soup.find("main"))
    assert "Хто підготував курс." in text
    assert "Курс створено для службовців громад." in text


@pytest.mark.django_db
def test_course_index_lists_live_courses_with_summary_and_volume(client):
    tree = factories.build_course(modules=1, lessons_per_module=1, hours=45)
    hidden = factories.make_course(tree.index, title="Чернетка курсу")
    hidden.unpublish()
    soup = get_page(client, tree.index.url)
    assert heading(soup) == tree.index.title
    text = text_of(soup.find("main"))
    assert "Курси підвищення кваліфікації." in text
    assert tree.course.title in text
    assert tree.course.summary in text
    assert tree.course.volume_display in text
    assert "Чернетка курсу" not in text


@pytest.mark.django_db
def test_course_page_shows_summary_volume_provider_outcomes_and_modules(client):
    tree = factories.build_course(
        modules=2,
        lessons_per_module=1,
        hours=45,
        summary="Як громаді домовлятися з бізнесом.",
        learning_outcomes=[("outcome", "Планує спільні проєкти з партнерами.")],
    )
    soup = get_page(client, tree.course.url)
    assert heading(soup) == tree.course.title
    text = text_of(soup.find("main"))
    assert "Як громаді домовлятися з бізнесом." in text
    assert tree.course.volume_display in text
    assert numbers_in(tree.course.volume_display) == ["45", "1,5"]
    assert tree.course.provider_name in text
    assert "Планує спільні проєкти з партнерами." in text
    for module in tree.modules:
        assert soup.find("a", href=module.url, string=module.title)


@pytest.mark.django_db
def test_course_page_leaves_out_an_unpublished_module(client):
    tree = factories.build_course(modules=2, lessons_per_module=1)
    tree.modules[1].unpublish()
    soup = get_page(client, tree.course.url)
    assert tree.modules[0].title in text_of(soup)
    assert tree.modules[1].title not in text_of(soup)


@pytest.mark.django_db
def test_module_page_shows_its_intro_and_only_its_own_lessons(client):
    tree = factories.build_course(modules=2, lessons_per_module=2)
    module, other = tree.modules
    soup = get_page(client, module.url)
    assert heading(soup) == module.title
    section = soup.find(id="module-lessons")
    section = section.parent if section else soup.find("main")
    text = text_of(section)
    for lesson in tree.lessons_of(module):
        assert lesson.title in text
    for lesson in tree.lessons_of(other):
        assert lesson.title not in text
    assert f"Вступ до модуля {module.title.split()[-1]}." in text_of(soup)


@pytest.mark.django_db
def test_open_lesson_renders_its_body_and_links_to_the_next_module(client):
    tree = factories.build_course(
        modules=2, lessons_per_module=2, lesson_fields={"is_preview": True}
    )
    last_of_first_module = tree.lessons[1]
    first_of_second_module = tree.lessons[2]
    soup = get_page(client, last_of_first_module.url)
    assert heading(soup) == last_of_first_module.title
    body_text = last_of_first_module.body[0].value.source
    assert BeautifulSoup(body_text, "html.parser").get_text() in text_of(soup)
    next_link = soup.find("a", rel="next")
    assert next_link is not None
    assert next_link["href"] == first_of_second_module.url
    assert first_of_second_module.title in text_of(next_link)
    assert soup.find("a", rel="prev")["href"] == tree.lessons[0].url


# Not found -----------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_address_answers_404_with_the_site_frame(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.html.get("lang") == "uk"
    assert soup.find("main") is not None
    assert heading(soup)
    assert soup.find("main").find("a", href="/") is not None


@pytest.mark.django_db
def test_404_page_is_worded_in_ukrainian(client, home_page):
    # Depends on the Ukrainian catalogue (locale/uk); fails until it is compiled.
    response = client.get("/no-such-page/")
    soup = BeautifulSoup(response.content, "html5lib")
    assert "сторінк" in heading(soup).lower()
    english_words = re.findall(r"[A-Za-z]{3,}", text_of(soup.find("main")))
    assert english_words == []


# Volume and ECTS credits ---------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "credits"),
    [
        (30, Decimal("1")),
        (45, Decimal("1.50")),
        (6, Decimal("0.20")),
        (1, Decimal("0.03")),
        (120, Decimal("4")),
        (3000, Decimal("100")),
    ],
)
def test_credits_are_hours_divided_by_thirty_to_two_places(hours, credits):
    assert credits_for_hours(hours) == credits
    assert credits_for_hours(hours).as_tuple().exponent == -2


@pytest.mark.django_db  # a page instance looks up its content type
def test_course_credits_follow_its_hours():
    assert CoursePage(hours=45).credits == Decimal("1.50")


@pytest.mark.parametrize(
    ("hours", "numbers"),
    [(30, ["30", "1"]), (45, ["45", "1,5"]), (6, ["6", "0,2"]), (90, ["90", "3"])],
)
def test_volume_shows_hours_then_credits_with_a_decimal_comma(hours, numbers):
    assert numbers_in(format_volume(hours)) == numbers
