"""Pilots and events in the reviewers' workspace (content/participation/reviewing.py).

The completion report's columns «Участь у пілотах» and «Відвідані заходи» and
its filter «Учасник пілоту», the transcript's section «Пілоти та заходи» (page,
print and PDF), and the report «Пілоти і заходи: від навчання до участі» with
its funnel, on a known dataset (``participation_world``):

| learner | oblast | course | event «Обласна конференція» | pilot «Пілот Кремінна» |
|---|---|---|---|---|
| l1 | Луганська | completed | selected, attended | selected |
| l2 | Луганська | completed | selected, attended | submitted |
| l3 | Луганська | completed | selected, absent | declined |
| l4 | Луганська | completed | declined | withdrawn |
| l5 | Луганська | completed | withdrawn | on the waiting list |
| k1 | Київська | completed | selected, attended | selected |

So the event's funnel is 6 completed → 5 applied → 4 selected → 3 attended,
and 5 → 4 → 3 → 2 for a reviewer of Луганська only.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from content.participation.models import Application
from courses.models import Enrolment
from courses.progress import enrol
from lms.accounts.services import update_profile
from tests import factories
from tests.certificates.factories import complete_course
from tests.certificates.pdf_support import pdf_text
from tests.certificates.reviewing_data import (
    OBLAST_NAMES,
    oblast,
    people_of_every_role,
    reviewer,
)
from tests.content.participation_data import make_application, make_event, make_pilot

pytestmark = pytest.mark.django_db
LUHANSK, KYIV, _LVIV = OBLAST_NAMES
REPORT = "/admin/reports/completions/"
FUNNEL = "/admin/reports/participation/"
SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil","x")'
S = Application.Status

PILOTS_COLUMN = "Участь у пілотах"
EVENTS_COLUMN = "Відвідані заходи"
FUNNEL_HEADINGS = [
    "Пілот або захід",
    "Тип",
    "Курс",
    "Завершили курс",
    "Подали заявки",
    "Відібрані",
    "Відвідали",
]

# learner → (oblast, event application, pilot application); None: no application.
PLAN = {
    "l1": (LUHANSK, (S.SELECTED, True), (S.SELECTED, None)),
    "l2": (LUHANSK, (S.SELECTED, True), (S.SUBMITTED, None)),
    "l3": (LUHANSK, (S.SELECTED, False), (S.DECLINED, None)),
    "l4": (LUHANSK, (S.DECLINED, None), (S.WITHDRAWN, None)),
    "l5": (LUHANSK, (S.WITHDRAWN, None), (S.WAITLISTED, None)),
    "k1": (KYIV, (S.SELECTED, True), (S.SELECTED, None)),
}


@dataclass
class World:
    tree: factories.CourseTree
    event: object
    pilot: object
    oblasts: dict
    learners: dict = field(default_factory=dict)


def participation_world(*, pilot_title="Пілот Кремінна") -> World:
    tree = factories.build_course(modules=1, lessons_per_module=1)
    oblasts = {name: oblast(name) for name in (LUHANSK, KYIV)}
    event = make_event(title="Обласна конференція", course=tree.course)
    pilot = make_pilot(title=pilot_title, course=tree.course)
    world = World(tree, event, pilot, oblasts)
    for key, (oblast_name, on_event, on_pilot) in PLAN.items():
        learner = factories.make_user(
            last_name=f"Прізвище-{key}", oblast=oblasts[oblast_name]
        )
        complete_course(learner, tree)
        world.learners[key] = learner
        for page, (status, attended) in ((event, on_event), (pilot, on_pilot)):
            make_application(page, learner, status=status, attended=attended)
    return world


@pytest.fixture
def world():
    return participation_world()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def report_by_surname(client, query: str = "") -> tuple[list[str], dict[str, dict]]:
    header, *rows = csv_rows(client.get(f"{REPORT}?export=csv&{query}"))
    return header, {
        row[0].split()[0].removeprefix("Прізвище-"): dict(zip(header, row, strict=True))
        for row in rows
    }


def funnel_export(client, query: str = "") -> dict[str, list[str]]:
    header, *rows = csv_rows(client.get(f"{FUNNEL}?export=csv&{query}"))
    assert header == FUNNEL_HEADINGS
    return {row[0]: row[3:] for row in rows}


def funnel_table(client, query: str = "") -> dict[str, list[str]]:
    """The report page's table as the reviewer reads it: title → the counts."""
    response = client.get(f"{FUNNEL}?{query}")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    table = page.select_one("#listing-results table.listing")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert headings == FUNNEL_HEADINGS
    return {
        cells[0]: cells[3:]
        for cells in (
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.select("tbody tr")
        )
    }


