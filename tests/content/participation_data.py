"""Factories for pilots, events and applications (shared by the tests).

``make_event``/``make_pilot`` publish a page under its index (made once per
test under the home page) with its application window open now, unless the
arguments say otherwise. ``make_application`` writes the row directly, for
tests that need applications in a given state without the form.
"""

from datetime import date, time, timedelta

from django.utils import timezone

from content.participation.models import (
    Application,
    Eligibility,
    EventIndexPage,
    EventPage,
    PilotIndexPage,
    PilotPage,
    Sector,
)
from tests import factories

AGENDA = [
    (time(11, 0), "Вітальне слово"),
    (time(11, 15), "Презентація «Розумної взаємодії», її особливостей та відмінностей"),
    (time(13, 0), "Кава-брейк"),
    (time(16, 0), "Завершення конференції"),
]


def event_index() -> EventIndexPage:
    existing = EventIndexPage.objects.first()
    if existing is not None:
        return existing
    return factories.add_page(
        factories.make_home_page(),
        EventIndexPage(title="Заходи", slug="events", intro="Конференції ініціативи."),
    )


def pilot_index() -> PilotIndexPage:
    existing = PilotIndexPage.objects.first()
    if existing is not None:
        return existing
    return factories.add_page(
        factories.make_home_page(),
        PilotIndexPage(title="Пілоти", slug="pilots", intro="Пілотні громади."),
    )


def _window(fields: dict) -> dict:
    now = timezone.now()
    fields.setdefault("applications_open_at", now - timedelta(days=1))
    fields.setdefault("applications_close_at", now + timedelta(days=10))
    return fields


def make_event(**fields) -> EventPage:
    number = factories.next_number()
    now = timezone.now()
    values = _window(
        {
            "title": f"Обласна конференція {number}",
            "slug": f"conference-{number}",
            "summary": "Перша обласна конференція «Розумна взаємодія».",
            "starts_at": now + timedelta(days=20),
            "ends_at": now + timedelta(days=20, hours=5),
            "venue": "м. Сєвєродонецьк, вул. Центральна, 1",
            "places": 50,
            "eligibility": Eligibility.OPEN,
            "agenda": [
                ("item", {"time": moment, "title": title, "details": ""})
                for moment, title in AGENDA
            ],
            **fields,
        }
    )
    return factories.add_page(event_index(), EventPage(**values))


def make_pilot(*, oblasts=(), hromadas=(), **fields) -> PilotPage:
    number = factories.next_number()
    values = _window(
        {
            "title": f"Пілот {number}",
            "slug": f"pilot-{number}",
            "summary": "Пілотне впровадження у громадах.",
            "starts_on": date(2026, 1, 15),
            "ends_on": date(2027, 6, 30),
            "coordinator_name": "Вадим Георгієнко",
            "coordinator_email": "pilot@example.org",
            "places": 30,
            "eligibility": Eligibility.OPEN,
            **fields,
        }
    )
    page = PilotPage(**values)
    page.oblasts = list(oblasts)
    page.hromadas = list(hromadas)
    return factories.add_page(pilot_index(), page)


def make_application(page, applicant=None, **fields) -> Application:
    now = timezone.now()
    values = {
        "sector": Sector.HROMADA,
        "organisation": "Кремінська міська рада",
        "position": "Секретар ради",
        "motivation": "Хочу впровадити взаємодію в громаді.",
        "experience": "Три роки в місцевому самоврядуванні.",
        "consent_given_at": now,
        "status_changed_at": now,
        "course": page.course,
        **fields,
    }
    if values.get("status") == Application.Status.WAITLISTED:
        values.setdefault("waitlisted_at", now)
    return Application.objects.create(
        page=page, applicant=applicant or factories.make_user(), **values
    )
