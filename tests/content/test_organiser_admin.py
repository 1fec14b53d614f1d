"""The organisers' screens for applications to pilots and events (Wagtail admin).

Who may reach each screen, what an organiser assigned to some pages sees, the
course record shown beside each applicant, filters, search, the export, the
escaping of what applicants type, the decisions and attendance as bulk
actions (places, waiting list, promotion, e-mails), the audit log in words,
and the fixed number of queries of each page.
"""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from content.participation import services
from content.participation.models import (
    Application,
    ApplicationLogEntry,
    Eligibility,
    EventPage,
    OrganiserAssignment,
    Sector,
)
from courses.models import Enrolment
from lms.roles import ORGANISERS, REVIEWERS
from tests import factories
from tests.certificates.fixtures import *  # noqa: F403 - private_media
from tests.certificates.reviewing_data import (
    people_of_every_role,
    review_world,
    role_user,
)
from tests.content.participation_data import make_application, make_event, make_pilot

pytestmark = pytest.mark.django_db
Status = Application.Status

LIST = "/admin/participation/applications/"
OVERVIEW = "/admin/participation/overview/"
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","x")'


# Helpers ------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def organiser(*pages, **fields):
    """A member of «Організатори», assigned to ``pages`` if any are given."""
    user = role_user(ORGANISERS, **fields)
    for page in pages:
        OrganiserAssignment.objects.create(organiser=user, page=page)
    return user


def inspect_url(application) -> str:
    return reverse("participation_applications:inspect", args=[application.pk])


def history_url(application) -> str:
    return reverse("participation_applications:history", args=[application.pk])


def bulk_url(action: str, *applications, next_url: str = "") -> str:
    url = reverse("wagtail_bulk_action", args=["content", "application", action])
    query = "&".join(f"id={application.pk}" for application in applications)
    if next_url:
        query += f"&next={next_url}"
    return f"{url}?{query}"