# The completion report ----------------------------------------------------------


def test_the_columns_show_exactly_the_selected_pilots_and_attended_events(world):
    header, rows = report_by_surname(client_for(reviewer()))
    assert {PILOTS_COLUMN, EVENTS_COLUMN} <= set(header)
    pilots = {key: row[PILOTS_COLUMN] for key, row in rows.items()}
    assert pilots == {
        "l1": "Пілот Кремінна",
        "l2": "",  # submitted
        "l3": "",  # declined
        "l4": "",  # withdrawn
        "l5": "",  # on the waiting list
        "k1": "Пілот Кремінна",
    }
    events = {key: row[EVENTS_COLUMN] for key, row in rows.items()}
    assert events == {
        "l1": "Обласна конференція",
        "l2": "Обласна конференція",
        "l3": "",  # selected but absent
        "l4": "",
        "l5": "",
        "k1": "Обласна конференція",
    }


def test_a_learner_in_several_pilots_has_them_all_in_one_cell(world):
    second = make_pilot(title="Алчевський пілот", course=world.tree.course)
    make_application(second, world.learners["l1"], status=S.SELECTED)
    _header, rows = report_by_surname(client_for(reviewer()))
    assert rows["l1"][PILOTS_COLUMN] == "Алчевський пілот; Пілот Кремінна"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pilot_participant=yes", {"l1", "k1"}),
        ("pilot_participant=no", {"l2", "l3", "l4", "l5"}),
        ("pilot_participant=", {"l1", "l2", "l3", "l4", "l5", "k1"}),
    ],
)
def test_the_filter_narrows_the_report_to_pilot_participants(world, query, expected):
    _header, rows = report_by_surname(client_for(reviewer()), query)
    assert set(rows) == expected


def test_the_filter_and_column_on_the_report_page(world):
    client = client_for(reviewer())
    html = client.get(REPORT).content.decode()
    assert "Учасник пілоту" in html  # the filter is offered
    assert PILOTS_COLUMN in html and EVENTS_COLUMN in html
    page = BeautifulSoup(
        client.get(REPORT + "?pilot_participant=yes").content, "html.parser"
    )
    rows = page.select("#listing-results table.listing tbody tr")
    surnames = {row.find(["th", "td"]).get_text(" ", strip=True) for row in rows}
    assert {name.split()[0] for name in surnames} == {"Прізвище-l1", "Прізвище-k1"}
    assert all("Пілот Кремінна" in row.get_text() for row in rows)


def test_the_xlsx_export_has_the_columns_too(world):
    from openpyxl import load_workbook  # noqa: PLC0415

    response = client_for(reviewer()).get(REPORT + "?export=xlsx&pilot_participant=yes")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[
        0
    ]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    column = header.index(PILOTS_COLUMN)
    assert sorted(row[column] for row in rows) == ["Пілот Кремінна"] * 2


def test_a_regional_reviewer_filters_only_learners_of_their_oblasts(world):
    client = client_for(reviewer(oblasts=[world.oblasts[LUHANSK]]))
    _header, rows = report_by_surname(client, "pilot_participant=yes")
    assert set(rows) == {"l1"}


# The transcript -------------------------------------------------------------------


def transcript_url(name: str, learner) -> str:
    return reverse(name, args=[learner.pk])


def test_the_transcript_lists_every_application_with_status_and_attendance(world):
    client = client_for(reviewer())
    page = BeautifulSoup(
        client.get(transcript_url("review_transcript", world.learners["l3"])).content,
        "html.parser",
    )
    heading = page.find("h2", string="Пілоти та заходи")
    assert heading is not None
    table = heading.find_parent("section").find("table")
    headings = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headings == [
        "Пілот або захід",
        "Тип",
        "Подано",
        "Статус",
        "Дата рішення",
        "Присутність",
    ]
    rows = {
        cells[0]: cells
        for cells in (
            [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.select("tbody tr")
        )
    }
    event, pilot = rows["Обласна конференція"], rows["Пілот Кремінна"]
    assert event[1:2] + event[3:4] + event[5:] == ["Захід", "відібрано", "Ні"]
    assert pilot[1:2] + pilot[3:4] + pilot[5:] == ["Пілот", "відхилено", "—"]
    for row in (event, pilot):
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row[2])  # submitted
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row[4])  # decided


