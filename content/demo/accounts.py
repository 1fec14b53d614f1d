"""Demo accounts with fixed passwords, for local development only.

The passwords are public (they are in the repository), so ``seed_demo``
refuses to run without DEBUG unless asked explicitly, and never prints them
outside DEBUG.
"""

from lms.roles import EDITORS, MODERATORS, ORGANISERS, REVIEWERS

DEMO_ACCOUNTS = {
    "learner": {
        "label": "Слухачка курсу",
        "email": "learner@demo.rv.ua",
        "password": "demo-learner-2026",
        "groups": (),
    },
    "editor": {
        "label": "Редактор контенту",
        "email": "editor@demo.rv.ua",
        "password": "demo-editor-2026",
        "groups": (EDITORS,),
        "profile": {"last_name": "Бондар", "first_name": "Олексій"},
    },
    "moderator": {
        "label": "Модератор контенту",
        "email": "moderator@demo.rv.ua",
        "password": "demo-moderator-2026",
        "groups": (MODERATORS,),
        "profile": {"last_name": "Савчук", "first_name": "Ірина"},
    },
    "reviewer": {
        "label": "Рецензентка НАДС",
        "email": "reviewer@demo.rv.ua",
        "password": "demo-reviewer-2026",
        "groups": (REVIEWERS,),
        "profile": {"last_name": "Литвиненко", "first_name": "Оксана"},
    },
    "organiser": {
        "label": "Організатор пілотів і заходів",
        "email": "organiser@demo.rv.ua",
        "password": "demo-organiser-2026",
        "groups": (ORGANISERS,),
        "profile": {"last_name": "Гребенюк", "first_name": "Василь"},
    },
    "admin": {
        "label": "Адміністратор",
        "email": "admin@demo.rv.ua",
        "password": "demo-admin-2026",
        "groups": (),
        "superuser": True,
        "profile": {"last_name": "Адміністратор", "first_name": "Демо"},
    },
}

# Reference data is named by code: codes are stable, names may be edited.
# The plain apostrophe is deliberate: saving stores it as ʼ (U+02BC).
DEMO_LEARNER_PROFILE = {
    "last_name": "Коваленко",
    "first_name": "Мар'яна",
    "patronymic": "Олегівна",
    "position_title": (
        "головна спеціалістка відділу взаємодії з громадськістю та "
        "інформаційної політики"
    ),
    "position_category": "В",
    "organisation": "Сєвєродонецька районна державна адміністрація",
    "oblast": "UA44000000000018893",
    "hromada": "UA44120030000094047",  # Кремінська
}
