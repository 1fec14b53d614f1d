"""The statistics page of the reviewers' workspace (certificates/reviewing/
statistics/, charts/ included): who may see it, exact numbers on the known
dataset, the regional limit in every section, escaping, accessible charts and
a query count that does not grow with the data."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from certificates.reviewing.menu import review_menu
from certificates.reviewing.statistics import Period
from courses.progress import complete_lesson, enrol
from courses.quizzes.attempts import start_attempt, submit_attempt
from lms.reference import OBLASTS
from tests import factories
from tests import quiz_factories as qf
from tests.certificates.fixtures import *  # noqa: F403
from tests.certificates.reviewing_data import (
    OBLAST_NAMES,
    _take_quiz,
    category,
    oblast,
    people_of_every_role,
    review_world,
    reviewer,
)
from tests.quiz_factories import page_text

pytestmark = pytest.mark.django_db

URL = "/admin/reports/completion-statistics/"
LUHANSK, KYIV_OBLAST, LVIV = OBLAST_NAMES
SVG = re.compile(r"<svg xmlns=[^>]*review-chart.*?</svg>", re.S)
HOSTILE_COURSE = "<script>alert(1)</script>"
HOSTILE_QUIZ = '"><svg onload=alert(1)>'


def statistics_page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("review_statistics"), params)
    assert response.status_code == 200
    return response


def table(response, name: str) -> list[list[str]]:
    """The body rows of one section's data table, as the cells' texts."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = soup.find("table", id=f"stats-{name}-table").tbody.find_all("tr")
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in rows
    ]


def by_name(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows}


def charts(response) -> list[str]:
    return SVG.findall(response.content.decode())


def parse_svg(svg: str) -> ET.Element:
    """The chart as XML: parsing fails unless it is well-formed."""
    return ET.fromstring(svg)  # noqa: S314 - the page under test, no entities


# Who may see it ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("anonymous", "login"),
        ("learner", "login"),
        ("editor", "dashboard"),
        ("moderator", "dashboard"),
        ("organiser", "dashboard"),
        ("reviewer", 200),
        ("regional reviewer", 200),
        ("administrator", 200),
    ],
)
def test_only_those_who_may_view_enrolments_see_the_statistics(client, role, outcome):
    user = people_of_every_role()[role]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("review_statistics"))

    if outcome == 200:
        assert response.status_code == 200
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_the_page_is_at_its_address_under_the_admin_reports():
    assert reverse("review_statistics") == URL


def test_the_page_changes_nothing_and_takes_no_posts(client):
    client.force_login(reviewer())

    assert client.post(reverse("review_statistics")).status_code == 405


def test_the_reviewing_menu_offers_the_page_to_those_who_may_see_it(rf):
    people = people_of_every_role()
    for role, shown in [
        ("reviewer", True),
        ("regional reviewer", True),
        ("administrator", True),
        ("editor", False),
        ("organiser", False),
    ]:
        request = rf.get("/admin/")
        request.user = people[role]
        urls = [item.url for item in review_menu.menu_items_for_request(request)]
        assert (URL in urls) is shown, role


# Exact numbers on the known dataset ---------------------------------------------


def test_enrolments_and_completions_are_counted_per_month_of_the_last_year(client):
    review_world()

    response = statistics_page(client, reviewer())

    rows = table(response, "months")
    assert len(rows) == 12
    assert [cells[1:] for cells in rows] == [["0", "0"]] * 11 + [["6", "3"]]
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    totals = soup.find("table", id="stats-months-table").tfoot.find_all("td")
    assert [cell.get_text(strip=True) for cell in totals] == ["6", "3"]


def test_each_oblast_shows_its_enrolled_completed_and_completion_rate(client):
    review_world()

    rows = by_name(table(statistics_page(client, reviewer()), "oblasts"))

    assert rows[LUHANSK] == ["2", "2", "100"]
    assert rows[KYIV_OBLAST] == ["2", "1", "50"]
    assert rows[LVIV] == ["2", "0", "0"]
    # Every oblast in scope is listed; those with nobody show zeros.
    assert len(rows) == len(OBLASTS)
    assert rows["Одеська область"] == ["0", "0", "—"]