def text(html: str) -> str:
    """What a person reads: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def listing_rows(response) -> list[str]:
    """The text of each row of the listing (the rows with a title cell)."""
    html = response.content.decode()
    results = html[html.index('id="listing-results"') :]
    rows = re.findall(r"<tr.*?</tr>", results, flags=re.S)
    return [text(row) for row in rows if 'class="title' in row]


def row_with(response, marker: str) -> str:
    (row,) = [row for row in listing_rows(response) if marker in row]
    return row


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def messages_of(response) -> list[str]:
    return [text(str(message)) for message in get_messages(response.wsgi_request)]


def emails_in(response) -> set[str]:
    return set(re.findall(r"[\w.+-]+@example\.org", response.content.decode()))


def person(last_name: str, **fields):
    return factories.make_user(last_name=last_name, first_name="Олена", **fields)


# Who may reach each screen -------------------------------------------------------


def every_url(application) -> dict[str, str]:
    return {
        "list": LIST,
        "list results": LIST + "results/",
        "list csv": LIST + "?export=csv",
        "list xlsx": LIST + "?export=xlsx",
        "inspect": inspect_url(application),
        "history": history_url(application),
        "history results": reverse(
            "participation_applications:history_results", args=[application.pk]
        ),
        "overview": OVERVIEW,
        "overview results": OVERVIEW + "results/",
        "select": bulk_url("select", application),
        "waitlist": bulk_url("waitlist", application),
        "decline": bulk_url("decline", application),
        "mark attended": bulk_url("mark-attended", application),
        "mark absent": bulk_url("mark-absent", application),
    }


ALLOWED = {"organiser", "administrator"}


@pytest.mark.parametrize(
    "role",
    ["anonymous", "learner", "editor", "moderator", "reviewer",
     "regional reviewer", "organiser", "administrator"],
)  # fmt: skip
def test_every_url_answers_each_role_as_it_should(role):
    application = make_application(make_event())
    client = client_for(people_of_every_role()[role])

    for name, url in every_url(application).items():
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, (role, name)
        elif role == "anonymous":
            assert response.status_code == 302, (role, name)
            assert "/login/" in response["Location"], (role, name)
        else:
            # Wagtail refuses with a redirect to the dashboard (or to the login
            # page for those without admin access) or 403; never the page.
            assert response.status_code in (302, 403), (role, name)
            assert application.applicant.email not in response.content.decode()


def test_the_menu_group_is_shown_to_organisers_and_not_to_reviewers():
    people = people_of_every_role()

    def menu(role):
        return client_for(people[role]).get("/admin/").content.decode()

    # The sidebar is JSON with escaped Cyrillic; the menu names are ASCII.
    for role in ("organiser", "administrator"):
        assert '"name": "applications-to-take-part"' in menu(role), role
        assert f'"url": "{LIST}"' in menu(role), role
        assert f'"url": "{OVERVIEW}"' in menu(role), role
    for role in ("reviewer", "editor", "moderator"):
        assert "applications-to-take-part" not in menu(role), role
        assert LIST not in menu(role), role


def test_no_one_adds_edits_deletes_or_chooses_applications(superuser, superuser_client):
    application = make_application(make_event())

    for name in ("add", "edit", "delete", "copy", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"participation_applications:{name}", args=[application.pk])
    # Wagtail offers its snippet delete and chooser for every snippet: both
    # are refused here, to administrators too.
    for url in (
        bulk_url("delete", application),
        "/admin/snippets/choose/content/application/",
        f"/admin/snippets/choose/content/application/chosen/{application.pk}/",
    ):
        response = superuser_client.get(url)
        assert response.status_code in (302, 403), url
        assert application.applicant.email not in response.content.decode()
    response = superuser_client.post(bulk_url("delete", application))
    assert response.status_code in (302, 403)
    assert Application.objects.filter(pk=application.pk).exists()
    # The listing offers the decisions in its bulk bar, never «delete».
    html = superuser_client.get(LIST).content.decode()
    assert "/admin/bulk/content/application/select/" in html
    assert "/admin/bulk/content/application/delete/" not in html


def test_an_organiser_without_the_decide_permission_reads_but_cannot_decide():
    application = make_application(make_event())
    reader = organiser()
    reader.groups.clear()
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_application"])
    )
    client = client_for(reader)

    assert client.get(LIST).status_code == 200
    assert "data-bulk-action-footer" not in client.get(LIST).content.decode()
    inspect = client.get(inspect_url(application)).content.decode()
    assert "/admin/bulk/" not in inspect
    response = client.post(bulk_url("select", application))
    assert response.status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# Scope: an organiser assigned to some pages -----------------------------------


@pytest.fixture
def two_events():
    ours, theirs = make_event(title="Наша конференція"), make_event(title="Чужа")
    mine = [
        make_application(ours, person(f"Наш-{n}"), organisation=f"Наша рада {n}")
        for n in range(2)
    ]
    other = make_application(theirs, person("Чужий"), organisation="Чужа рада")
    return ours, theirs, mine, other


def test_an_assigned_organiser_sees_only_the_applications_of_the_assigned_pages(
    two_events,
):
    ours, theirs, mine, other = two_events
    client = client_for(organiser(ours))

    listing = client.get(LIST)
    assert emails_in(listing) >= {a.applicant.email for a in mine}
    assert other.applicant.email not in listing.content.decode()
    # The page filter offers only the assigned page.
    assert "Наша конференція" in listing.content.decode()
    assert "Чужа" not in listing.content.decode()
    # Asking for the other page by id gives the filter's error, not its rows.
    assert (
        other.applicant.email
        not in client.get(f"{LIST}?page={theirs.pk}").content.decode()
    )
    assert client.get(inspect_url(mine[0])).status_code == 200
    assert client.get(inspect_url(other)).status_code == 404
    assert client.get(history_url(other)).status_code == 404
    exported = [row[1] for row in csv_rows(client.get(LIST + "?export=csv"))[1:]]
    assert sorted(exported) == sorted(a.applicant.email for a in mine)
    overview = client.get(OVERVIEW).content.decode()
    assert "Наша конференція" in overview
    assert "Чужа" not in overview


def test_an_assigned_organiser_cannot_act_on_other_pages_through_the_bulk_url(
    two_events, django_capture_on_commit_callbacks
):
    ours, theirs, mine, other = two_events
    client = client_for(organiser(ours))

    # Only the other page's application: as if it did not exist.
    assert client.get(bulk_url("select", other)).status_code == 404
    assert client.post(bulk_url("decline", other)).status_code == 404
    # Mixed with one's own: only one's own is decided.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("select", mine[0], other))
    assert response.status_code == 302
    assert Application.objects.get(pk=mine[0].pk).status == Status.SELECTED
    assert Application.objects.get(pk=other.pk).status == Status.SUBMITTED
    assert [message.to for message in mail.outbox] == [[mine[0].applicant.email]]
    # «Select all in listing» acts on the organiser's listing only.
    client.post(bulk_url("waitlist").replace("?", "?id=all"))
    assert Application.objects.get(pk=other.pk).status == Status.SUBMITTED
    assert Application.objects.get(pk=mine[1].pk).status == Status.WAITLISTED


def test_an_organiser_without_assignments_manages_every_page(two_events):
    ours, theirs, mine, other = two_events
    client = client_for(organiser())

    emails = emails_in(client.get(LIST))
    assert emails >= {other.applicant.email, *(a.applicant.email for a in mine)}
    assert client.get(inspect_url(other)).status_code == 200


# The course record beside each applicant ----------------------------------------


@pytest.fixture
def world_event():
    """review_world's learners applying to an event preferring completion."""
    world = review_world()
    event = make_event(
        title="Конференція випускників",
        eligibility=Eligibility.COMPLETION_PREFERRED,
        course=world.tree.course,
        places=10,
    )
    applications = {
        key: make_application(
            event,
            learner,
            course_status=Application.CourseStatus.COMPLETED
            if key.startswith("done")
            else Application.CourseStatus.LEARNING,
            certificate=world.certificates.get(key),
            sector=Sector.BUSINESS if key == "idle" else Sector.HROMADA,
        )
        for key, learner in world.learners.items()
    }
    applications["outsider"] = make_application(
        event, person("Сторонній"), course_status=Application.CourseStatus.NONE
    )
    return world, event, applications