def test_withdrawn_and_pending_applications_have_no_decision_date(world):
    html = client_for(reviewer()).get(
        transcript_url("review_transcript", world.learners["l5"])
    )
    page = BeautifulSoup(html.content, "html.parser")
    table = page.find("h2", string="Пілоти та заходи").find_parent("section")
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]
    statuses = {row[0]: (row[3], row[4], row[5]) for row in rows}
    assert statuses == {
        "Обласна конференція": ("відкликано", "—", "—"),
        "Пілот Кремінна": ("у резерві", rows[1][4], "—"),
    }
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", rows[1][4])


def test_a_learner_without_applications_has_a_line_saying_so(world):
    learner = factories.make_user(oblast=world.oblasts[LUHANSK])
    complete_course(learner, world.tree)
    html = unescape(
        client_for(reviewer())
        .get(transcript_url("review_transcript", learner))
        .content.decode()
    )
    assert "Заявок на пілоти чи заходи немає." in html


def test_the_print_page_and_the_pdf_list_the_applications(world):
    client = client_for(reviewer())
    learner = world.learners["l1"]
    printed = unescape(
        client.get(transcript_url("review_transcript_print", learner)).content.decode()
    )
    assert "Пілоти та заходи" in printed
    assert "Обласна конференція" in printed and "Пілот Кремінна" in printed
    response = client.get(transcript_url("review_transcript_pdf", learner))
    assert response["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", " ", pdf_text(response.content))
    assert "Пілоти та заходи" in text
    assert "Обласна конференція" in text
    assert "Пілот Кремінна" in text
    assert "Статус: відібрано" in text
    assert "Присутність: Так" in text


# The report: from learning to participation -----------------------------------


def test_the_funnel_counts_completed_applied_selected_attended(world):
    client = client_for(reviewer())
    expected = {
        "Обласна конференція": ["6", "5", "4", "3"],
        "Пілот Кремінна": ["6", "5", "2", "—"],
        "Разом": ["6", "10", "6", "3"],
    }
    assert funnel_table(client) == expected
    exported = funnel_export(client)
    assert exported["Обласна конференція"] == ["6", "5", "4", "3"]
    assert exported["Пілот Кремінна"] == ["6", "5", "2", ""]
    assert exported["Разом"] == ["6", "10", "6", "3"]


def test_a_regional_reviewer_counts_only_learners_of_their_oblasts(world):
    luhansk = client_for(reviewer(oblasts=[world.oblasts[LUHANSK]]))
    assert funnel_table(luhansk) == {
        "Обласна конференція": ["5", "4", "3", "2"],
        "Пілот Кремінна": ["5", "4", "1", "—"],
        "Разом": ["5", "8", "4", "2"],
    }
    kyiv = client_for(reviewer(oblasts=[world.oblasts[KYIV]]))
    assert funnel_table(kyiv)["Обласна конференція"] == ["1", "1", "1", "1"]
    # An oblast outside the scope cannot widen it.
    outside = funnel_table(luhansk, f"oblast={world.oblasts[KYIV].pk}")
    assert outside["Обласна конференція"] == ["5", "4", "3", "2"]


def test_the_oblast_and_kind_filters(world):
    client = client_for(reviewer())
    kyiv = funnel_table(client, f"oblast={world.oblasts[KYIV].pk}")
    assert kyiv["Обласна конференція"] == ["1", "1", "1", "1"]
    assert kyiv["Пілот Кремінна"] == ["1", "1", "1", "—"]
    pilots = funnel_table(client, "kind=pilot")
    assert set(pilots) == {"Пілот Кремінна", "Разом"}
    assert pilots["Разом"] == ["6", "5", "2", "0"]
    events = funnel_export(client, f"kind=event&oblast={world.oblasts[LUHANSK].pk}")
    assert events == {
        "Обласна конференція": ["5", "4", "3", "2"],
        "Разом": ["5", "4", "3", "2"],
    }


