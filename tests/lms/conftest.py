"""Fixtures for the account tests: reference data and a valid registration."""

from dataclasses import dataclass

import pytest

from lms.models import Hromada, Oblast, PositionCategory
from lms.reference import OBLASTS, POSITION_CATEGORIES

STRONG_PASSWORD = "Dnipro-Kreminna-2019"


@dataclass
class Places:
    oblast: Oblast
    hromada: Hromada
    other_oblast: Oblast
    other_hromada: Hromada
    category: PositionCategory


def _reference_oblast(name: str) -> Oblast:
    # The reference migration made it, but a flush by a transactional test on a
    # reused database removes it, so it is made again when missing.
    code = next(code for code, oblast_name in OBLASTS if oblast_name == name)
    return Oblast.objects.get_or_create(code=code, defaults={"name": name})[0]


def _reference_category() -> PositionCategory:
    code, name, service = POSITION_CATEGORIES[0]
    return PositionCategory.objects.get_or_create(
        code=code, defaults={"name": name, "service": service}
    )[0]


@pytest.fixture
def places(db) -> Places:
    """Luhansk and Kyiv oblasts with one hromada each, and a position category."""
    oblast = _reference_oblast("Луганська область")
    other_oblast = _reference_oblast("Київська область")
    return Places(
        oblast=oblast,
        hromada=Hromada.objects.create(
            code="UA44000000000000001", name="Кремінська", oblast=oblast
        ),
        other_oblast=other_oblast,
        other_hromada=Hromada.objects.create(
            code="UA32000000000000002", name="Бучанська", oblast=other_oblast
        ),
        category=_reference_category(),
    )


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