def test_the_listing_shows_the_course_record_now(world_event, superuser_client):
    world, event, applications = world_event
    response = superuser_client.get(f"{LIST}?page={event.pk}")

    def row(key):
        return row_with(response, applications[key].applicant.email)

    done_a = row("done_a")
    assert "завершив" in done_a
    assert "90 %" in done_a
    assert world.certificates["done_a"].number in done_a
    assert "Завершив курс" in done_a
    # The certificate attached when applying was revoked since: shown as such.
    done_b = row("done_b")
    assert "70 %" in done_b
    assert f"{world.certificates['done_b'].number} анульований" in done_b
    done_c = row("done_c")
    assert "завершив" in done_c and "100 %" in done_c
    assert "РВ-" not in done_c
    going = row("going")
    assert "навчається" in going and "Не завершив" in going
    assert "%" not in going  # no attempt at the final test: no score
    # A failed attempt at a module's quiz is not the final test's score.
    assert "%" not in row("failing")
    assert "записаний" in row("idle") and "не записаний" not in row("idle")
    assert "не записаний" in row("outsider")
    # The seats panel of the filtered event.
    html = response.content.decode()
    assert 'data-seats="places">10<' in html
    assert 'data-seats="left">10<' in html


def test_filters_by_course_status_and_certificate_use_the_record_now(
    world_event, superuser_client
):
    world, event, applications = world_event

    def emails(query):
        return emails_in(superuser_client.get(f"{LIST}?page={event.pk}&{query}"))

    def of(*keys):
        return {applications[key].applicant.email for key in keys}

    assert emails("course_now=completed") == of("done_a", "done_b", "done_c")
    assert emails("course_now=learning") == of("going", "failing")
    assert emails("course_now=enrolled") == of("idle")
    assert emails("course_now=none") == of("outsider")
    assert emails("has_certificate=yes") == of("done_a")
    assert emails("has_certificate=no") == of(
        "done_b", "done_c", "going", "failing", "idle", "outsider"
    )
    assert emails("sector=business") == of("idle")
    # Sorting by the record now puts those furthest along last, ascending.
    rows = listing_rows(
        superuser_client.get(f"{LIST}?page={event.pk}&ordering=course_rank")
    )
    assert applications["outsider"].applicant.email in rows[0]
    assert "завершив" in rows[-1]


def test_the_export_carries_the_record_now_and_the_application(
    world_event, superuser_client
):
    world, event, applications = world_event
    services.decide(
        applications=[applications["done_a"]],
        status=Status.SELECTED,
        note="Чекаємо вас",
        by=factories.make_superuser(),
    )

    rows = csv_rows(superuser_client.get(f"{LIST}?page={event.pk}&export=csv"))

    assert rows[0] == [
        "Заявник", "Електронна пошта", "Пілот або захід", "Сектор", "Організація",
        "Посада", "Мотивація", "Досвід", "Статус", "Примітка для заявника",
        "Статус змінено", "Стан навчання на час подання", "Стан навчання зараз",
        "Найкращий результат підсумкового тесту, %", "Номер сертифіката",
        "Завершення курсу", "Подано", "Присутність",
    ]  # fmt: skip
    by_email = {row[1]: row for row in rows[1:]}
    assert len(by_email) == len(applications)
    done_a = by_email[applications["done_a"].applicant.email]
    assert done_a[0] == world.learners["done_a"].get_full_name()
    assert done_a[2] == "Конференція випускників"
    assert done_a[6] == "Хочу впровадити взаємодію в громаді."
    assert done_a[7] == "Три роки в місцевому самоврядуванні."
    assert done_a[8:10] == ["відібрано", "Чекаємо вас"]
    assert done_a[11:17] == [
        "завершив", "завершив", "90", world.certificates["done_a"].number,
        "Завершив курс",
        timezone.localtime(applications["done_a"].submitted_at).strftime(
            "%d.%m.%Y %H:%M"
        ),
    ]  # fmt: skip
    outsider = by_email[applications["outsider"].applicant.email]
    assert outsider[11:16] == ["не записаний", "не записаний", "", "", "Не завершив"]


# Filters, search and export -----------------------------------------------------