def test_an_applicant_is_counted_where_their_course_record_is_else_their_profile(
    world,
):
    luhansk, kyiv = world.oblasts[LUHANSK], world.oblasts[KYIV]
    # Completed in Київська, then moved to Луганська: counted in Київська.
    moved = factories.make_user(oblast=kyiv)
    complete_course(moved, world.tree)
    update_profile(user=moved, changes={"oblast": luhansk})
    make_application(world.event, moved, status=S.SELECTED)
    # Never enrolled, lives in Луганська: counted there, by the profile.
    newcomer = factories.make_user(oblast=luhansk)
    make_application(world.event, newcomer)
    # Enrolled in Луганська but not finished: applied, not completed.
    learning = factories.make_user(oblast=luhansk)
    enrol(learner=learning, course=world.tree.course)
    make_application(world.event, learning)
    assert Enrolment.objects.get(learner=moved).oblast == kyiv

    by_luhansk = client_for(reviewer(oblasts=[luhansk]))
    assert funnel_table(by_luhansk)["Обласна конференція"] == ["5", "6", "3", "2"]
    by_kyiv = client_for(reviewer(oblasts=[kyiv]))
    assert funnel_table(by_kyiv)["Обласна конференція"] == ["2", "2", "2", "1"]
    everyone = client_for(reviewer())
    assert funnel_table(everyone)["Обласна конференція"] == ["7", "8", "5", "3"]


def test_a_page_without_a_course_counts_those_who_completed_any_course(world):
    other = factories.build_course(modules=1, lessons_per_module=1)
    for _ in range(2):
        complete_course(factories.make_user(oblast=world.oblasts[LUHANSK]), other)
    open_pilot = make_pilot(title="Відкритий пілот", course=None)
    make_application(open_pilot, world.learners["l1"], status=S.SELECTED)
    table = funnel_table(client_for(reviewer(oblasts=[world.oblasts[LUHANSK]])))
    assert table["Відкритий пілот"] == ["7", "1", "1", "—"]
    assert table["Обласна конференція"] == ["5", "4", "3", "2"]
    # Those of the two courses, each once.
    assert table["Разом"][0] == "7"


def test_regional_reviewers_see_the_applications_counted_in_their_oblasts(world):
    luhansk, kyiv = world.oblasts[LUHANSK], world.oblasts[KYIV]
    learner = world.learners["l1"]  # completed the course in Луганська
    update_profile(user=learner, changes={"oblast": kyiv})
    other = factories.build_course(modules=1, lessons_per_module=1)
    complete_course(learner, other)  # recorded in Київська
    kyiv_pilot = make_pilot(title="Київський пілот", course=other.course)
    make_application(kyiv_pilot, learner, status=S.SELECTED)

    def section(user) -> str:
        url = transcript_url("review_transcript", learner)
        page = BeautifulSoup(client_for(user).get(url).content, "html.parser")
        heading = page.find("h2", string="Пілоти та заходи")
        return heading.find_parent("section").get_text(" ", strip=True)

    by_luhansk = section(reviewer(oblasts=[luhansk]))
    assert "Пілот Кремінна" in by_luhansk and "Київський пілот" not in by_luhansk
    by_kyiv = section(reviewer(oblasts=[kyiv]))
    assert "Київський пілот" in by_kyiv and "Пілот Кремінна" not in by_kyiv
    everything = section(reviewer())
    assert "Київський пілот" in everything and "Пілот Кремінна" in everything
    _header, rows = report_by_surname(client_for(reviewer(oblasts=[luhansk])))
    assert rows["l1"][PILOTS_COLUMN] == "Пілот Кремінна"


ALLOWED = {"reviewer", "regional reviewer", "administrator"}


@pytest.mark.parametrize(
    "role",
    ["anonymous", "learner", "editor", "moderator", "organiser", "reviewer",
     "regional reviewer", "administrator"],
)  # fmt: skip
def test_only_reviewers_and_administrators_open_the_report(world, role):
    client = client_for(people_of_every_role()[role])
    for url in (FUNNEL, FUNNEL + "results/", FUNNEL + "?export=csv"):
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, (role, url)
        elif role == "anonymous":
            assert response.status_code == 302, (role, url)
            assert "login" in response["Location"]
        else:
            assert response.status_code in (302, 403), (role, url)


def test_the_report_is_in_the_reviewers_menu_only(world):
    from django.test import RequestFactory  # noqa: PLC0415

    from certificates.reviewing.menu import review_menu  # noqa: PLC0415

    people = people_of_every_role()
    for role, shown in (("reviewer", True), ("organiser", False), ("learner", False)):
        request = RequestFactory().get("/admin/")
        request.user = people[role]
        names = {item.name for item in review_menu.menu_items_for_request(request)}
        assert ("participation-funnel" in names) is shown, role
    html = client_for(people["reviewer"]).get("/admin/").content.decode()
    assert FUNNEL in html