def test_oblasts_sort_by_name_or_by_number_enrolled(client):
    world = review_world()
    extra = factories.make_user(oblast=world.oblasts[LVIV])
    enrol(learner=extra, course=world.tree.course)

    by_name_order = table(statistics_page(client, reviewer()), "oblasts")
    by_count = table(
        statistics_page(client, reviewer(), oblast_order="enrolled"), "oblasts"
    )

    names = [row[0] for row in by_name_order]
    assert names.index(KYIV_OBLAST) < names.index(LUHANSK) < names.index(LVIV)
    assert [row[0] for row in by_count[:3]] == [LVIV, KYIV_OBLAST, LUHANSK]


def test_the_funnel_goes_from_enrolled_to_a_valid_certificate(client):
    review_world()

    rows = table(statistics_page(client, reviewer()), "funnel")

    # 6 enrolled; 5 did a first step (not idle); 3 completed; done_a holds a
    # valid certificate, done_b's is revoked and done_c has none.
    assert [row[1:] for row in rows] == [
        ["6", "100"],
        ["5", "83"],
        ["3", "50"],
        ["1", "17"],
    ]


def test_quiz_pass_rates_count_learners_who_attempted_and_passed(client):
    world = review_world()

    # Without a course chosen, the first column is the course.
    rows = by_name(
        [row[1:] for row in table(statistics_page(client, reviewer()), "quizzes")]
    )

    first, second, final = (quiz.title for quiz in world.quizzes)
    # Quiz 1: done_a, done_b and done_c passed, failing scored 0.
    assert rows[first] == ["4", "3", "75", "4"]
    assert rows[second] == ["3", "3", "100", "3"]
    assert rows[final] == ["3", "3", "100", "3"]


def test_every_attempt_counts_and_a_learner_once(client):
    world = review_world()
    failing = world.learners["failing"]
    _take_quiz(failing, world.quizzes[0], percent=100)  # a second attempt, passed

    response = statistics_page(client, reviewer(), course=world.tree.course.pk)

    rows = by_name(table(response, "quizzes"))
    assert rows[world.quizzes[0].title] == ["4", "4", "100", "5"]


def test_an_attempt_still_open_is_not_counted(client):
    world = review_world()
    start_attempt(learner=world.learners["done_a"], quiz=world.quizzes[1])

    response = statistics_page(client, reviewer(), course=world.tree.course.pk)

    assert by_name(table(response, "quizzes"))[world.quizzes[1].title] == [
        "3",
        "3",
        "100",
        "3",
    ]


def test_months_are_months_in_kyiv_and_only_the_period_is_shown(client, places):
    tree = factories.build_course(modules=1, lessons_per_module=1)
    learners = [factories.make_user(oblast=places.oblast) for _ in range(3)]
    moments = [
        datetime.datetime(2026, 1, 31, 21, 30, tzinfo=datetime.UTC),  # 23:30 Jan 31
        datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC),  # 00:30 Feb 1
        datetime.datetime(2025, 11, 30, 12, tzinfo=datetime.UTC),  # before the period
    ]
    for learner, moment in zip(learners, moments, strict=True):
        with time_machine.travel(moment, tick=False):
            enrol(learner=learner, course=tree.course)
    with time_machine.travel(moments[1], tick=False):
        complete_lesson(learner=learners[0], lesson=tree.lessons[0])

    response = statistics_page(
        client, reviewer(), date_from="2025-12-01", date_to="2026-02-28"
    )

    assert [row[1:] for row in table(response, "months")] == [
        ["0", "0"],  # December
        ["1", "0"],  # January
        ["1", "1"],  # February: the completion at 00:30 on 1 February in Kyiv
    ]
    # The funnel counts every enrolment to date, the period aside.
    assert table(response, "funnel")[0][1] == "3"