@pytest.fixture
def mixed():
    """An event that has begun and a pilot, with applications in every state."""
    now = timezone.now()
    event = make_event(
        title="Форум громад",
        places=5,
        starts_at=now - timedelta(hours=1),
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now - timedelta(days=2),
    )
    pilot = make_pilot(title="Пілот у Кремінній")
    people = {
        "selected": make_application(
            event, person("Вибрана"), status=Status.SELECTED, attended=True,
            submitted_at=now - timedelta(days=5),
        ),
        "absent": make_application(
            event, person("Відсутня"), status=Status.SELECTED, attended=False,
            submitted_at=now - timedelta(days=4),
        ),
        "waiting": make_application(
            event, person("Резервна"), status=Status.WAITLISTED,
            organisation="ГО «Світанок»", sector=Sector.CIVIL_SOCIETY,
            submitted_at=now - timedelta(days=3),
        ),
        "pilot": make_application(
            pilot, person("Пілотна", email="pilot.person@example.org"),
            submitted_at=now - timedelta(days=1),
        ),
    }  # fmt: skip
    return event, pilot, people


def test_filters_narrow_the_listing(mixed, superuser_client):
    event, pilot, people = mixed

    def emails(query):
        return emails_in(superuser_client.get(f"{LIST}?{query}"))

    def of(*keys):
        return {people[key].applicant.email for key in keys}

    assert emails(f"page={pilot.pk}") == of("pilot")
    assert emails(f"page={event.pk}") == of("selected", "absent", "waiting")
    assert emails("status=waitlisted") == of("waiting")
    assert emails("status=selected") == of("selected", "absent")
    assert emails("sector=civil_society") == of("waiting")
    assert emails("attended=yes") == of("selected")
    assert emails("attended=no") == of("absent")
    assert emails("attended=unmarked") == of("waiting", "pilot")
    day = timezone.localdate() - timedelta(days=4)
    assert emails(f"submitted_from={day:%Y-%m-%d}&submitted_to={day:%Y-%m-%d}") == of(
        "absent"
    )
    # The seats panel appears only for one pilot or event.
    assert "data-seats" not in superuser_client.get(LIST).content.decode()
    html = superuser_client.get(f"{LIST}?page={event.pk}").content.decode()
    for name, value in [("places", 5), ("taken", 2), ("left", 3), ("waitlisted", 1),
                        ("withdrawn", 0)]:  # fmt: skip
        assert f'data-seats="{name}">{value}<' in html


def test_search_finds_by_name_email_and_organisation(mixed, superuser_client):
    event, pilot, people = mixed

    def emails(query):
        return emails_in(superuser_client.get(LIST, {"q": query}))

    assert emails("Резервна") == {people["waiting"].applicant.email}
    assert emails("Резервна Олена") == {people["waiting"].applicant.email}
    assert emails("Резервна Петро") == set()  # every word must match
    assert emails("PILOT.person") == {people["pilot"].applicant.email}
    assert emails("Світанок") == {people["waiting"].applicant.email}
    assert emails("Нікого-такого") == set()


def test_csv_and_xlsx_exports_contain_exactly_the_filtered_rows(
    mixed, superuser_client
):
    event, pilot, people = mixed
    query = f"page={event.pk}&status=selected"

    csv_export = csv_rows(superuser_client.get(f"{LIST}?{query}&export=csv"))
    xlsx_export = xlsx_rows(superuser_client.get(f"{LIST}?{query}&export=xlsx"))

    expected = {people["selected"].applicant.email, people["absent"].applicant.email}
    for rows in (csv_export, xlsx_export):
        assert rows[0][:3] == ["Заявник", "Електронна пошта", "Пілот або захід"]
        assert rows[0][-1] == "Присутність"
        assert {row[1] for row in rows[1:]} == expected
        assert len(rows) == 3
    attended = {row[1]: row[-1] for row in csv_export[1:]}
    assert attended == {
        people["selected"].applicant.email: "Так",
        people["absent"].applicant.email: "Ні",
    }
    # A search is part of the filter too.
    searched = csv_rows(superuser_client.get(f"{LIST}?q=Резервна&export=csv"))
    assert [row[1] for row in searched[1:]] == [people["waiting"].applicant.email]


# What applicants type is shown as text --------------------------------------------