def test_the_report_speaks_ukrainian(world):
    from tests.lms.test_admin_language import (  # noqa: PLC0415
        english_msgids,
        visible_texts,
    )

    client = client_for(reviewer())
    english = english_msgids()
    for url in (FUNNEL, f"{FUNNEL}?kind=event&oblast={world.oblasts[KYIV].pk}"):
        html = client.get(url).content.decode()
        assert visible_texts(html) & english == set(), url
        assert "Пілоти і заходи: від навчання до участі" in html


# Hostile text ---------------------------------------------------------------------


def test_a_hostile_pilot_title_is_escaped_and_neutralised_everywhere():
    world = participation_world(pilot_title=f"{SCRIPT} {FORMULA}")
    client = client_for(reviewer())
    learner = world.learners["l1"]
    for url in (
        REPORT,
        FUNNEL,
        transcript_url("review_transcript", learner),
        transcript_url("review_transcript_print", learner),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url
    cells = [
        cell
        for response in (
            client.get(REPORT + "?export=csv"),
            client.get(FUNNEL + "?export=csv"),
        )
        for row in csv_rows(response)
        for cell in row
    ]
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")] == []
    hostile = [cell for cell in cells if "HYPERLINK" in cell]
    assert hostile and all(cell.startswith(SCRIPT) for cell in hostile)
    text = pdf_text(
        client.get(transcript_url("review_transcript_pdf", learner)).content
    )
    assert "<script>" in text  # printed as text, not lost or run


def test_a_formula_title_is_written_as_text_in_the_exports():
    participation_world(pilot_title=FORMULA)
    client = client_for(reviewer())
    _header, rows = report_by_surname(client)
    assert rows["l1"][PILOTS_COLUMN] == "'" + FORMULA
    assert "'" + FORMULA in funnel_export(client)


# Fixed costs ---------------------------------------------------------------------


def add_participants(world, count: int) -> None:
    """More learners, pages and applications of every kind."""
    pilot = make_pilot(course=world.tree.course)
    event = make_event(course=world.tree.course)
    for number in range(count):
        learner = factories.make_user(oblast=world.oblasts[LUHANSK])
        complete_course(learner, world.tree)
        status = S.SELECTED if number % 2 else S.SUBMITTED
        make_application(pilot, learner, status=status)
        make_application(
            event,
            learner,
            status=status,
            attended=True if status == S.SELECTED else None,
        )
    make_pilot(course=None)


def test_the_completion_report_costs_the_same_with_more_participants(
    world, django_assert_max_num_queries
):
    client = client_for(reviewer())
    client.get(REPORT + "?pilot_participant=yes")  # warm caches
    with django_assert_max_num_queries(24) as small:
        client.get(REPORT + "?pilot_participant=yes")
    # Read now: the connection keeps only the last 9,000 queries.
    baseline = len(small.captured_queries)
    add_participants(world, 12)
    client.get(REPORT)  # new pages change the cached outlines' version
    with django_assert_max_num_queries(baseline):
        response = client.get(REPORT + "?pilot_participant=yes")
    assert response.content.decode().count("Пілот Кремінна") >= 2


def test_the_funnel_report_costs_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    client = client_for(reviewer(oblasts=[world.oblasts[LUHANSK]]))
    make_pilot(title="Пілот без курсу", course=None)  # the costliest mix of pages
    client.get(FUNNEL)  # warm caches
    with django_assert_max_num_queries(18) as small:
        client.get(FUNNEL)
    # Read now: the connection keeps only the last 9,000 queries.
    baseline = len(small.captured_queries)
    add_participants(world, 12)
    client.get(FUNNEL)
    with django_assert_max_num_queries(baseline):
        assert len(funnel_table(client)) == 7
    with django_assert_max_num_queries(baseline):
        assert len(funnel_export(client)) == 7


def test_a_transcript_costs_the_same_with_more_applications(
    world, django_assert_max_num_queries
):
    client = client_for(reviewer())
    few = factories.make_user(oblast=world.oblasts[LUHANSK])
    complete_course(few, world.tree)
    many = world.learners["l1"]
    for _ in range(6):
        make_application(make_event(course=world.tree.course), many, status=S.DECLINED)
    client.get(transcript_url("review_transcript", few))
    with django_assert_max_num_queries(40) as baseline:
        client.get(transcript_url("review_transcript", few))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(transcript_url("review_transcript", many))
    assert response.content.decode().count("відхилено") >= 6
