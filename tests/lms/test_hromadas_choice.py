"""The hromada is chosen from the chosen oblast's hromadas: in registration
and the profile, without JavaScript (the form comes back with the list) and
through the JSON list the script fetches."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import CodifierEdition, Oblast, User
from lms.reference import OBLASTS
from tests import factories
from tests.lms.conftest import STRONG_PASSWORD

REGISTER_URL = reverse("accounts:register")
PROFILE_URL = reverse("accounts:profile")
JSON_URL = reverse("accounts:hromadas_json")
TOWN = "Миролюбівська сільська територіальна громада"


@pytest.fixture
def region(places):
    """Two districts of Luhansk oblast, one name in both, one abolished."""
    oblast = places.oblast
    starobilsk = factories.make_district(oblast, "Старобільський район")
    sievierodonetsk = factories.make_district(oblast, "Сіверськодонецький район")
    edition = CodifierEdition.objects.create(source="test", sha256="0" * 64)
    return {
        "yasenivska": factories.make_hromada(
            oblast, "Ясенівська сільська територіальна громада", district=starobilsk
        ),
        "ivanivska": factories.make_hromada(
            oblast, "Іванівська сільська територіальна громада", district=starobilsk
        ),
        "aidarska": factories.make_hromada(
            oblast, "Айдарська селищна територіальна громада", district=starobilsk
        ),
        "town_s": factories.make_hromada(oblast, TOWN, district=starobilsk),
        "town_d": factories.make_hromada(oblast, TOWN, district=sievierodonetsk),
        "abolished": factories.make_hromada(
            oblast,
            "Новопсковська селищна територіальна громада",
            district=starobilsk,
            abolished_in=edition,
        ),
    }


def hromada_list(response) -> list[tuple[str, str]]:
    """(group, label) of each hromada offered, in page order."""
    select = BeautifulSoup(response.content, "html.parser").find(id="id_hromada")
    return [
        (option.parent.get("label", ""), option.text)
        for option in select.find_all("option")
        if option.get("value")
    ]


def labels(response) -> list[str]:
    return [label for _group, label in hromada_list(response)]


def narrow(client, url, data):
    return client.post(url, {**data, "show_hromadas": "1"})


# Without JavaScript -------------------------------------------------------------


def test_before_an_oblast_is_chosen_no_hromada_is_offered(client, region):
    response = client.get(REGISTER_URL)

    assert hromada_list(response) == []
    page = BeautifulSoup(response.content, "html.parser")
    form = page.find("form", class_="form")
    show = form.find("button", attrs={"name": "show_hromadas"})
    assert show.text == "Показати громади області"
    assert show["formaction"] == "#id_hromada"
    # Enter in a text field registers; it does not only list hromadas.
    first = form.find("button", attrs={"type": "submit"})
    assert not first.get("name") and first.text == "Зареєструватися"


def test_choosing_the_oblast_lists_its_hromadas_and_keeps_what_was_typed(
    client, registration_data, places, region
):
    data = {**registration_data, "hromada": ""}

    response = narrow(client, REGISTER_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert hromada_list(response) == [
        ("", places.hromada.name),
        ("Сіверськодонецький район", f"{TOWN} (Сіверськодонецький район)"),
        ("Старобільський район", "Айдарська селищна територіальна громада"),
        ("Старобільський район", "Іванівська сільська територіальна громада"),
        ("Старобільський район", f"{TOWN} (Старобільський район)"),
        ("Старобільський район", "Ясенівська сільська територіальна громада"),
    ]
    # Nothing is checked yet: no errors, no account, no e-mail.
    assert 'class="error-summary"' not in html
    assert "aria-invalid" not in html
    assert not User.objects.exists() and not mail.outbox
    # Everything typed is back, except the passwords, which the page says.
    page = BeautifulSoup(html, "html.parser")
    for name in ("email", "last_name", "first_name", "organisation"):
        assert page.find(id=f"id_{name}")["value"] == registration_data[name]
    assert page.find(id="id_oblast").find(selected=True)["value"] == str(
        places.oblast.pk
    )
    assert page.find(id="id_consent").has_attr("checked")
    assert STRONG_PASSWORD not in html
    assert "введіть його ще раз" in page.find(id="password-not-kept").text


def test_the_password_notice_is_shown_only_when_a_password_was_typed(
    client, registration_data, region
):
    data = {**registration_data, "password1": "", "password2": ""}

    html = narrow(client, REGISTER_URL, data).content.decode()

    assert 'id="password-not-kept"' not in html


def test_registration_completes_with_a_hromada_from_the_list(
    client, registration_data, region
):
    chosen = region["town_d"]
    listed = narrow(client, REGISTER_URL, registration_data)
    assert chosen.name in {label.split(" (")[0] for label in labels(listed)}

    response = client.post(REGISTER_URL, {**registration_data, "hromada": chosen.pk})

    assert response.status_code == 302
    assert User.objects.get().hromada == chosen


def test_another_oblasts_hromada_is_refused_in_ukrainian(
    client, registration_data, places, region
):
    data = {**registration_data, "hromada": places.other_hromada.pk}

    response = client.post(REGISTER_URL, data)

    assert response.status_code == 200
    assert response.context["form"].has_error("hromada", "wrong_oblast")
    error = BeautifulSoup(response.content, "html.parser").find(id="id_hromada_error")
    assert error.text.strip() == "Ця громада не належить до вибраної вами області."
    # The list is again that of the chosen oblast.
    assert places.other_hromada.name not in labels(response)
    assert not User.objects.exists()


def test_an_abolished_hromada_is_not_offered_nor_accepted_at_registration(
    client, registration_data, region
):
    abolished = region["abolished"]

    listed = narrow(client, REGISTER_URL, registration_data)
    response = client.post(REGISTER_URL, {**registration_data, "hromada": abolished.pk})

    assert abolished.name not in labels(listed)
    assert response.context["form"].has_error("hromada", "invalid_choice")
    assert not User.objects.exists()


def test_the_list_costs_the_same_queries_whatever_the_oblasts_size(
    client, registration_data, places, region
):
    def queries_for(oblast) -> int:
        with CaptureQueriesContext(connection) as queries:
            narrow(client, REGISTER_URL, {**registration_data, "oblast": oblast.pk})
        return len(queries)

    small = queries_for(places.other_oblast)
    for number in range(30):
        factories.make_hromada(places.other_oblast, f"Громада {number}")

    assert queries_for(places.other_oblast) == small == queries_for(places.oblast)
    assert small <= 6


# The profile --------------------------------------------------------------------


def test_the_profile_lists_the_hromadas_of_the_learners_oblast(client, places, region):
    learner = factories.make_user(oblast=places.oblast, hromada=region["ivanivska"])
    client.force_login(learner)

    response = client.get(PROFILE_URL)

    offered = labels(response)
    assert len(offered) == 6 and places.other_hromada.name not in offered
    selected = BeautifulSoup(response.content, "html.parser").find(
        id="id_hromada"
    ).find(selected=True)  # fmt: skip
    assert selected["value"] == str(region["ivanivska"].pk)


def test_the_profile_lists_another_oblast_without_saving_anything(
    client, registration_data, places, region
):
    learner = factories.make_user(oblast=places.oblast, hromada=region["ivanivska"])
    client.force_login(learner)
    data = {**registration_data, "oblast": places.other_oblast.pk, "hromada": ""}

    response = narrow(client, PROFILE_URL, data)

    assert response.status_code == 200
    assert labels(response) == [places.other_hromada.name]
    assert 'class="error-summary"' not in response.content.decode()
    learner.refresh_from_db()
    assert (learner.oblast, learner.hromada) == (places.oblast, region["ivanivska"])


def test_a_learners_abolished_hromada_stays_on_offer_to_them_and_is_kept(
    client, registration_data, places, region
):
    abolished = region["abolished"]
    learner = factories.make_user(oblast=places.oblast, hromada=abolished)
    client.force_login(learner)

    page = client.get(PROFILE_URL)
    saved = client.post(PROFILE_URL, {**registration_data, "hromada": abolished.pk})

    assert (
        "Старобільський район",
        f"{abolished.name} (немає в чинному кодифікаторі)",
    ) in hromada_list(page)
    assert saved.status_code == 302
    learner.refresh_from_db()
    assert learner.hromada == abolished


# The JSON list the script fetches -------------------------------------------------


def test_the_json_list_holds_the_current_hromadas_grouped_as_on_the_page(
    client, places, region, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(JSON_URL, {"oblast": places.oblast.pk})

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "Айдарська".encode() in response.content  # not \u-escaped: smaller
    data = json.loads(response.content)
    assert data["oblast"] == places.oblast.pk
    groups = [(group["district"], group["hromadas"]) for group in data["groups"]]
    assert groups[0] == ("", [[places.hromada.pk, places.hromada.name]])
    assert [district for district, _h in groups[1:]] == [
        "Сіверськодонецький район",
        "Старобільський район",
    ]
    assert [label for _pk, label in groups[2][1]] == [
        "Айдарська селищна територіальна громада",
        "Іванівська сільська територіальна громада",
        f"{TOWN} (Старобільський район)",
        "Ясенівська сільська територіальна громада",
    ]


def test_the_json_list_costs_one_query_however_many_hromadas(
    client, places, region, django_assert_num_queries
):
    for number in range(40):
        factories.make_hromada(places.oblast, f"Громада {number}")

    with django_assert_num_queries(1):
        response = client.get(JSON_URL, {"oblast": places.oblast.pk})

    assert sum(len(group["hromadas"]) for group in response.json()["groups"]) == 46


def test_an_oblast_without_hromadas_gets_an_empty_list(
    client, db, django_assert_num_queries
):
    code, name = OBLASTS[-2]  # м. Київ
    kyiv = Oblast.objects.get_or_create(code=code, defaults={"name": name})[0]

    with django_assert_num_queries(2):
        response = client.get(JSON_URL, {"oblast": kyiv.pk})

    assert response.status_code == 200
    assert response.json()["groups"] == []


@pytest.mark.parametrize("oblast", ["999999", "", "abc", "-1", "9" * 30])
def test_an_unknown_oblast_gets_not_found_not_an_error(client, db, oblast):
    response = client.get(JSON_URL, {"oblast": oblast})

    assert response.status_code == 404
    assert response.json() == {"error": "Такої області немає."}


def test_the_json_list_answers_only_get(client, places):
    assert client.post(JSON_URL, {"oblast": places.oblast.pk}).status_code == 405