def test_hostile_text_is_escaped_in_every_screen_and_neutralised_in_exports(
    superuser, superuser_client
):
    event = make_event(title=f"Форум {SCRIPT}")
    application = make_application(
        event,
        person("Обережна"),
        motivation=f"{SCRIPT}\nДругий рядок {IMAGE}",
        experience=f"{IMAGE}\n{SCRIPT}",
        organisation=f"{FORMULA} {SCRIPT}",
        position=IMAGE,
    )
    services.decide(
        applications=[application],
        status=Status.WAITLISTED,
        note=f"Примітка {SCRIPT}",
        by=superuser,
    )

    pages = {
        "listing": superuser_client.get(f"{LIST}?page={event.pk}"),
        "inspect": superuser_client.get(inspect_url(application)),
        "history": superuser_client.get(history_url(application)),
        "overview": superuser_client.get(OVERVIEW),
        "confirmation": superuser_client.get(bulk_url("decline", application)),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert SCRIPT not in html, name
        assert "<img src=x" not in html, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
    inspect = pages["inspect"].content.decode()
    # Line breaks are kept, on escaped text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Другий рядок" in inspect
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;<br>" in inspect
    assert "Рішення: внесено до резерву. Примітка: Примітка" in text(
        pages["history"].content.decode()
    )

    csv_export = csv_rows(superuser_client.get(f"{LIST}?page={event.pk}&export=csv"))
    xlsx_export = xlsx_rows(superuser_client.get(f"{LIST}?page={event.pk}&export=xlsx"))
    for rows in (csv_export, xlsx_export):
        row = rows[1]
        assert row[4] == f"'{FORMULA} {SCRIPT}"  # a formula no more, text kept
        assert row[5] == IMAGE
        assert row[6] == f"{SCRIPT}\nДругий рядок {IMAGE}"
        assert row[7] == f"{IMAGE}\n{SCRIPT}"
        assert row[9] == f"Примітка {SCRIPT}"


# Decisions -------------------------------------------------------------------------


def _queue(page, surnames, *, status=Status.SUBMITTED, start=None):
    start = start or timezone.now() - timedelta(days=1)
    return [
        make_application(
            page,
            person(surname),
            status=status,
            submitted_at=start + timedelta(minutes=index),
        )
        for index, surname in enumerate(surnames)
    ]


def test_selecting_more_than_the_places_selects_in_order_and_names_the_rest(
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Семінар у Сєвєродонецьку", places=3)
    applications = _queue(event, ["Перша", "Друга", "Третя", "Четверта", "Пʼята"])
    client = client_for(organiser(event))

    confirmation = client.get(bulk_url("select", *applications))
    assert confirmation.status_code == 200
    assert "Відібрати цих заявників для участі?" in text(confirmation.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bulk_url("select", *reversed(applications), next_url=LIST), {"note": ""}
        )

    assert response.status_code == 302
    assert response["Location"] == LIST
    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [Status.SELECTED] * 3 + [Status.SUBMITTED] * 2
    assert messages_of(response) == [
        "Відібрано: 3.",
        "Не відібрано через брак місць (2): Четверта Олена Іванівна, "
        "Пʼята Олена Іванівна.",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        a.applicant.email for a in applications[:3]
    )
    assert {m.subject for m in mail.outbox} == {
        "Вас відібрано: «Семінар у Сєвєродонецьку»"
    }


def test_wait_listing_sends_the_note_and_reports_those_already_listed(
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Нарада")
    fresh, listed = _queue(event, ["Нова", "Вже-в-резерві"])
    listed.status, listed.waitlisted_at = Status.WAITLISTED, timezone.now()
    listed.save()
    client = client_for(organiser())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bulk_url("waitlist", fresh, listed), {"note": "Місця можуть звільнитися."}
        )

    assert Application.objects.get(pk=fresh.pk).status == Status.WAITLISTED
    assert messages_of(response) == [
        "Внесено до резерву: 1.",
        "Уже мали цей статус (1): Вже-в-резерві Олена Іванівна.",
    ]
    (message,) = mail.outbox
    assert message.to == [fresh.applicant.email]
    assert message.subject == "Вас внесено до резерву: «Нарада»"
    assert "Місця можуть звільнитися." in message.body


def test_declining_with_promotion_gives_the_place_to_the_first_on_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Конференція", places=2)
    leaving, staying = _queue(event, ["Йде", "Лишається"], status=Status.SELECTED)
    # The waiting list goes by the time of wait-listing, not of applying: the
    # earliest applicant was wait-listed last.
    now = timezone.now()
    early_applicant, first_listed, second_listed = _queue(
        event, ["Рання", "Перша-в-резерві", "Друга-в-резерві"],
        status=Status.WAITLISTED,
    )  # fmt: skip
    for application, minutes_ago in (
        (early_applicant, 10), (first_listed, 50), (second_listed, 40),
    ):  # fmt: skip
        application.waitlisted_at = now - timedelta(minutes=minutes_ago)
        application.save()
    client = client_for(organiser(event))

    form = client.get(bulk_url("decline", leaving)).content.decode()
    assert "Запропонувати звільнені місця першим із резерву" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bulk_url("decline", leaving),
            {"note": "Не відповідає умовам.", "promote": "on"},
        )

    def status(application):
        return Application.objects.get(pk=application.pk).status

    assert status(leaving) == Status.DECLINED
    assert status(staying) == Status.SELECTED
    assert status(first_listed) == Status.SELECTED
    assert status(early_applicant) == status(second_listed) == Status.WAITLISTED
    assert messages_of(response) == [
        "Відхилено: 1.",
        "На звільнені місця відібрано з резерву (1): Перша-в-резерві Олена Іванівна.",
    ]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        leaving.applicant.email: "Рішення щодо вашої заявки: «Конференція»",
        first_listed.applicant.email: "Для вас звільнилося місце: «Конференція»",
    }
    declined = next(m for m in mail.outbox if m.to == [leaving.applicant.email])
    assert "Не відповідає умовам." in declined.body


