"""Public verification: pages, JSON and its schema, the number-and-code form,
and the rate limit (certificates/verification.py, views.py, lms/ratelimit.py)."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates import verification
from certificates.issuing import (
    confirm_name,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import Certificate
from certificates.verification import VERIFICATION_SCHEMA
from lms.ratelimit import hit, parse_rate
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

UNKNOWN_CODE = "Zz" * 16


@pytest.fixture
def certificate(design, completed_enrolment, learner):
    learner.organisation = "Секретна установа"
    learner.save()
    confirm_name(user=learner, printed_name=learner.get_full_name())
    return issue_certificate(enrolment=completed_enrolment)


def verify_url(code: str) -> str:
    return reverse("certificates:verify", args=[code])


def json_url(code: str) -> str:
    return reverse("certificates:verify_json", args=[code])


def validate(instance, schema, path="$"):
    """The subset of JSON Schema the verification schema uses; raises on mismatch."""
    types = {
        "string": str,
        "integer": int,
        "boolean": bool,
        "object": dict,
        "null": type(None),
    }
    if "const" in schema:
        assert instance == schema["const"], path
    if "enum" in schema:
        assert instance in schema["enum"], path
    if "type" in schema:
        allowed = (
            schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        )
        assert any(
            isinstance(instance, types[name])
            and not (name == "integer" and isinstance(instance, bool))
            for name in allowed
        ), f"{path}: {instance!r} is not {allowed}"
    if isinstance(instance, str) and "pattern" in schema:
        assert re.search(schema["pattern"], instance), f"{path}: {instance!r}"
    if isinstance(instance, int) and "minimum" in schema:
        assert instance >= schema["minimum"], path
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            assert key in instance, f"{path}: {key} missing"
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            assert set(instance) <= set(properties), f"{path}: extra keys"
        for key, value in instance.items():
            if key in properties:
                validate(value, properties[key], f"{path}.{key}")


# Pages -------------------------------------------------------------------------


def test_a_valid_certificate_shows_its_public_facts(client, certificate):
    response = client.get(verify_url(certificate.verification_code))

    assert response.status_code == 200
    html = response.content.decode()
    assert _("This certificate is valid.") in html
    for fact in (
        certificate.holder_name,
        certificate.number,
        certificate.course_title,
        certificate.programme_code,
        certificate.provider_name,
        certificate.volume_display,
        certificate.pdf_sha256,
    ):
        assert str(fact) in html
    assert _("The PDF is not digitally signed.") in html
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_public_page_shows_nothing_beyond_the_certificate(client, certificate):
    html = client.get(verify_url(certificate.verification_code)).content.decode()
    data = client.get(json_url(certificate.verification_code)).json()

    for private in (certificate.learner.email, "Секретна установа"):
        assert private not in html
        assert private not in str(data)
    assert "learner" not in data and "email" not in data


def test_the_public_pages_follow_the_site_frame_without_inline_script_or_style(
    client, certificate, settings
):
    pages = [
        client.get(verify_url(certificate.verification_code)),
        client.get(verify_url(UNKNOWN_CODE)),
        client.get(reverse("certificates:verify_form")),
    ]
    settings.VERIFY_RATE_LIMIT = "1/h"
    client.get(verify_url(UNKNOWN_CODE))
    pages.append(client.get(verify_url(UNKNOWN_CODE)))
    for response in pages:
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert '<main id="main"' in html
        assert "style=" not in html
        assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []
        assert '<meta name="robots" content="noindex">' in html


def test_a_hostile_name_in_the_register_is_shown_as_text(client, certificate):
    # The name rule refuses such a name now; a row written before it, or by
    # hand, must still be shown as text.
    hostile = '<img src=x onerror="alert(1)"> Коваленко'
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=hostile)

    html = client.get(verify_url(certificate.verification_code)).content.decode()
    data = client.get(json_url(certificate.verification_code)).json()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Коваленко" in html
    assert data["holder_name"] == hostile


def test_a_revoked_certificate_says_so_without_the_reason(
    client, certificate, superuser
):
    revoke_certificate(certificate=certificate, by=superuser, reason="Таємна причина")

    response = client.get(verify_url(certificate.verification_code))
    data = client.get(json_url(certificate.verification_code)).json()

    assert response.status_code == 200
    assert _("This certificate has been revoked.") in response.content.decode()
    assert "Таємна причина" not in response.content.decode()
    assert data["status"] == "revoked"
    assert data["revoked_on"] is not None
    assert "Таємна причина" not in str(data)


def test_a_superseded_certificate_links_to_its_replacement(
    client, certificate, superuser
):
    new = reissue_certificate(
        certificate=certificate, by=superuser, holder_name="Коваленко Марʼяна"
    )

    html = client.get(verify_url(certificate.verification_code)).content.decode()
    data = client.get(json_url(certificate.verification_code)).json()

    assert _("This certificate has been replaced by a new one.") in html
    assert f'href="{verify_url(new.verification_code)}"' in html
    assert data["status"] == "superseded"
    assert data["superseded_by"] == {
        "number": new.number,
        "verification_url": new.verification_url,
    }


def test_an_unknown_code_answers_404_in_the_same_shape(client, certificate):
    page = client.get(verify_url(UNKNOWN_CODE))
    other = client.get(verify_url("x"))
    data = client.get(json_url(UNKNOWN_CODE))

    assert page.status_code == other.status_code == 404
    assert [t.name for t in page.templates][0] == "certificates/verify_not_found.html"
    assert page.content == other.content
    assert data.status_code == 404
    assert data.json() == {"schema_version": "1", "status": "not_found"}


def test_every_lookup_is_one_query_known_or_not(certificate, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert verification.find_by_code(certificate.verification_code)
    with django_assert_num_queries(1):
        assert verification.find_by_code(UNKNOWN_CODE) is None


# JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["valid", "revoked", "superseded"])
def test_the_json_answer_follows_the_published_schema(
    client, certificate, superuser, status
):
    if status == "revoked":
        revoke_certificate(certificate=certificate, by=superuser, reason="Помилка")
    if status == "superseded":
        reissue_certificate(certificate=certificate, by=superuser, holder_name="Петро")

    response = client.get(json_url(certificate.verification_code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    validate(data, VERIFICATION_SCHEMA)
    assert data["status"] == status
    assert data["number"] == certificate.number
    assert data["ects_credits"] == "1.00"
    assert data["hours"] == 30


def test_the_schema_validator_catches_a_wrong_answer(certificate):
    data = verification.public_facts(certificate)
    for broken in (
        {**data, "hours": "30"},
        {**data, "email": "x@example.org"},
        {**data, "status": "ok"},
        {key: value for key, value in data.items() if key != "number"},
    ):
        with pytest.raises(AssertionError):
            validate(broken, VERIFICATION_SCHEMA)


def test_the_schema_is_published(client):
    response = client.get(reverse("certificates:verification_schema"))
    assert response.status_code == 200
    assert response.json()["required"] == VERIFICATION_SCHEMA["required"]


# The number-and-code form ------------------------------------------------------


def test_the_form_needs_both_the_number_and_the_code(client, certificate):
    response = client.get(
        reverse("certificates:verify_form"), {"number": certificate.number}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_matching_number_and_code_open_the_certificate(client, certificate):
    response = client.get(
        reverse("certificates:verify_form"),
        {"number": certificate.number, "code": certificate.verification_code},
    )
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate.verification_code)


def test_a_number_typed_with_latin_look_alikes_still_matches(client, certificate):
    typed = certificate.number.replace("Р", "P").replace("В", "b").lower()
    response = client.get(
        reverse("certificates:verify_form"),
        {"number": typed, "code": certificate.verification_code},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("mismatch", ["wrong code", "wrong number"])
def test_a_mismatch_looks_exactly_like_an_unknown_code(client, certificate, mismatch):
    number, code = certificate.number, certificate.verification_code
    if mismatch == "wrong code":
        code = UNKNOWN_CODE
    else:
        number = "РВ-2000-000999"
    response = client.get(
        reverse("certificates:verify_form"), {"number": number, "code": code}
    )
    unknown = client.get(
        reverse("certificates:verify_form"),
        {"number": number, "code": "another-unknown-code"},
    )
    assert response.status_code == unknown.status_code == 404
    assert [t.name for t in response.templates][0] == (
        "certificates/verify_not_found.html"
    )
    assert certificate.holder_name not in response.content.decode()


def test_the_number_is_compared_in_constant_time_even_for_unknown_codes(
    certificate, monkeypatch
):
    calls = []

    def recording_compare(a, b):
        calls.append((a, b))
        return a == b

    monkeypatch.setattr(verification, "constant_time_compare", recording_compare)
    verification.find_by_number_and_code(number="РВ-1", code=UNKNOWN_CODE)
    verification.find_by_number_and_code(
        number=certificate.number, code=certificate.verification_code
    )
    assert len(calls) == 2


def test_a_number_alone_reveals_nothing(client, certificate):
    for url in (
        f"/certificates/verify/{certificate.number}/",
        f"/certificates/verify/{certificate.number}.json",
        f"/certificates/verify/{certificate.serial}/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert certificate.holder_name not in response.content.decode()


# Rate limit --------------------------------------------------------------------


def test_parse_rate_understands_the_setting():
    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("5/s") == (5, 1)
    with pytest.raises(ValueError):
        parse_rate("30 per minute")


def test_the_window_lets_the_limit_through_then_refuses_until_it_ends():
    now = 60 * 16_667 + 20.0  # 20 s into a minute window
    answers = [hit(group="t", client="1.2.3.4", rate="2/m", now=now) for _ in "abc"]
    assert answers == [0, 0, 40]
    assert hit(group="t", client="1.2.3.4", rate="2/m", now=now + 40) == 0


def test_too_many_checks_from_one_address_get_429_in_html_and_json(
    client, certificate, settings
):
    settings.VERIFY_RATE_LIMIT = "3/m"
    url = verify_url(certificate.verification_code)
    statuses = [client.get(url).status_code for _ in range(3)]
    refused = client.get(url)
    refused_json = client.get(json_url(certificate.verification_code))
    refused_form = client.get(reverse("certificates:verify_form"))

    assert statuses == [200, 200, 200]
    assert refused.status_code == refused_json.status_code == 429
    assert refused_form.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert [t.name for t in refused.templates][0] == "certificates/rate_limited.html"
    assert refused_json.json()["status"] == "rate_limited"
    assert certificate.holder_name not in refused.content.decode()


def test_the_limit_counts_each_address_separately(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "1/m"
    url = verify_url(certificate.verification_code)
    assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200
