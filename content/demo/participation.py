"""Demo pilots and events: the 2019 pilot and the first regional conference.

The facts come from the initiative's announcement of its first oblast
conference (Луганська ОДА, 17.02.2020, № 01.1.1-16/00093): seven oblasts
were selected for the pilot, Кремінна presented its interim results, the
conference took about 50 participants selected by the organisers, and the
programme below is the announced one. Which six oblasts joined Luhansk
oblast is not in the announcement; the demo names six, each with one
hromada of the codifier. Dates are set relative to the day of seeding so
that the application window of the demo conference is open.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.rich_text import RichText

from content.demo.pages import build_stream, publish
from content.participation.models import (
    Application,
    Eligibility,
    EventIndexPage,
    EventPage,
    PilotIndexPage,
    PilotPage,
    Sector,
)
from courses.models import CoursePage
from lms.models import Hromada, Oblast

SOURCE = (
    "Анонс першої обласної конференції «Розумна взаємодія», Луганська обласна "
    "державна адміністрація, 17.02.2020, № 01.1.1-16/00093."
)

PILOT_INDEX = {
    "title": "Пілоти",
    "slug": "pilots",
    "intro": (
        "Громади та області, які впроваджують «Розумну взаємодію»: рішення "
        "місцевих питань разом із мешканцями, бізнесом і владою, з "
        "використанням сучасних технологій."
    ),
}
EVENT_INDEX = {
    "title": "Заходи",
    "slug": "events",
    "intro": (
        "Обласні та національні конференції ініціативи. Участь — за заявкою "
        "та відбором організаторів з урахуванням мотивації, досвіду й вільних "
        "місць."
    ),
}

# Luhansk oblast first; Кремінна is the hromada of the announcement.
PILOT_HROMADAS = (
    "UA44120030000094047",  # Кремінська
    "UA32080150000035443",  # Ірпінська
    "UA46060250000025047",  # Львівська
    "UA05020030000031457",  # Вінницька
    "UA61040490000035010",  # Тернопільська
    "UA53080370000025447",  # Полтавська
    "UA18040250000068141",  # Коростишівська
)

PILOT = {
    "title": "Пілотування «Розумної взаємодії» у громадах семи областей",
    "slug": "rozumna-vzaiemodiia-7-oblastei",
    "summary": (
        "Пілотне впровадження ініціативи у відібраних громадах семи областей "
        "в рамках Національної стратегії сприяння розвитку громадянського "
        "суспільства."
    ),
    "body": [
        (
            "paragraph",
            RichText(
                "<p>Ініціатива має на меті вирішення місцевих питань і "
                "глобальних викликів на засадах ефективнішої міжсекторальної "
                "взаємодії за участю громадян та з використанням сучасних "
                "технологій.</p><p>Пілотні громади разом з обласними "
                "адміністраціями та радами визначають питання для вирішення, "
                "спільно розробляють рішення, фінансують їх з бюджетів різних "
                "рівнів і відображають виконання у спільному просторі.</p>"
            ),
        )
    ],
    "interim_results": [
        (
            "paragraph",
            RichText(
                "<p>Проміжні результати пілотування представили "
                "представники м. Кремінна Луганської області на першій "
                "обласній конференції; їх порівняно з результатами пілотних "
                "громад інших областей.</p>"
            ),
        )
    ],
    "coordinator_name": "Вадим Георгієнко, ключовий експерт ініціативи",
    "coordinator_email": "pilot@demo.rv.ua",
    "places": 70,
    "eligibility": Eligibility.COMPLETION_PREFERRED,
    "allowed_sectors": [
        Sector.HROMADA,
        Sector.OBLAST_ADMINISTRATION,
        Sector.OBLAST_COUNCIL,
        Sector.CIVIL_SOCIETY,
    ],
    "eligibility_note": (
        "Керівники та представники громад і органів місцевого самоврядування, "
        "обласних державних адміністрацій та обласних рад пілотних областей, "
        "громадські об’єднання."
    ),
}

AGENDA = [
    (time(11, 0), "Вітальне слово"),
    (time(11, 15), "Презентація «Розумної взаємодії», її особливостей та відмінностей"),
    (
        time(11, 45),
        "Презентація проміжних результатів представниками м. Кремінна "
        "Луганської області",
    ),
    (
        time(12, 15),
        "Проміжні результати в порівнянні з пілотними громадами інших областей; "
        "можливості для розвитку багаторівневого врядування",
    ),
    (time(12, 45), "Питання-відповіді на уточнення"),
    (time(13, 0), "Кава-брейк"),
    (
        time(13, 30),
        "Обговорення пілотування на обласному рівні: наступні кроки в "
        "інтересах громад області; участь ОДА та облради у спільному просторі "
        "з громадами",
    ),
    (
        time(15, 0),
        "Розробка та презентація учасниками рекомендацій, зокрема до наступної "
        "стратегії розвитку громадянського суспільства",
    ),
    (time(16, 0), "Завершення конференції"),
]

CONFERENCE = {
    "title": "Перша обласна конференція «Розумна взаємодія»",
    "slug": "persha-oblasna-konferentsiia",
    "summary": (
        "Луганська область — одна з семи, відібраних для пілотування. На "
        "конференції представлять і обговорять матеріали та проміжні "
        "результати пілотування."
    ),
    "venue": "м. Сєвєродонецьк, Луганська обласна державна адміністрація",
    "places": 50,
    "eligibility": Eligibility.COMPLETION_PREFERRED,
    "allowed_sectors": [],
    "eligibility_note": (
        "Зацікавлені представники ОТГ та ОМС, громадських об’єднань, бізнесу, "
        "активні мешканці та волонтери з Луганської області. Учасників "
        "відбирають організатори з урахуванням мотивації, досвіду та вільних "
        "місць (до 50 учасників)."
    ),
    "body": [
        (
            "paragraph",
            RichText(
                "<p>У конференції візьмуть участь представники пілотної "
                "громади, організаторів і ключовий експерт ініціативи. "
                "Участь представника Посольства Норвегії та інших гостей "
                "уточнюється.</p><p>Після обласних конференцій планується "
                "конференція на центральному рівні в Києві, на яку запросять "
                "керівників ОДА та обласних рад, що долучилися до "
                "пілотування.</p>"
            ),
        )
    ],
}

DEMO_APPLICANTS = [
    # (e-mail, surname, given name, patronymic, sector, organisation, status)
    (
        "hromada.rep@demo.rv.ua", "Шевчук", "Андрій", "Васильович",
        Sector.HROMADA, "Кремінська міська рада", Application.Status.SELECTED,
    ),
    (
        "cso.rep@demo.rv.ua", "Мельник", "Ольга", "Петрівна",
        Sector.CIVIL_SOCIETY, "ГО «Сильна громада»", Application.Status.WAITLISTED,
    ),
    (
        "business.rep@demo.rv.ua", "Ткаченко", "Ігор", "Миколайович",
        Sector.BUSINESS, "ТОВ «Агро-Схід»", Application.Status.DECLINED,
    ),
    (
        "resident@demo.rv.ua", "Бондаренко", "Наталія", "Іванівна",
        Sector.RESIDENT, "—", Application.Status.SUBMITTED,
    ),
    (
        "volunteer@demo.rv.ua", "Кравченко", "Дмитро", "Олегович",
        Sector.VOLUNTEER, "Волонтерський центр Рубіжного",
        Application.Status.WITHDRAWN,
    ),
]  # fmt: skip


DECIDED = (
    Application.Status.SELECTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
)


def _index(home, model, spec) -> tuple:
    existing = model.objects.child_of(home).first()
    if existing is not None:
        return existing, 0
    page = model(**spec, live=False)
    home.add_child(instance=page)
    publish(page)
    return page, 1


def ensure_pilots_and_events(*, home, course: CoursePage) -> int:
    """Creates the missing demo pilot, conference and applications."""
    created = 0
    pilots, made = _index(home, PilotIndexPage, PILOT_INDEX)
    created += made
    events, made = _index(home, EventIndexPage, EVENT_INDEX)
    created += made
    now = timezone.now()
    if not pilots.get_children().filter(slug=PILOT["slug"]).exists():
        hromadas = list(Hromada.objects.filter(code__in=PILOT_HROMADAS))
        fields = {
            **PILOT,
            "body": build_stream(PilotPage, "body", PILOT["body"], None),
            "interim_results": build_stream(
                PilotPage, "interim_results", PILOT["interim_results"], None
            ),
        }
        pilot = PilotPage(
            **fields,
            course=course,
            starts_on=(now - timedelta(days=300)).date(),
            ends_on=(now + timedelta(days=400)).date(),
            applications_open_at=now - timedelta(days=30),
            applications_close_at=now + timedelta(days=60),
            live=False,
        )
        pilot.oblasts = list(
            Oblast.objects.filter(pk__in={hromada.oblast_id for hromada in hromadas})
        )
        pilot.hromadas = hromadas
        pilots.add_child(instance=pilot)
        publish(pilot)
        created += 1
    if not events.get_children().filter(slug=CONFERENCE["slug"]).exists():
        day = (now + timedelta(days=30)).date()
        starts = timezone.make_aware(datetime.combine(day, time(11, 0)))
        agenda = [
            ("item", {"time": moment, "title": title, "details": ""})
            for moment, title in AGENDA
        ]
        conference = EventPage(
            **{
                **CONFERENCE,
                "body": build_stream(EventPage, "body", CONFERENCE["body"], None),
            },
            agenda=build_stream(EventPage, "agenda", agenda, None),
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=5),
            applications_open_at=now - timedelta(days=7),
            applications_close_at=starts - timedelta(days=7),
            live=False,
        )
        events.add_child(instance=conference)
        publish(conference)
        created += 1
        ensure_demo_applications(conference=conference)
    return created


def ensure_demo_applications(*, conference: EventPage) -> None:
    """A few applicants in every state, so the organisers' screens have data."""
    user_model = get_user_model()
    now = timezone.now()
    organiser = user_model.objects.filter(groups__name="Організатори").first()
    for index, (
        email,
        surname,
        given,
        patronymic,
        sector,
        organisation,
        status,
    ) in enumerate(DEMO_APPLICANTS):
        person = user_model.objects.filter(email__iexact=email).first()
        if person is None:
            person = user_model.objects.create_user(
                email=email,
                password=None,
                last_name=surname,
                first_name=given,
                patronymic=patronymic,
                organisation=organisation,
                email_confirmed_at=now,
            )
        submitted = now - timedelta(days=6 - index)
        Application.objects.get_or_create(
            page=conference,
            applicant=person,
            defaults={
                "sector": sector,
                "organisation": organisation,
                "position": "представник",
                "motivation": (
                    "Хочу долучитися до пілотування «Розумної взаємодії» в "
                    "нашій громаді та поділитися досвідом."
                ),
                "experience": "Участь у громадських слуханнях і бюджеті участі.",
                "consent_given_at": submitted,
                "course": conference.course,
                "status": status,
                "status_changed_at": now,
                "submitted_at": submitted,
                "decided_by": organiser if status in DECIDED else None,
                "waitlisted_at": now
                if status == Application.Status.WAITLISTED
                else None,
            },
        )