def test_declining_without_promotion_leaves_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = make_event(places=1)
    (leaving,) = _queue(event, ["Йде"], status=Status.SELECTED)
    (waiting,) = _queue(event, ["Чекає"], status=Status.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser()).post(bulk_url("decline", leaving), {})

    assert messages_of(response) == ["Відхилено: 1."]
    assert Application.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    assert [m.to for m in mail.outbox] == [[leaving.applicant.email]]


def test_withdrawn_applications_and_marked_attendance_are_not_changed():
    now = timezone.now()
    event = make_event(starts_at=now - timedelta(hours=2))
    (withdrawn,) = _queue(event, ["Відкликала"], status=Status.WITHDRAWN)
    came = make_application(
        event, person("Прийшла"), status=Status.SELECTED, attended=True
    )

    response = client_for(organiser()).post(
        bulk_url("decline", withdrawn, came), {"note": ""}
    )

    assert messages_of(response) == [
        "Нічого не змінено.",
        "Не змінено, бо заявку відкликано або присутність уже відзначено (2): "
        "Відкликала Олена Іванівна, Прийшла Олена Іванівна.",
    ]
    assert Application.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN
    assert Application.objects.get(pk=came.pk).status == Status.SELECTED


def test_a_note_longer_than_allowed_is_refused_and_kept(
    django_capture_on_commit_callbacks,
):
    application = make_application(make_event())
    note = "Дуже довга примітка. " * 100  # 2100 characters

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser()).post(
            bulk_url("select", application), {"note": note}
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "не більше ніж 2000 символів" in text(html)
    assert note.strip() in text(html)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert mail.outbox == []


# Attendance -------------------------------------------------------------------------


def test_attendance_is_marked_only_for_selected_participants_of_started_events():
    now = timezone.now()
    started = make_event(starts_at=now - timedelta(hours=1))
    later = make_event(starts_at=now + timedelta(days=3))
    pilot = make_pilot()
    (participant,) = _queue(started, ["Учасниця"], status=Status.SELECTED)
    (applicant,) = _queue(started, ["Заявниця"])
    (too_early,) = _queue(later, ["Зарано"], status=Status.SELECTED)
    (pilot_member,) = _queue(pilot, ["Пілотна"], status=Status.SELECTED)
    client = client_for(organiser())

    response = client.post(
        bulk_url("mark-attended", participant, applicant, too_early, pilot_member)
    )

    assert messages_of(response)[0] == "Відзначено присутніми: 1."
    skipped = messages_of(response)[1]
    assert skipped.startswith(
        "Пропущено: присутність відзначають лише відібраним учасникам заходу, "
        "який уже почався (3): "
    )
    for surname in ("Заявниця", "Зарано", "Пілотна"):
        assert surname in skipped
    marked = {a.pk: a.attended for a in Application.objects.all()}
    assert marked == {
        participant.pk: True, applicant.pk: None, too_early.pk: None,
        pilot_member.pk: None,
    }  # fmt: skip

    client.get(LIST)  # the messages above are read
    response = client.post(bulk_url("mark-absent", participant))
    assert messages_of(response) == ["Відзначено відсутніми: 1."]
    assert Application.objects.get(pk=participant.pk).attended is False


# The inspect view --------------------------------------------------------------------


def test_the_inspect_view_shows_the_whole_application_and_offers_the_decisions(
    world_event, superuser_client, django_capture_on_commit_callbacks
):
    world, event, applications = world_event
    application = applications["done_a"]
    url = inspect_url(application)

    html = superuser_client.get(url).content.decode()
    page = text(html)
    for expected in (
        world.learners["done_a"].get_full_name(),
        application.applicant.email,
        "територіальна громада або орган місцевого самоврядування",
        "Кремінська міська рада",
        "Секретар ради",
        "Хочу впровадити взаємодію в громаді.",
        "Три роки в місцевому самоврядуванні.",
        "на розгляді",
        "Найкращий результат підсумкового тесту 90 %",
        "Завершення курсу (бажане) Завершив курс",
        "Історія статусів",
    ):
        assert expected in page, expected
    certificate = world.certificates["done_a"]
    register = reverse("certificate_register:inspect", args=[certificate.pk])
    assert f'<a href="{register}">{certificate.number}</a>' in html
    assert f'href="{history_url(application)}"' in html
    select = bulk_url("select", application).replace("&", "&amp;")
    assert f"{select}&amp;next={url.replace('/', '%2F')}" in html
    # Events that have not begun offer no attendance.
    assert "mark-attended" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            bulk_url("select", application, next_url=url), {"note": ""}
        )
    assert response["Location"] == url
    assert Application.objects.get(pk=application.pk).status == Status.SELECTED