def test_the_default_period_is_the_last_twelve_months_to_today():
    period = Period.default(end=datetime.date(2026, 3, 15))

    assert period.start == datetime.date(2025, 4, 1)
    assert len(period.months) == 12
    assert period.months[-1] == datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-03-01", "date_to": "2026-01-01"},
        {"date_from": "2020-01-01", "date_to": "2026-01-01"},
        {"date_from": "not a date"},
    ],
)
def test_a_period_that_cannot_be_shown_is_refused_and_the_defaults_shown(
    client, params
):
    review_world()

    response = statistics_page(client, reviewer(), **params)

    html = response.content.decode()
    assert 'id="error-summary"' in html
    rows = table(response, "months")
    assert len(rows) == 12
    assert rows[-1][1:] == ["6", "3"]


def test_a_course_filter_counts_that_course_only(client):
    world = review_world()
    other = factories.build_course(modules=1, lessons_per_module=1)
    for _ in range(4):
        enrol(
            learner=factories.make_user(oblast=world.oblasts[LUHANSK]),
            course=other.course,
        )

    everything = statistics_page(client, reviewer())
    one_course = statistics_page(client, reviewer(), course=world.tree.course.pk)

    assert table(everything, "funnel")[0][1] == "10"
    assert table(one_course, "funnel")[0][1] == "6"
    assert by_name(table(one_course, "oblasts"))[LUHANSK][0] == "2"


def test_enrolments_without_a_recorded_oblast_are_listed_apart(client):
    world = review_world()
    enrol(learner=factories.make_user(), course=world.tree.course)

    rows = table(statistics_page(client, reviewer()), "oblasts")

    assert rows[-1][1:] == ["1", "0", "0"]
    assert len(rows) == len(OBLASTS) + 1


# The regional limit ------------------------------------------------------------------


def test_a_regional_reviewer_sees_only_their_oblasts_numbers_everywhere(client):
    world = review_world()
    enrol(learner=factories.make_user(), course=world.tree.course)  # no oblast
    regional = reviewer(oblasts=[world.oblasts[LUHANSK]])

    response = statistics_page(client, regional)

    assert table(response, "oblasts") == [[LUHANSK, "2", "2", "100"]]
    assert [row[1] for row in table(response, "funnel")] == ["2", "2", "2", "1"]
    assert table(response, "months")[-1][1:] == ["2", "2"]
    quizzes = [row[2:] for row in table(response, "quizzes")]
    assert quizzes == [["2", "2", "100", "2"]] * 3
    text = page_text(response)
    for _code, name in OBLASTS:
        if name != LUHANSK:
            assert name not in text


def test_a_learner_counts_for_quizzes_by_the_oblast_of_that_courses_enrolment(
    client,
):
    """A learner recorded in Луганська in one course but in Київська in
    another counts for the regional reviewer in the first course only."""
    world = review_world()
    other = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(other.modules[0], title="Тест іншого курсу", pass_mark=60)
    qf.add_single(quiz, text="Питання")
    mover = world.learners["done_a"]  # Луганська in the world's course
    enrolment, _created = enrol(learner=mover, course=other.course)
    enrolment.oblast = world.oblasts[KYIV_OBLAST]
    enrolment.save(update_fields=["oblast"])
    complete_lesson(learner=mover, lesson=other.lessons[0])
    attempt = start_attempt(learner=mover, quiz=quiz)
    submit_attempt(attempt_id=attempt.pk, learner=mover, raw={})

    regional = reviewer(oblasts=[world.oblasts[LUHANSK]])
    rows = table(statistics_page(client, regional), "quizzes")

    assert [row[2] for row in rows if row[1] == "Тест іншого курсу"] == ["0"]
    assert [row[2] for row in rows if row[1] == world.quizzes[0].title] == ["2"]


# Escaping and accessibility -------------------------------------------------------


