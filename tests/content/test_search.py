"""Site search (content/search.py): what a learner finds, and what a visitor
who may not open a page never sees of it."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.models import PageViewRestriction, Site

from content.models import StandardPage
from courses.progress import enrol
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Таємне-речення-лише-для-слухачів"


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def results(soup):
    return soup.select(".search-result")


def titles(soup):
    return [
        r.select_one(".search-result__title").get_text(strip=True)
        for r in results(soup)
    ]


def result_titled(soup, title):
    found = [
        r for r in results(soup)
        if r.select_one(".search-result__title").get_text(strip=True) == title
    ]  # fmt: skip
    assert len(found) == 1, titles(soup)
    return found[0]


@pytest.fixture
def petition_course():
    """A course whose first lesson (open preview) speaks of petitions, and whose
    second lesson, for the enrolled only, of petitions and a secret."""
    tree = factories.build_course(modules=2, lessons_per_module=1, sequential=True)
    preview, closed = tree.lessons
    preview.title = "Звернення громадян"
    preview.is_preview = True
    preview.body = [factories.paragraph("Електронна петиція до місцевої ради.")]
    factories.publish(preview)
    closed.title = "Розгляд звернень"
    closed.body = [factories.paragraph(f"Петиція розглядається. {SECRET}.")]
    factories.publish(closed)
    return tree


# The header -------------------------------------------------------------------


def test_every_page_has_the_search_form_and_anonymous_visitors_a_register_link(
    client, petition_course
):
    for url in ("/", petition_course.course.url, petition_course.lessons[0].url):
        soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
        form = soup.header.find("form", attrs={"role": "search"})
        assert form["action"] == "/search/" and form["method"] == "get", url
        field = form.find("input", attrs={"name": "q"})
        assert form.find("label", attrs={"for": field["id"]}).get_text() == "Пошук"
        assert form.find("button", type="submit")
        links = {a.get_text(strip=True): a["href"] for a in soup.header.find_all("a")}
        assert links["Увійти"] == "/account/login/"
        assert links["Зареєструватися"] == "/account/register/"


def test_a_signed_in_learner_gets_the_search_form_and_no_register_link(
    client, learner, petition_course
):
    client.force_login(learner)
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    assert soup.header.find("form", attrs={"role": "search"})
    assert "Зареєструватися" not in soup.header.get_text()


def test_the_header_box_keeps_the_query_on_the_results_page(client, petition_course):
    _, soup = search(client, "петиція")
    assert soup.header.find("input", attrs={"name": "q"})["value"] == "петиція"
    assert soup.main.find("input", attrs={"name": "q"})["value"] == "петиція"


# Finding ----------------------------------------------------------------------


def test_a_lesson_is_found_with_its_module_course_and_a_marked_excerpt(
    client, petition_course
):
    _, soup = search(client, "петиція")
    result = result_titled(soup, "Звернення громадян")
    link = result.select_one(".search-result__title a")
    assert link["href"] == petition_course.lessons[0].url
    trail = {a.get_text(): a["href"] for a in result.select(".search-result__meta a")}
    module, course = petition_course.modules[0], petition_course.course
    assert trail == {module.title: module.url, course.title: course.url}
    excerpt = result.select_one(".search-result__excerpt")
    assert [m.get_text() for m in excerpt.find_all("mark")] == ["петиція"]
    assert "Електронна петиція до місцевої ради." in excerpt.get_text()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="word forms by trigrams: PostgreSQL"
)
def test_a_ukrainian_word_form_finds_another_form(client, petition_course):
    _, soup = search(client, "петиції")
    result = result_titled(soup, "Звернення громадян")
    marks = result.select(".search-result__excerpt mark")
    assert [m.get_text() for m in marks] == ["петиція"]
    _, soup = search(client, "звернень громадянам")
    assert "Звернення громадян" in titles(soup)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="word forms by trigrams: PostgreSQL"
)
def test_every_word_is_needed_and_a_word_of_another_root_finds_nothing(
    client, petition_course
):
    _, soup = search(client, "електронні ради")  # apart in the text
    assert titles(soup) == ["Звернення громадян"]
    _, soup = search(client, "петиції бюджету")
    assert results(soup) == []
    _, soup = search(client, "петля")  # begins like «петиція», another word
    assert results(soup) == []


def test_site_pages_and_the_course_are_found(client, petition_course):
    factories.make_standard_page(
        title="Про проєкт", body=[factories.paragraph("Навчання про петиція.")]
    )
    petition_course.course.summary = "Курс про те, як працює петиція."
    factories.publish(petition_course.course)
    _, soup = search(client, "петиція")
    assert (
        result_titled(soup, "Про проєкт").select_one(".search-result__kind").get_text()
        == "Сторінка"
    )
    course = result_titled(soup, petition_course.course.title)
    assert course.select_one(".search-result__kind").get_text() == "Курс"


# Who sees what ----------------------------------------------------------------


def test_anonymous_visitors_see_an_enrolment_only_lesson_without_its_text(
    client, petition_course
):
    response, soup = search(client, "петиція")
    closed = result_titled(soup, "Розгляд звернень")
    assert closed.select_one(".search-result__excerpt") is None
    assert closed.select_one(".search-result__closed").get_text(strip=True) == (
        "Увійдіть і запишіться на курс, щоб відкрити урок."
    )
    assert SECRET not in response.content.decode()


def test_a_signed_in_learner_not_enrolled_is_told_to_enrol_and_gets_no_message_later(
    client, learner, petition_course
):
    client.force_login(learner)
    response, soup = search(client, "петиція")
    closed = result_titled(soup, "Розгляд звернень")
    assert closed.select_one(".search-result__closed").get_text(strip=True) == (
        "Відкриється, коли ви запишетеся на курс."
    )
    assert SECRET not in response.content.decode()
    # The gate's «enrol first» message is not left for the next page.
    assert "Запишіться на курс" not in client.get("/").content.decode()


def test_lessons_of_a_locked_module_are_marked_for_an_enrolled_learner(
    client, learner, petition_course
):
    enrol(learner=learner, course=petition_course.course)
    client.force_login(learner)
    response, soup = search(client, "петиція")
    locked = result_titled(soup, "Розгляд звернень")
    assert locked.select_one(".search-result__closed").get_text(strip=True) == (
        "Відкриється, коли ви завершите попередній модуль."
    )
    assert SECRET not in response.content.decode()
    open_lesson = result_titled(soup, "Звернення громадян")
    assert open_lesson.select_one(".search-result__closed") is None
    assert open_lesson.select_one(".search-result__excerpt mark")


def test_editors_read_every_lesson_so_nothing_is_marked(
    client, superuser, petition_course
):
    client.force_login(superuser)
    response, soup = search(client, "петиція")
    assert soup.select(".search-result__closed") == []
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("restriction", ["login", "password", "groups"])
def test_pages_with_a_view_restriction_and_below_are_never_listed(
    client, learner, petition_course, restriction
):
    private = factories.make_standard_page(
        title="Закрита сторінка", body=[factories.paragraph(f"Петиція. {SECRET}")]
    )
    below = factories.make_standard_page(
        parent=private,
        title="Сторінка під закритою",
        body=[factories.paragraph(f"Петиція. {SECRET}")],
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=restriction, password="x"
    )
    for who in (None, learner):
        if who:
            client.force_login(who)
        response, soup = search(client, "петиція")
        html = response.content.decode()
        assert "Звернення громадян" in titles(soup)
        assert private.title not in html and below.title not in html
        assert SECRET not in html


def test_pages_under_an_unpublished_page_and_of_other_sites_are_not_listed(
    client, petition_course
):
    petition_course.modules[1].unpublish()  # its lesson stays live
    other_root = StandardPage(
        title="Інший сайт", slug="other-site", body=[factories.paragraph("Петиція.")]
    )
    factories.tree_root().add_child(instance=other_root)
    factories.publish(other_root)
    Site.objects.create(hostname="other.example.org", root_page=other_root)
    _, soup = search(client, "петиція")
    assert titles(soup) == ["Звернення громадян"]


# Escaping ---------------------------------------------------------------------


def test_the_query_is_escaped(client, petition_course):
    query = 'петиція <script>alert("q")</script>'
    response, soup = search(client, query)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert 'value="петиція &lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;"' in html
    assert soup.main.find("input", attrs={"name": "q"})["value"] == query
    assert soup.title.get_text().startswith("«петиція <script>")


def test_excerpts_are_escaped_with_only_marks_added(client, petition_course):
    lesson = petition_course.lessons[0]
    lesson.body = [
        factories.paragraph("Петиція &lt;img src=x onerror=alert(1)&gt; і &lt;mark&gt;")
    ]
    factories.publish(lesson)
    response, soup = search(client, "петиція")
    assert "<img src=x" not in response.content.decode()
    excerpt = result_titled(soup, "Звернення громадян").select_one(
        ".search-result__excerpt"
    )
    assert excerpt.find("img") is None
    assert [m.get_text() for m in excerpt.find_all("mark")] == ["Петиція"]
    assert excerpt.get_text() == "Петиція <img src=x onerror=alert(1)> і <mark>"


def test_search_operators_in_the_query_are_plain_words(client, petition_course):
    for query in ['"', "петиція*", "петиція OR ради", "(", "NEAR(a b)", "'--", "^"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query


# Messages, pages and queries -------------------------------------------------


def test_empty_missing_and_overlong_queries_are_answered_in_ukrainian(
    client, home_page
):
    _, soup = search(client, "")
    assert "Введіть слово або фразу" in soup.main.get_text()
    assert results(soup) == []
    response = client.get("/search/")
    assert response.status_code == 200
    overlong = "петиція " * 40
    _, soup = search(client, overlong)
    error = soup.select_one("#search-q-error").get_text()
    assert "200" in error
    assert soup.main.find("input", attrs={"name": "q"})["value"] == overlong


def test_no_results_are_said_so_with_the_query(client, petition_course):
    _, soup = search(client, "квантування")
    status = soup.select_one('[role="status"]').get_text(" ", strip=True)
    assert status.startswith("За запитом «квантування» нічого не знайдено.")


def test_results_are_paged_and_counted(client, home_page):
    for number in range(25):
        factories.make_standard_page(
            title=f"Петиція номер {number}", body=[factories.paragraph("Петиція.")]
        )
    response, soup = search(client, "петиція", page=2)
    assert len(results(soup)) == 10
    status = soup.select_one('[role="status"]').get_text(" ", strip=True)
    assert "Знайдено 25 результатів за запитом «петиція»." in status
    assert "Показано 11–20." in status
    assert soup.select_one("ol.search-results")["start"] == "11"
    assert soup.title.get_text().startswith("«петиція»: 25 результатів, сторінка 2")
    pages = soup.select_one('nav[aria-label="Сторінки результатів"]')
    current = pages.select_one('[aria-current="page"]')
    assert current.get_text(" ", strip=True) == "Сторінка 2"
    assert current["href"] == "?q=%D0%BF%D0%B5%D1%82%D0%B8%D1%86%D1%96%D1%8F&page=2"
    _, soup = search(client, "петиція", page="999")  # a page past the end: the last
    assert len(results(soup)) == 5
    _, soup = search(client, "петиція", page="abc")
    assert len(results(soup)) == 10


def _course_with_lessons(count: int):
    tree = factories.build_course(modules=1, lessons_per_module=0)
    module = tree.modules[0]
    for number in range(count):
        factories.make_lesson(
            module,
            title=f"Урок про петиції {number}",
            body=[factories.paragraph("Петиція до ради.")],
            is_preview=number % 2 == 0,
        )
    return tree


# Queries for one page of results, whatever their number (3 or 30 found):
# the site, view restrictions, the count, the page of results, their indexed
# text, their modules and courses, their lessons; a signed-in learner adds the
# session, the user, enrolments, completions and, when a lesson is not theirs,
# the permissions the gate asks about (whether they work in the admin).
QUERIES = {"anonymous": 7, "enrolled": 13, "not enrolled": 13}


@pytest.mark.parametrize("who", QUERIES)
def test_the_number_of_queries_does_not_grow_with_the_results(
    client, learner, django_assert_max_num_queries, who
):
    tree = factories.build_course(modules=1, lessons_per_module=0)
    module = tree.modules[0]

    def add_lessons(count):
        for number in range(count):
            factories.make_lesson(
                module,
                title=f"Урок {number}",
                body=[factories.paragraph("Петиція до ради.")],
                is_preview=number % 2 == 0,
            )

    def count_queries(**params):
        search(client, "петиція", **params)  # the outline and site paths cached
        with django_assert_max_num_queries(QUERIES[who]) as captured:
            _, soup = search(client, "петиція", **params)
        return len(captured.captured_queries), len(results(soup))

    add_lessons(3)
    if who == "enrolled":
        enrol(learner=learner, course=tree.course)
    if who != "anonymous":
        client.force_login(learner)
    few, shown = count_queries()
    assert shown == 3

    add_lessons(27)
    assert count_queries(page=1) == (few, 10)
    assert count_queries(page=3) == (few, 10)


def test_the_results_page_has_landmarks_one_h1_and_a_labelled_form(
    client, petition_course
):
    _, soup = search(client, "петиція")
    assert len(soup.find_all("h1")) == 1 and soup.h1.get_text() == "Пошук"
    assert soup.find("main") and soup.find("header") and soup.find("footer")
    forms = soup.find_all("form", attrs={"role": "search"})
    labels = [f.get("aria-label") or f.get("aria-labelledby") for f in forms]
    assert len(set(labels)) == 2 and all(labels)
    field = soup.main.find("input", attrs={"name": "q"})
    assert soup.main.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert (
        soup.select('link[rel="stylesheet"]')[-1]["href"]
        == "/static/lms/css/search.css"
    )
    assert not soup.find_all("script", src=False) and not soup.find_all(style=True)