def test_the_inspect_view_links_the_certificate_only_for_those_who_may_view_it(
    world_event,
):
    world, event, applications = world_event
    certificate = world.certificates["done_a"]

    html = client_for(organiser()).get(inspect_url(applications["done_a"]))
    html = html.content.decode()

    assert certificate.number in html
    assert reverse("certificate_register:inspect", args=[certificate.pk]) not in html


def test_the_inspect_view_offers_attendance_for_participants_of_a_started_event():
    event = make_event(starts_at=timezone.now() - timedelta(hours=1))
    (participant,) = _queue(event, ["Учасниця"], status=Status.SELECTED)

    html = client_for(organiser()).get(inspect_url(participant)).content.decode()

    assert "/admin/bulk/content/application/mark-attended/" in html
    assert "/admin/bulk/content/application/mark-absent/" in html


# The audit log ------------------------------------------------------------------------


def test_the_history_reads_in_ukrainian(django_capture_on_commit_callbacks):
    now = timezone.now()
    event = make_event(places=1, starts_at=now + timedelta(days=1))
    applicant = person("Історична")
    application = services.submit_application(
        user=applicant,
        page=event,
        data={
            "sector": Sector.HROMADA,
            "organisation": "Рада",
            "position": "Секретар",
            "motivation": "Хочу",
            "experience": "",
        },
    )
    (holder,) = _queue(event, ["Тримає"], status=Status.SELECTED)
    manager = organiser(event)
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk_url("waitlist", application), {"note": "Зачекайте"})
        client.post(bulk_url("decline", holder), {"promote": "on"})
    EventPage.objects.filter(pk=event.pk).update(starts_at=now - timedelta(hours=1))
    client.post(bulk_url("mark-attended", application))

    history = text(client.get(history_url(application)).content.decode())

    for entry in (
        "Заявку подано",
        "Рішення: внесено до резерву. Примітка: Зачекайте",
        "Відібрано з резерву на звільнене місце",
        "Відзначено присутність",
    ):
        assert entry in history, entry
    actions = set(
        ApplicationLogEntry.objects.filter(application=application).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        services.ACTION_SUBMITTED, services.ACTION_DECIDED,
        services.ACTION_PROMOTED, services.ACTION_ATTENDANCE,
    }  # fmt: skip
    # Withdrawal by the applicant reads in words too.
    (leaving,) = _queue(event, ["Передумала"])
    services.withdraw_application(application=leaving, user=leaving.applicant)
    assert "Заявник відкликав заявку" in text(
        client.get(history_url(leaving)).content.decode()
    )


# The overview ---------------------------------------------------------------------


def test_the_overview_counts_places_and_participants_per_page(mixed):
    event, pilot, people = mixed
    (withdrawn,) = _queue(event, ["Пішла"], status=Status.WITHDRAWN)
    client = client_for(organiser())

    response = client.get(OVERVIEW)

    rows = listing_rows(response)
    (forum,) = [row for row in rows if row.startswith("Форум громад")]
    # places, taken, left, under consideration, waiting, declined, withdrawn,
    # attended
    assert forum.split()[-8:] == ["5", "2", "3", "0", "1", "0", "1", "1"]
    (pilot_row,) = [row for row in rows if row.startswith("Пілот у Кремінній")]
    assert pilot_row.split()[-8:] == ["30", "0", "30", "1", "0", "0", "0", "0"]
    html = response.content.decode()
    assert f'href="{LIST}?page={event.pk}"' in html


# A fixed number of queries ---------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context.captured_queries)


def _fill(page, number):
    world_course = page.course
    while Application.objects.filter(page=page).count() < number:
        applicant = person("Масова")
        if world_course is not None:
            Enrolment.objects.create(learner=applicant, course=world_course)
        make_application(page, applicant)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page={page}&ordering=course_rank",
        "?q=Масова&ordering=-best_percent",
        "?page={page}&export=csv",
        "?export=xlsx",
    ],
)
def test_the_listing_and_export_cost_the_same_queries_for_5_and_40_rows(
    world_event, django_assert_max_num_queries, query
):
    world, event, applications = world_event
    other = make_event(course=world.tree.course)
    client = client_for(organiser(event, other))
    url = LIST + query.format(page=other.pk)
    client.get(url)  # the session and permission caches warm up

    _fill(other, 5)
    small = _count_queries(client, url)
    assert small <= 20
    _fill(other, 40)
    with django_assert_max_num_queries(small):
        client.get(url)


