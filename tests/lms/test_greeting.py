"""E-mail greetings address the person in the vocative, or not by name."""

import pytest

from lms.greeting import greeting, vocative
from tests import factories


@pytest.mark.parametrize(
    ("given", "patronymic", "expected"),
    [
        ("Ірина", "Петрівна", "Ірино Петрівно"),
        ("Олександр", "Іванович", "Олександре Івановичу"),
        ("Марʼяна", "Іванівна", "Марʼяно Іванівно"),
        ("Галина", "Леонідівна", "Галино Леонідівно"),
        ("Вадим", "", "Вадиме"),
        ("Олег", "", "Олеже"),
        ("Ігор", "", "Ігоре"),
        ("Любов", "", "Любове"),
        ("Ілля", "Ілліч", "Ілле Іллічу"),
        ("Андрій", "Сергійович", "Андрію Сергійовичу"),
        ("Наталія", "", "Наталіє"),
        ("Микола", "", "Миколо"),
        ("Ірина-Марія", "", "Ірино-Маріє"),
    ],
)
def test_ukrainian_names_are_put_in_the_vocative(given, patronymic, expected):
    assert vocative(given, patronymic) == expected


@pytest.mark.parametrize("given", ["John", "", "Анна2", "Jürgen"])
def test_names_the_declension_cannot_be_trusted_with_get_no_name(given):
    assert vocative(given) is None


@pytest.mark.django_db
def test_the_greeting_reads_as_ukrainian_correspondence():
    assert greeting(factories.make_user(first_name="Ірина", patronymic="Петрівна")) == (
        "Добрий день, Ірино Петрівно!"
    )
    assert greeting(factories.make_user(first_name="John", patronymic="")) == (
        "Добрий день!"
    )
