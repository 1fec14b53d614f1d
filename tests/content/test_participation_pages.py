"""What visitors and learners see of pilots and events.

The lists, the pages with their apply block, the section «Пілоти та заходи»
on «Моє навчання», and the invitation after a completed course.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.participation.learner import completion_invitation
from content.participation.models import Application, Eligibility, Sector
from content.participation.selectors import page_context
from courses.dashboard import after_completion
from courses.progress import enrol
from lms.models import Hromada
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.content.participation_data import (
    event_index,
    make_application,
    make_event,
    make_pilot,
    pilot_index,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# Upper bounds for the pages, whatever the number of pages or applications.
INDEX_QUERIES = 10
PAGE_QUERIES = 17
DASHBOARD_EXTRA_QUERIES = 3


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get_soup(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def hromada(places, name) -> Hromada:
    return Hromada.objects.create(
        code=f"UA44{factories.next_number():015d}", name=name, oblast=places.oblast
    )


# The lists --------------------------------------------------------------------


def test_the_pilot_list_shows_live_pilots_with_their_facts(places):
    now = timezone.now()
    open_pilot = make_pilot(
        oblasts=[places.oblast],
        title="Кремінська громада: взаємодія",
        summary="Спільні проєкти громади з бізнесом.",
        places=10,
        applications_close_at=now + timedelta(days=30),
    )
    make_application(open_pilot, status=Status.SELECTED)
    make_application(open_pilot, status=Status.SUBMITTED)
    soon = make_pilot(applications_open_at=now + timedelta(days=5))
    closed = make_pilot(
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now - timedelta(days=1),
        eligibility=Eligibility.CERTIFICATE_REQUIRED,
        course=factories.build_course(modules=1, lessons_per_module=1).course,
    )
    draft = make_pilot(title="Чернетка пілота")
    draft.unpublish()

    page = get_soup(Client(), pilot_index().url)

    assert len(page.find_all("h1")) == 1
    cards = {text_of(card.h2): card for card in page.select("main li.card")}
    assert set(cards) == {open_pilot.title, soon.title, closed.title}
    card = cards[open_pilot.title]
    assert card.h2.a["href"] == open_pilot.url
    facts = text_of(card)
    assert "Спільні проєкти громади з бізнесом." in facts
    assert "15 січня 2026 – 30 червня 2027" in facts
    assert "Луганська область" in facts
    assert "Вільних місць: 9 із 10" in facts
    close_day = timezone.localtime(open_pilot.applications_close_at)
    assert f"Прийом заявок до {close_day.day} " in facts
    assert "Відкрито для всіх" in facts
    assert "Прийом заявок з " in text_of(cards[soon.title])
    closed_facts = text_of(cards[closed.title])
    assert "Прийом заявок завершено" in closed_facts
    assert f"Потрібен чинний сертифікат курсу «{closed.course.title}»" in closed_facts


def test_the_event_list_puts_upcoming_events_before_past_ones():
    now = timezone.now()
    later = make_event(
        title="Друга конференція", starts_at=now + timedelta(days=40), ends_at=None
    )
    sooner = make_event(
        title="Перша конференція", starts_at=now + timedelta(days=10), ends_at=None,
        venue="", online_url="https://meet.example.org/conference",
    )  # fmt: skip
    past = make_event(
        title="Минула конференція",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=4),
        applications_open_at=now - timedelta(days=60),
        applications_close_at=now - timedelta(days=31),
    )

    page = get_soup(Client(), event_index().url)

    upcoming = page.find("section", attrs={"aria-labelledby": "upcoming-events"})
    assert [text_of(h) for h in upcoming.select("h3")] == [sooner.title, later.title]
    assert "онлайн" in text_of(upcoming.select("li.card")[0])
    assert "м. Сєвєродонецьк" in text_of(upcoming.select("li.card")[1])
    past_section = page.find("section", attrs={"aria-labelledby": "past-events"})
    assert [text_of(h) for h in past_section.select("h3")] == [past.title]
    assert text_of(page.select_one("#past-events")) == "Минулі заходи"


@pytest.mark.parametrize("kind", ["pilot", "event"])
def test_a_list_costs_the_same_for_3_or_30_pages(
    kind, places, django_assert_max_num_queries
):
    make, index = (
        (make_pilot, pilot_index) if kind == "pilot" else (make_event, event_index)
    )
    extra = {"oblasts": [places.oblast]} if kind == "pilot" else {}
    for _ in range(3):
        make_application(make(**extra), status=Status.SELECTED)
    client = Client()
    url = index().url
    client.get(url)
    baseline = queries_for(client, url)
    assert baseline <= INDEX_QUERIES
    for _ in range(27):
        page = make(**extra)
        make_application(page, status=Status.SELECTED)
        make_application(page)
    client.get(url)  # publishing refreshed the cached view restrictions
    with django_assert_max_num_queries(baseline):
        page = get_soup(client, url)
    assert len(page.select("main li.card")) == 30


# A pilot's page ---------------------------------------------------------------


def test_a_pilot_page_counts_participants_and_names_their_hromadas(places):
    rubizhne = hromada(places, "Рубіжанська міська територіальна громада")
    pilot = make_pilot(
        oblasts=[places.oblast],
        hromadas=[places.hromada],
        places=5,
        coordinator_phone="+380 50 123 45 67",
        interim_results=[factories.paragraph("Проведено три зустрічі з бізнесом.")],
        body=[factories.paragraph("Пілот у громадах Луганщини.")],
    )
    for home in (rubizhne, rubizhne, places.other_hromada):
        make_application(
            pilot, factories.make_user(hromada=home), status=Status.SELECTED
        )
    # Neither a candidate nor someone declined counts, nor their hromada.
    elsewhere = hromada(places, "Сєвєродонецька міська територіальна громада")
    make_application(pilot, factories.make_user(hromada=elsewhere))
    make_application(
        pilot, factories.make_user(hromada=elsewhere), status=Status.DECLINED
    )

    request = RequestFactory().get(pilot.url)
    request.user = factories.make_user()
    context = page_context(pilot, request=request)

    assert context["participants"] == 3
    assert context["seats"]["left"] == 2
    assert {h.name for h in context["participant_hromadas"]} == {
        places.hromada.name,
        rubizhne.name,
        places.other_hromada.name,
    }
    assert len(context["participant_hromadas"]) == 3

    page = get_soup(Client(), pilot.url)
    facts = text_of(page.select_one("main dl.facts"))
    assert "15 січня 2026 – 30 червня 2027" in facts
    assert "Луганська область" in facts
    assert places.hromada.name in facts
    assert "3 особи беруть участь" in facts
    assert "Вільних місць: 2 із 5" in facts
    assert "Вадим Георгієнко" in facts
    assert page.find("a", href="mailto:pilot@example.org") is not None
    assert page.find("a", href="tel:+380501234567") is not None
    origins = text_of(page.find("section", attrs={"aria-labelledby": "pilot-hromadas"}))
    assert rubizhne.name in origins and places.other_hromada.name in origins
    assert elsewhere.name not in origins
    assert "Проведено три зустрічі з бізнесом." in text_of(page)
    assert "Пілот у громадах Луганщини." in text_of(page)


def test_a_pilot_page_says_who_may_apply():
    course = factories.build_course(modules=1, lessons_per_module=1).course
    pilot = make_pilot(
        eligibility=Eligibility.COMPLETION_PREFERRED,
        course=course,
        allowed_sectors=[Sector.HROMADA, Sector.CIVIL_SOCIETY],
        eligibility_note="Представники громад Луганської області.",
    )
    facts = text_of(get_soup(Client(), pilot.url).select_one("main dl.facts"))
    assert f"перевага — тим, хто завершив курс «{course.title}»" in facts
    assert "територіальна громада або орган місцевого самоврядування" in facts
    assert "громадська організація" in facts
    assert "бізнес" not in facts
    assert "Представники громад Луганської області." in facts


# An event's page --------------------------------------------------------------


def test_an_event_page_shows_kyiv_time_the_place_and_a_timed_agenda():
    starts = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)  # 10:00 in Kyiv (summer time)
    event = make_event(
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        online_url="https://meet.example.org/conference",
        applications_open_at=starts - timedelta(days=30),
        applications_close_at=starts - timedelta(days=1),
    )
    page = get_soup(Client(), event.url)

    when = page.select_one("main dl.facts time")
    assert text_of(when) == "15 червня 2026, 10:00–16:00"
    assert when["datetime"] == "2026-06-15T10:00+0300"
    facts = text_of(page.select_one("main dl.facts"))
    assert "за київським часом" in facts
    assert "м. Сєвєродонецьк, вул. Центральна, 1" in facts
    assert page.find("a", href="https://meet.example.org/conference") is not None
    agenda = page.find("section", attrs={"aria-labelledby": "event-agenda"}).ol
    items = agenda.find_all("li")
    assert len(items) == 4
    assert items[1].time["datetime"] == "11:15"
    assert "Презентація «Розумної взаємодії»" in text_of(items[1])


# The apply block --------------------------------------------------------------


def test_anonymous_visitors_see_the_page_and_a_sign_in_link_but_no_application():
    event = make_event()
    make_application(event, motivation="Таємна мотивація заявника")
    for _ in range(2):  # the second visit would come from any cache
        page = get_soup(Client(), event.url)
        block = page.find("section", attrs={"aria-labelledby": "apply-heading"})
        link = block.find("a", string="Увійдіть, щоб подати заявку")
        assert link["href"] == f"/account/login/?next={event.url}"
        assert "Таємна мотивація" not in page.get_text()
        assert "Відкликати заявку" not in page.get_text()
        assert block.find("form") is None


def test_a_learner_sees_only_their_own_application_and_may_withdraw_it(learner):
    event = make_event()
    mine = make_application(
        event, learner, status=Status.WAITLISTED, motivation="Моя мотивація"
    )
    make_application(event, motivation="Чужа мотивація")

    page = get_soup(signed_in(learner), event.url)
    block = text_of(page.find("section", attrs={"aria-labelledby": "apply-heading"}))
    assert "Статус: у резерві" in block
    assert "Моя мотивація" in block
    assert "Чужа мотивація" not in text_of(page)
    form = page.find("form", action=f"/participation/applications/{mine.pk}/withdraw/")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None

    # Another learner or a visitor, after the first, sees nothing of it.
    other = get_soup(signed_in(factories.make_user()), event.url)
    assert "Моя мотивація" not in text_of(other)
    assert other.find("a", href=f"/participation/{event.pk}/apply/") is not None
    assert "Моя мотивація" not in text_of(get_soup(Client(), event.url))


def test_a_learner_without_the_required_certificate_is_told_and_sent_to_the_course(
    learner,
):
    course = factories.build_course(modules=1, lessons_per_module=1).course
    pilot = make_pilot(eligibility=Eligibility.CERTIFICATE_REQUIRED, course=course)
    block = get_soup(signed_in(learner), pilot.url).find(
        "section", attrs={"aria-labelledby": "apply-heading"}
    )
    assert f"чинного сертифіката курсу «{course.title}»" in text_of(block)
    assert block.find("a", href=course.url) is not None
    assert block.find("a", href=f"/participation/{pilot.pk}/apply/") is None


def test_a_closed_or_future_window_is_said_instead_of_the_apply_link(learner):
    now = timezone.now()
    future = make_event(applications_open_at=now + timedelta(days=2))
    closed = make_event(
        applications_open_at=now - timedelta(days=9),
        applications_close_at=now - timedelta(days=1),
    )
    client = signed_in(learner)
    for event, words in ((future, "ще не розпочався"), (closed, "завершено")):
        block = get_soup(client, event.url).find(
            "section", attrs={"aria-labelledby": "apply-heading"}
        )
        assert f"Прийом заявок {words}" in text_of(block)
        assert block.find("a", href=f"/participation/{event.pk}/apply/") is None


def test_a_withdrawn_application_may_be_sent_again_from_the_page(learner):
    event = make_event()
    make_application(event, learner, status=Status.WITHDRAWN)
    block = get_soup(signed_in(learner), event.url).find(
        "section", attrs={"aria-labelledby": "apply-heading"}
    )
    assert "Ви відкликали заявку" in text_of(block)
    assert block.find("a", href=f"/participation/{event.pk}/apply/") is not None


def test_what_learners_and_organisers_typed_is_escaped_on_the_page(learner):
    event = make_event()
    make_application(
        event, learner, motivation=XSS, experience=XSS, organisation=XSS,
        status=Status.DECLINED, decision_note=XSS,
    )  # fmt: skip
    html = signed_in(learner).get(event.url).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize("kind", ["pilot", "event"])
@pytest.mark.parametrize("who", ["anonymous", "applicant", "certificate_seeker"])
def test_a_page_costs_the_same_for_3_or_30_applications(
    kind, who, places, learner, django_assert_max_num_queries
):
    course = factories.build_course(modules=1, lessons_per_module=1).course
    fields = {"course": course}
    if who == "certificate_seeker":
        fields["eligibility"] = Eligibility.CERTIFICATE_REQUIRED
    if kind == "pilot":
        page = make_pilot(oblasts=[places.oblast], hromadas=[places.hromada], **fields)
    else:
        page = make_event(**fields)
    client = Client()
    if who != "anonymous":
        client.force_login(learner)
    if who == "applicant":
        make_application(page, learner)
    for _ in range(3):
        make_application(
            page, factories.make_user(hromada=places.hromada), status=Status.SELECTED
        )
    client.get(page.url)
    baseline = queries_for(client, page.url)
    assert baseline <= PAGE_QUERIES
    for number in range(27):
        home = hromada(places, f"Громада {number}")
        make_application(
            page, factories.make_user(hromada=home), status=Status.SELECTED
        )
    with django_assert_max_num_queries(baseline):
        client.get(page.url)


# «Моє навчання» ---------------------------------------------------------------


def test_my_learning_lists_the_learners_applications_with_their_state(
    learner, superuser
):
    pilot = make_pilot(title="Пілот у Кремінній")
    event = make_event(title="Конференція в Сєвєродонецьку")
    done = make_event(title="Семінар, що відбувся")
    make_application(
        pilot, learner, status=Status.SELECTED, decision_note="Чекаємо на зустрічі."
    )
    make_application(event, learner, status=Status.DECLINED)
    attended = make_application(done, learner, status=Status.SELECTED)
    Application.objects.filter(pk=attended.pk).update(
        attended=True, attendance_marked_at=timezone.now()
    )
    make_application(pilot, motivation="Чужа заявка")

    page = get_soup(signed_in(learner), "/learning/")

    section = page.find("section", attrs={"aria-labelledby": "participation-heading"})
    assert text_of(section.h2) == "Пілоти та заходи"
    cards = {text_of(card.h3): card for card in section.select("li.card")}
    assert set(cards) == {pilot.title, event.title, done.title}
    pilot_card = text_of(cards[pilot.title])
    assert cards[pilot.title].h3.a["href"] == pilot.url
    assert "пілот" in pilot_card and "Статус: відібрано" in pilot_card
    assert "Чекаємо на зустрічі." in pilot_card
    withdraw = cards[pilot.title].find("button")
    assert text_of(withdraw) == f"Відкликати заявку : {pilot.title}"
    event_card = text_of(cards[event.title])
    assert "захід" in event_card and "Статус: відхилено" in event_card
    assert cards[event.title].find("form") is None
    done_card = text_of(cards[done.title])
    assert "Присутність: ви взяли участь." in done_card
    assert cards[done.title].find("form") is None
    assert "Чужа заявка" not in text_of(page)


def test_my_learning_escapes_what_was_typed(learner):
    make_application(
        make_event(), learner, motivation=XSS, experience=XSS, organisation=XSS,
        position=XSS, decision_note=XSS,
    )  # fmt: skip
    html = signed_in(learner).get("/learning/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 5


def test_my_learning_invites_those_who_completed_a_course(learner):
    pilot_index()
    event_index()
    client = signed_in(learner)
    tree = factories.build_course(modules=1, lessons_per_module=1)
    enrol(learner=learner, course=tree.course)
    page = get_soup(client, "/learning/")
    assert (
        page.find("section", attrs={"aria-labelledby": "participation-heading"}) is None
    )

    certificate_factories.complete_course(learner, tree)
    page = get_soup(client, "/learning/")

    section = page.find("section", attrs={"aria-labelledby": "participation-heading"})
    assert "Ви завершили курс." in text_of(section)
    links = [(a["href"], text_of(a)) for a in section.select(".link-list a")]
    assert links == [(pilot_index().url, "Пілоти"), (event_index().url, "Заходи")]


def test_the_invitation_links_only_live_lists(learner):
    pilot_index().unpublish()
    event_index()
    tree = factories.build_course(modules=1, lessons_per_module=1)
    certificate_factories.complete_course(learner, tree)
    section = get_soup(signed_in(learner), "/learning/").find(
        "section", attrs={"aria-labelledby": "participation-heading"}
    )
    assert [a["href"] for a in section.select(".link-list a")] == [event_index().url]

    event_index().unpublish()
    page = get_soup(signed_in(learner), "/learning/")
    assert (
        page.find("section", attrs={"aria-labelledby": "participation-heading"}) is None
    )


def test_my_learning_costs_the_same_for_one_or_many_applications(
    learner, django_assert_max_num_queries
):
    pilot_index()
    event_index()
    client = signed_in(learner)
    tree = factories.build_course(modules=1, lessons_per_module=1)
    enrol(learner=learner, course=tree.course)
    client.get("/learning/")
    without = queries_for(client, "/learning/")
    certificate_factories.complete_course(learner, tree)
    make_application(make_event(), learner)
    client.get("/learning/")
    baseline = queries_for(client, "/learning/")
    assert baseline <= without + DASHBOARD_EXTRA_QUERIES
    for _ in range(10):
        make_application(make_pilot(), learner, status=Status.SELECTED)
        make_application(make_event(), learner, status=Status.WITHDRAWN)
    client.get("/learning/")  # publishing pages made the cached outlines stale
    with django_assert_max_num_queries(baseline):
        page = get_soup(client, "/learning/")
    assert len(page.select("#participation-heading ~ ul li.card")) == 21


# After a completion: the certificate pages -----------------------------------


def test_the_invitation_for_certificate_pages_is_registered(learner):
    pilot_index()
    request = RequestFactory().get("/certificates/confirm/1/")
    request.user = learner
    blocks = after_completion(request=request)
    assert len(blocks) == 1
    section = BeautifulSoup(blocks[0], "html.parser")
    assert text_of(section.h2) == "Пілоти та заходи"
    assert [a["href"] for a in section.select("a")] == [pilot_index().url]
    pilot_index().unpublish()
    assert completion_invitation(request=request) == ""


def test_pilot_dates_without_an_end_read_from_the_start():
    pilot = make_pilot(starts_on=date(2026, 3, 1), ends_on=None)
    facts = text_of(get_soup(Client(), pilot.url).select_one("main dl.facts"))
    assert "з 1 березня 2026" in facts


def test_the_name_confirmation_page_invites_to_pilots_and_events(learner):
    pilot_index()
    tree = factories.build_course(modules=1, lessons_per_module=1)
    certificate_factories.complete_course(learner, tree)
    page = get_soup(signed_in(learner), f"/certificates/confirm/{tree.course.pk}/")
    section = page.find(
        "section", attrs={"aria-labelledby": "participation-invitation"}
    )
    assert section is not None
    assert section.find("a", href=pilot_index().url) is not None


# Accessibility basics --------------------------------------------------------


def test_every_learner_page_has_one_h1_a_main_landmark_and_ordered_headings(
    learner, places
):
    pilot = make_pilot(hromadas=[places.hromada], body=[factories.paragraph("Опис.")])
    event = make_event()
    application = make_application(event, learner)
    client = signed_in(learner)
    urls = [
        pilot_index().url,
        event_index().url,
        pilot.url,
        event.url,
        f"/participation/{pilot.pk}/apply/",
        f"/participation/applications/{application.pk}/withdraw/",
        "/learning/",
    ]
    for visitor in (Client(), client):
        for url in urls:
            if visitor is not client and not url.startswith(("/pilots", "/events")):
                continue
            page = get_soup(visitor, url)
            assert len(page.find_all("h1")) == 1, url
            main = page.find("main", id="main")
            assert main is not None and main.h1 is not None, url
            levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4"])]
            assert all(b - a <= 1 for a, b in pairwise(levels)), (url, levels)
            for control in main.select("input:not([type=hidden]), textarea, select"):
                assert main.find("label", attrs={"for": control["id"]}), (url, control)
            for button in main.select("button"):
                assert text_of(button), url


def test_the_header_leads_to_pilots_events_and_for_organisers_applications():
    from django.contrib.auth.models import Group  # noqa: PLC0415

    from lms.roles import ORGANISERS  # noqa: PLC0415

    pilot_index()
    event_index()
    organiser = factories.make_user()
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    learner = factories.make_user()

    def nav(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        page = get_soup(client, "/pilots/")
        return {a["href"]: text_of(a) for a in page.select("nav.site-nav a")}

    for user in (None, learner, organiser):
        links = nav(user)
        assert links["/pilots/"] == "Пілоти"
        assert links["/events/"] == "Заходи"
    assert "/admin/participation/applications/" not in nav(learner)
    assert nav(organiser)["/admin/participation/applications/"] == "Заявки на участь"
