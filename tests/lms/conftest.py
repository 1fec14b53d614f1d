"""Fixtures for the account tests: a valid registration (``places`` is shared)."""

import pytest

STRONG_PASSWORD = "Dnipro-Kreminna-2019"


@pytest.fixture
def registration_data(places) -> dict:
    """A POST body that registers successfully."""
    return {
        "email": "Olena.Koval@Example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "last_name": "Коваль",
        "first_name": "Олена",
        "patronymic": "Петрівна",
        "position_title": "Головна спеціалістка відділу",
        "position_category": str(places.category.pk),
        "organisation": "Виконавчий комітет Кремінської міської ради",
        "oblast": str(places.oblast.pk),
        "hromada": str(places.hromada.pk),
        "consent": "on",
    }