def test_hostile_course_and_quiz_titles_are_escaped_in_charts_and_tables(client):
    world = review_world()
    Page.objects.filter(pk=world.tree.course.pk).update(title=HOSTILE_COURSE)
    Page.objects.filter(pk=world.quizzes[0].pk).update(title=HOSTILE_QUIZ)

    response = statistics_page(client, reviewer())

    html = response.content.decode()
    assert HOSTILE_COURSE not in html
    assert HOSTILE_QUIZ not in html
    assert "<svg onload" not in html
    quiz_chart = charts(response)[3]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in quiz_chart
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in quiz_chart
    soup = BeautifulSoup(html, "html.parser")
    quiz_table = str(soup.find("table", id="stats-quizzes-table"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in quiz_table
    assert "&lt;svg onload=alert(1)&gt;" in quiz_table
    # Read back, the texts are the titles exactly.
    texts = ["".join(node.itertext()) for node in parse_svg(quiz_chart).iter()]
    assert HOSTILE_COURSE in texts
    assert HOSTILE_QUIZ in texts


def test_every_chart_is_well_formed_svg_labelled_by_its_title_and_summary(client):
    review_world()

    response = statistics_page(client, reviewer())

    svgs = charts(response)
    assert len(svgs) == 4
    for svg in svgs:
        root = parse_svg(svg)
        assert root.get("role") == "img"
        assert root.get("viewBox")
        ids = {node.get("id"): node for node in root.iter() if node.get("id")}
        title_id, desc_id = root.get("aria-labelledby").split()
        assert ids[title_id].tag.endswith("title") and ids[title_id].text
        assert ids[desc_id].tag.endswith("desc") and ids[desc_id].text
        assert not any(node.tag.endswith("script") for node in root.iter())
        assert not any(node.get("style") for node in root.iter())


def test_each_chart_sits_in_a_figure_and_is_followed_by_its_data_table(client):
    review_world()

    soup = BeautifulSoup(
        statistics_page(client, reviewer()).content.decode(), "html.parser"
    )

    figures = soup.select(".review-statistics figure")
    assert len(figures) == 4
    for figure in figures:
        assert figure.figcaption.get_text(strip=True)
        assert figure.find("svg")
        data = figure.find_next_sibling("table")
        assert data.caption.get_text(strip=True)
        assert data.thead.find_all("th", scope="col")
        assert data.tbody.find_all("th", scope="row")


def test_the_summaries_give_the_numbers_in_words(client):
    review_world()

    response = statistics_page(client, reviewer())

    funnel_summary = parse_svg(charts(response)[2]).find(
        "{http://www.w3.org/2000/svg}desc"
    )
    numbers = re.findall(r"\d+", funnel_summary.text)
    assert numbers == ["6", "5", "83", "3", "50", "1", "17"]


# Queries -------------------------------------------------------------------------


def more_learners(world) -> None:
    """Learners in other oblasts and without one, and a second course with a quiz."""
    other = factories.build_course(modules=1, lessons_per_module=1)
    quiz = qf.make_quiz(other.modules[0], title="Ще один тест", pass_mark=60)
    for number in range(10):
        qf.add_single(quiz, text=f"Питання {number + 1}")
    names = ["Одеська область", "Харківська область", LUHANSK, None]
    for index, name in enumerate(names * 2):
        learner = factories.make_user(
            oblast=oblast(name) if name else None, position_category=category()
        )
        enrol(learner=learner, course=world.tree.course)
        enrol(learner=learner, course=other.course)
        complete_lesson(learner=learner, lesson=other.lessons[0])
        _take_quiz(learner, quiz, percent=100 if index % 2 else 0)


@pytest.mark.parametrize("regional", [False, True])
@pytest.mark.parametrize("one_course", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, django_assert_max_num_queries, regional, one_course
):
    world = review_world()
    user = reviewer(oblasts=[world.oblasts[LUHANSK]] if regional else [])
    params = {"course": world.tree.course.pk} if one_course else {}
    statistics_page(client, user, **params)  # caches filled, as in use
    with CaptureQueriesContext(connection) as small:
        statistics_page(client, user, **params)

    more_learners(world)
    with django_assert_max_num_queries(len(small)):
        response = statistics_page(client, user, **params)

    assert int(table(response, "funnel")[0][1]) > 6 or regional