def test_the_overview_and_inspect_view_cost_the_same_queries_whatever_the_data(
    django_assert_max_num_queries,
):
    events = [make_event() for _ in range(2)]
    application = make_application(events[0])
    manager = organiser()
    services.decide(applications=[application], status=Status.WAITLISTED, by=manager)
    client = client_for(manager)
    client.get(OVERVIEW)

    small_overview = _count_queries(client, OVERVIEW)
    small_inspect = _count_queries(client, inspect_url(application))
    small_history = _count_queries(client, history_url(application))
    for _ in range(10):
        events.append(make_event())
    for page in events:
        _fill(page, 6)
    for by, status in [
        (factories.make_superuser(), Status.SELECTED),
        (manager, Status.DECLINED),
        (organiser(), Status.SELECTED),
    ]:
        services.decide(
            applications=Application.objects.filter(page=events[0]),
            status=status,
            by=by,
        )

    with django_assert_max_num_queries(small_overview):
        client.get(OVERVIEW)
    with django_assert_max_num_queries(small_inspect):
        client.get(inspect_url(application))
    with django_assert_max_num_queries(small_history):
        client.get(history_url(application))


# The site history and assignments ---------------------------------------------------


def test_the_site_history_shows_an_organiser_only_their_pages_decisions():
    mine, theirs = make_event(), make_event()
    (own,) = _queue(mine, ["Своя"])
    (other,) = _queue(theirs, ["Чужинська"])
    decider = factories.make_superuser()
    services.decide(applications=[own], status=Status.SELECTED, note="Моя", by=decider)
    services.decide(
        applications=[other], status=Status.DECLINED, note="Таємниця", by=decider
    )
    limited, everywhere = organiser(mine), organiser()

    def site_history(user) -> str:
        response = client_for(user).get(reverse("wagtailadmin_reports:site_history"))
        assert response.status_code == 200
        return text(response.content.decode())

    assert "Своя" in site_history(limited)
    assert "Чужинська" not in site_history(limited)
    assert "Таємниця" not in site_history(limited)
    assert "Чужинська" in site_history(everywhere)


def test_an_organiser_whose_assigned_page_is_deleted_does_not_gain_every_page():
    kept, removed = make_event(), make_event(title="Скасований захід")
    (application,) = _queue(kept, ["Стороння"])
    limited = organiser(removed)

    removed.delete()

    assert OrganiserAssignment.objects.get(organiser=limited).page is None
    response = client_for(limited).get(inspect_url(application))
    assert response.status_code == 404
    listing = client_for(limited).get(LIST)
    assert "Стороння" not in text(listing.content.decode())


# Assignments ---------------------------------------------------------------------

ASSIGNMENTS = "/admin/participation/assignments/"


def test_an_administrator_limits_an_organiser_to_a_page_in_the_admin():
    mine, theirs = make_event(title="Моя конференція"), make_event()
    (visible,) = _queue(mine, ["Видима"])
    (hidden,) = _queue(theirs, ["Прихована"])
    limited = organiser()
    admin = client_for(factories.make_superuser())

    response = admin.post(
        ASSIGNMENTS + "new/", {"organiser": limited.pk, "page": mine.pk}
    )

    assert response.status_code == 302
    assignment = OrganiserAssignment.objects.get(organiser=limited)
    assert assignment.page_id == mine.pk
    assert ModelLogEntry.objects.filter(
        object_id=str(assignment.pk), action="wagtail.create"
    ).exists()
    listing = text(client_for(limited).get(LIST).content.decode())
    assert "Видима" in listing
    assert "Прихована" not in listing
    assert hidden.pk != visible.pk


def test_the_assignment_form_refuses_a_duplicate_and_a_person_who_is_not_an_organiser():
    event = make_event()
    limited = organiser(event)
    learner = factories.make_user()
    admin = client_for(factories.make_superuser())

    duplicate = admin.post(
        ASSIGNMENTS + "new/", {"organiser": limited.pk, "page": event.pk}
    )
    stranger = admin.post(
        ASSIGNMENTS + "new/", {"organiser": learner.pk, "page": event.pk}
    )

    assert duplicate.status_code == 200
    assert stranger.status_code == 200
    assert "Такого варіанту нема серед доступних" in text(stranger.content.decode())
    assert OrganiserAssignment.objects.count() == 1


@pytest.mark.parametrize("role", ["organiser", "reviewer", "learner"])
def test_only_administrators_manage_assignments(role):
    user = {
        "organiser": organiser,
        "reviewer": lambda: role_user(REVIEWERS),
        "learner": factories.make_user,
    }[role]()
    event = make_event()

    listing = client_for(user).get(ASSIGNMENTS)
    added = client_for(user).post(
        ASSIGNMENTS + "new/", {"organiser": user.pk, "page": event.pk}
    )

    assert listing.status_code in (302, 403)
    assert added.status_code in (302, 403)
    assert not OrganiserAssignment.objects.exists()
