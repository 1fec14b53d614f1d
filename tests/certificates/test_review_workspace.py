"""The reviewers' workspace: who may reach it, what it counts, what it leaks.

The completion report, transcripts (page, print, PDF), the certificate
register with its export, certificate downloads by staff and the access log,
on the known dataset of ``review_world()`` (see its docstring).
"""

import csv
import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.reviewing.models import ReviewAccess
from courses.models import Enrolment
from lms.accounts.services import anonymise_user, update_profile
from tests.certificates.fixtures import *  # noqa: F403 - private_media
from tests.certificates.reviewing_data import (
    OBLAST_NAMES,
    people_of_every_role,
    review_world,
    reviewer,
)

pytestmark = pytest.mark.django_db
LUHANSK, KYIV, LVIV = OBLAST_NAMES
REPORT = "/admin/reports/completions/"
REGISTER = "/admin/certificates/register/"
SCRIPT = "<script>alert('x')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def world():
    return review_world()


@pytest.fixture
def people(world):
    return people_of_every_role()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def reviewer_urls(world) -> dict[str, str]:
    luhansk_learner = world.learners["done_a"].pk
    certificate = world.certificates["done_a"]
    return {
        "report": REPORT,
        "report results": REPORT + "results/",
        "report csv": REPORT + "?export=csv",
        "report xlsx": REPORT + "?export=xlsx",
        "transcript": reverse("review_transcript", args=[luhansk_learner]),
        "transcript print": reverse("review_transcript_print", args=[luhansk_learner]),
        "transcript pdf": reverse("review_transcript_pdf", args=[luhansk_learner]),
        "register": reverse("certificate_register:index"),
        "register csv": reverse("certificate_register:index") + "?export=csv",
        "register inspect": reverse(
            "certificate_register:inspect", args=[certificate.pk]
        ),
        "register history": reverse(
            "certificate_register:history", args=[certificate.pk]
        ),
        "certificate pdf": certificate.download_url,
    }


ALLOWED = {"reviewer", "regional reviewer", "administrator"}


@pytest.mark.parametrize(
    "role",
    ["anonymous", "learner", "editor", "moderator", "organiser", "reviewer",
     "regional reviewer", "administrator"],
)  # fmt: skip
def test_every_reviewer_url_answers_each_role_as_it_should(world, people, role):
    client = client_for(people[role])
    for name, url in reviewer_urls(world).items():
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, (role, name)
        elif role == "anonymous":
            assert response.status_code == 302, (role, name)
            assert "login" in response["Location"], (role, name)
        else:
            # Wagtail refuses with a redirect to the dashboard or 403; the
            # public download answers 404. Never the page itself.
            assert response.status_code in (302, 403, 404), (role, name)
            if response.status_code == 302:
                assert "login" not in response["Location"] or role == "learner"


def test_the_access_log_report_is_for_administrators_only(world, people):
    url = reverse("review_access_log")
    assert client_for(people["administrator"]).get(url).status_code == 200
    for role in ("reviewer", "regional reviewer", "editor", "organiser", "learner"):
        assert client_for(people[role]).get(url).status_code in (302, 403), role


def test_reviewers_change_nothing_in_the_register(world, people):
    client = client_for(people["reviewer"])
    certificate = world.certificates["done_a"]
    for name in ("revoke", "reissue"):
        url = reverse(f"certificate_register:{name}", args=[certificate.pk])
        assert client.post(url, {"reason": "x", "holder_name": "Х Х"}).status_code in (
            302,
            403,
        )
    certificate.refresh_from_db()
    assert certificate.is_valid


# The completion report ---------------------------------------------------------


def report_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(REPORT + "?export=csv" + (f"&{query}" if query else ""))
    assert response.status_code == 200
    return csv_rows(response)


def test_one_row_per_enrolment_with_status_progress_scores_and_certificate(
    world, people
):
    header, *rows = report_rows(client_for(people["reviewer"]))
    by_surname = {
        row[0].split()[0]: dict(zip(header, row, strict=True)) for row in rows
    }
    assert len(rows) == 6
    status, progress = header[6], header[7]
    best_1, best_2, final = header[-3:]
    done_a = by_surname["Прізвище-donea"]
    assert (done_a[status], done_a[progress]) == ("завершив", "100")
    assert (done_a[best_1], done_a[best_2], done_a[final]) == ("100", "80", "90")
    assert done_a[header[10]] == world.certificates["done_a"].number
    done_b = by_surname["Прізвище-doneb"]
    assert done_b[header[10]] == world.certificates["done_b"].number
    assert done_b[header[11]] == str(Certificate.Status.REVOKED.label)
    assert by_surname["Прізвище-donec"][header[10]] == ""
    going = by_surname["Прізвище-going"]
    assert (going[status], going[progress]) == ("навчається", "20")
    failing = by_surname["Прізвище-failing"]
    assert (failing[status], failing[best_1]) == ("навчається", "0")
    idle = by_surname["Прізвище-idle"]
    assert (idle[status], idle[progress], idle[best_1]) == ("записаний", "0", "")
    assert {row[3] for row in rows} == {LUHANSK, KYIV, LVIV}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=completed", {"donea", "doneb", "donec"}),
        ("status=learning", {"going", "failing"}),
        ("status=enrolled", {"idle"}),
        ("oblast={luhansk}", {"donea", "doneb"}),
        ("oblast={kyiv}&status=completed", {"donec"}),
        ("organisation=Рада%20going", {"going"}),
        ("hromada=Громада%2041", {"donec", "going"}),
        ("hromada=%20Громада%20%2041", {"donec", "going"}),
        ("q=Прізвище-idle", {"idle"}),
        ("q={certificate}", {"donea"}),
        ("q=nobody-such", set()),
    ],
)
def test_filters_and_search_narrow_the_rows_and_the_export(
    world, people, query, expected
):
    query = query.format(
        luhansk=world.oblasts[LUHANSK].pk,
        kyiv=world.oblasts[KYIV].pk,
        certificate=world.certificates["done_a"].number,
    )
    _header, *rows = report_rows(client_for(people["reviewer"]), query)
    assert {row[0].split()[0].removeprefix("Прізвище-") for row in rows} == expected


def test_a_hromada_is_found_by_part_of_its_name_whatever_apostrophe_is_typed(
    world, people
):
    hromada = world.hromadas[KYIV]
    hromada.name = "Мар’янівська сільська територіальна громада"
    hromada.save()
    for typed in ("Мар'янів", "Марʼянів", "Мар’янівська"):
        _header, *rows = report_rows(client_for(people["reviewer"]), f"hromada={typed}")
        assert {row[0].split()[0] for row in rows} == {
            "Прізвище-donec",
            "Прізвище-going",
        }, typed


def test_search_finds_a_learner_by_e_mail(world, people):
    email = world.learners["going"].email
    _header, *rows = report_rows(client_for(people["reviewer"]), f"q={email}")
    assert [row[0].split()[0] for row in rows] == ["Прізвище-going"]


def test_the_report_page_lists_the_rows_with_links_to_transcripts(world, people):
    html = client_for(people["reviewer"]).get(REPORT).content.decode()
    for learner in world.learners.values():
        assert reverse("review_transcript", args=[learner.pk]) in html
    assert world.certificates["done_a"].number in html
    assert "годин" not in html  # dates as dates, never «… hours ago»


def test_the_page_and_the_export_cost_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    from courses.progress import enrol  # noqa: PLC0415
    from tests import factories  # noqa: PLC0415
    from tests.certificates.reviewing_data import oblast  # noqa: PLC0415

    client = client_for(people["reviewer"])
    client.get(REPORT)  # warm caches (outline, site)
    with django_assert_max_num_queries(30) as small:
        client.get(REPORT)
    for _ in range(25):
        learner = factories.make_user(oblast=oblast(LVIV))
        enrol(learner=learner, course=world.tree.course)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(REPORT)


# Regional scope ----------------------------------------------------------------


def test_a_regional_reviewer_sees_only_their_oblasts_everywhere(world, people):
    client = client_for(people["regional reviewer"])
    _header, *rows = report_rows(client)
    assert {row[3] for row in rows} == {LUHANSK}
    kyiv_learner = world.learners["done_c"]
    for url in (
        reverse("review_transcript", args=[kyiv_learner.pk]),
        reverse("review_transcript_pdf", args=[kyiv_learner.pk]),
        reverse("review_transcript_print", args=[kyiv_learner.pk]),
    ):
        assert client.get(url).status_code == 404, url
    register = csv_rows(
        client.get(reverse("certificate_register:index") + "?export=csv")
    )
    assert [row[0] for row in register[1:]] == sorted(
        (world.certificates["done_b"].number, world.certificates["done_a"].number),
        reverse=True,
    )
    # An oblast filter outside the scope cannot widen it.
    outside = report_rows(client, f"oblast={world.oblasts[KYIV].pk}")
    assert {row[3] for row in outside[1:]} <= {LUHANSK}


def test_a_regional_reviewer_cannot_open_or_download_a_certificate_elsewhere(world):
    kyiv = Enrolment.objects.get(learner=world.learners["done_c"])
    from certificates.issuing import confirm_name, issue_certificate  # noqa: PLC0415

    learner = world.learners["done_c"]
    confirm_name(user=learner, printed_name=learner.get_full_name())
    certificate = issue_certificate(enrolment=kyiv)
    client = client_for(reviewer(oblasts=[world.oblasts[LUHANSK]]))
    for url in (
        reverse("certificate_register:inspect", args=[certificate.pk]),
        reverse("certificate_register:history", args=[certificate.pk]),
        certificate.download_url,
    ):
        assert client.get(url).status_code == 404, url


def test_filters_offer_only_the_oblasts_in_scope(world, people):
    html = client_for(people["regional reviewer"]).get(REPORT).content.decode()
    assert LUHANSK in html and KYIV not in html and LVIV not in html


# Records at completion ---------------------------------------------------------


def test_a_profile_edit_after_completion_keeps_the_record_and_shows_the_change(
    world, people
):
    learner = world.learners["done_a"]
    update_profile(
        user=learner,
        changes={"oblast": world.oblasts[KYIV], "organisation": "Нова рада"},
    )
    header, *rows = report_rows(client_for(people["reviewer"]))
    row = next(r for r in rows if r[0].startswith("Прізвище-donea"))
    values = dict(zip(header, row, strict=True))
    assert values[header[3]] == LUHANSK  # counted where it was at completion
    assert values[header[1]] == "Рада done_a"
    assert values[header[13]] == KYIV  # and the change beside it
    assert values[header[12]] == "Нова рада"
    luhansk = report_rows(
        client_for(people["reviewer"]), f"oblast={world.oblasts[LUHANSK].pk}"
    )
    assert len(luhansk) - 1 == 2  # the count by oblast did not move


def test_an_anonymised_learner_still_counts_where_they_completed(world, people):
    anonymise_user(user=world.learners["done_a"])
    header, *rows = report_rows(
        client_for(people["reviewer"]), f"oblast={world.oblasts[LUHANSK].pk}"
    )
    assert len(rows) == 2
    anonymised = next(r for r in rows if not r[0].startswith("Прізвище-"))
    assert anonymised[1] == "Рада done_a"
    assert anonymised[2] and anonymised[4]  # category and hromada kept


# Hostile text --------------------------------------------------------------------


def test_learner_typed_text_is_escaped_and_neutralised_everywhere():
    world = review_world(
        names={
            "done_a": {"organisation": f"{SCRIPT}{IMAGE}"},
            "going": {"organisation": FORMULA},
        }
    )
    # Names with markup cannot be registered; written straight into the rows,
    # as old data or an administrator's typing might have it.
    learner = world.learners["done_a"]
    type(learner).objects.filter(pk=learner.pk).update(last_name=SCRIPT)
    Certificate.objects.filter(pk=world.certificates["done_a"].pk).update(
        holder_name=f"{IMAGE} {FORMULA}"
    )
    client = client_for(reviewer())
    for url in (
        REPORT,
        reverse("review_transcript", args=[learner.pk]),
        reverse("review_transcript_print", args=[learner.pk]),
        reverse("certificate_register:index"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    report = csv_rows(client.get(REPORT + "?export=csv"))
    register = csv_rows(
        client.get(reverse("certificate_register:index") + "?export=csv")
    )
    workbook = xlsx_rows(client.get(REPORT + "?export=xlsx"))
    cells = [cell for row in [*report, *register, *workbook] for cell in row]
    dangerous = [
        cell
        for cell in cells
        if isinstance(cell, str) and cell and cell[0] in "=+-@\t\r"
    ]
    assert dangerous == []
    assert f"'{FORMULA}" in cells


# Transcripts ---------------------------------------------------------------------


def test_the_transcript_shows_steps_attempts_with_answers_and_certificate_history(
    world, people
):
    learner = world.learners["done_b"]
    html = unescape(
        client_for(people["reviewer"])
        .get(reverse("review_transcript", args=[learner.pk]))
        .content.decode()
    )
    certificate = world.certificates["done_b"]
    assert certificate.number in html
    assert "Помилка в даних" in html  # the revocation and its reason
    for lesson in world.tree.lessons:
        assert lesson.title in html
    for quiz in world.quizzes:
        assert quiz.title in html
    assert html.count("Питання 10") == 3  # every question of every attempt


def test_the_transcript_pdf_is_a_pdf_with_the_learners_name(world, people):
    from tests.certificates.pdf_support import pdf_text  # noqa: PLC0415

    learner = world.learners["done_a"]
    response = client_for(people["reviewer"]).get(
        reverse("review_transcript_pdf", args=[learner.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    text = re.sub(r"\s+", " ", pdf_text(response.content))
    assert learner.last_name in text
    assert world.certificates["done_a"].number in text


def test_a_transcript_costs_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    client = client_for(people["reviewer"])
    few = reverse("review_transcript", args=[world.learners["idle"].pk])
    many = reverse("review_transcript", args=[world.learners["done_b"].pk])
    client.get(few)
    with django_assert_max_num_queries(40) as baseline:
        client.get(few)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(many)


# The access log -------------------------------------------------------------------


def test_transcripts_downloads_and_exports_are_logged(world, people):
    user = people["reviewer"]
    client = client_for(user)
    learner = world.learners["done_a"]
    client.get(reverse("review_transcript", args=[learner.pk]))
    client.get(reverse("review_transcript_pdf", args=[learner.pk]))
    client.get(world.certificates["done_a"].download_url)
    report_rows(client, f"oblast={world.oblasts[LUHANSK].pk}")
    client.get(reverse("certificate_register:index") + "?export=xlsx")
    entries = list(ReviewAccess.objects.filter(user=user).order_by("pk"))
    assert [entry.action for entry in entries] == [
        ReviewAccess.Action.TRANSCRIPT,
        ReviewAccess.Action.TRANSCRIPT_PDF,
        ReviewAccess.Action.CERTIFICATE_PDF,
        ReviewAccess.Action.EXPORT_COMPLETIONS,
        ReviewAccess.Action.EXPORT_REGISTER,
    ]
    assert entries[0].learner == learner
    assert entries[2].subject == world.certificates["done_a"].number
    assert entries[3].filters == {"oblast": str(world.oblasts[LUHANSK].pk)}
    assert entries[3].rows == 2
    html = client_for(people["administrator"]).get(reverse("review_access_log"))
    assert user.email in html.content.decode()


def test_a_learner_downloading_their_own_certificate_is_not_logged(world):
    learner = world.learners["done_a"]
    response = client_for(learner).get(world.certificates["done_a"].download_url)
    assert response.status_code == 200
    assert not ReviewAccess.objects.exists()


# Register pages ----------------------------------------------------------------------


def test_the_inspect_page_shows_names_yes_no_and_dates(world, people):
    certificate = world.certificates["done_b"]
    html = unescape(
        client_for(people["reviewer"])
        .get(reverse("certificate_register:inspect", args=[certificate.pk]))
        .content.decode()
    )
    main = html[html.index("<dl") : html.rindex("</dl>")]
    assert "None" not in main and "True" not in main and "False" not in main
    assert "тому" not in main  # not «3 години тому»
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", main)
    revoker = certificate.revoked_by
    assert revoker.get_full_name() in main


def test_a_reviewer_sees_a_way_to_the_workspace_on_the_public_site(world, people):
    html = client_for(people["reviewer"]).get("/").content.decode()
    assert f'href="{REPORT}"' in html
    learner_html = client_for(people["learner"]).get("/").content.decode()
    assert REPORT not in learner_html


def test_the_register_list_costs_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    client = client_for(people["reviewer"])
    client.get(REGISTER)
    with django_assert_max_num_queries(40) as baseline:
        client.get(REGISTER)
    from certificates.issuing import confirm_name, issue_certificate  # noqa: PLC0415

    for key in ("done_c",):
        learner = world.learners[key]
        confirm_name(user=learner, printed_name=learner.get_full_name())
        issue_certificate(enrolment=world.enrolment(key))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(REGISTER)


# Access from migrations, and the menu --------------------------------------------


def test_role_groups_get_admin_access_and_permissions_from_migrations(db):
    from django.contrib.auth.models import Group  # noqa: PLC0415

    from lms.roles import ORGANISERS, REVIEWERS  # noqa: PLC0415

    def codes(name):
        group = Group.objects.get(name=name)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }

    assert codes(REVIEWERS) == {
        "wagtailadmin.access_admin",
        "courses.view_enrolment",
        "certificates.view_certificate",
        "certificates.download_any_certificate",
    }
    assert codes(ORGANISERS) == {
        "wagtailadmin.access_admin",
        "content.view_application",
        "content.decide_application",
    }


def test_a_reviewer_sees_only_the_reviewing_menu(world, people):
    from django.test import RequestFactory  # noqa: PLC0415
    from wagtail.admin.menu import admin_menu  # noqa: PLC0415

    request = RequestFactory().get("/admin/")
    request.user = people["reviewer"]
    items = admin_menu.menu_items_for_request(request)
    from wagtail import hooks  # noqa: PLC0415

    for hook in hooks.get_hooks("construct_main_menu"):
        hook(request, items)
    assert [item.name for item in items] == ["reviewing"]
    names = {item.name for item in items[0].menu.menu_items_for_request(request)}
    assert names == {
        "completion-report",
        "completion-statistics",
        "certificate-register",
        "review-bulk-verify",
        "participation-funnel",
    }


def test_the_reviewers_admin_home_links_every_part_of_the_workspace(world, people):
    from django.test import Client  # noqa: PLC0415

    client = Client()
    client.force_login(people["reviewer"])

    html = client.get("/admin/").content.decode()

    for url in (
        "/admin/reports/completions/",
        "/admin/reports/completion-statistics/",
        "/admin/certificates/register/",
        "/admin/reviews/verify/",
        "/admin/reports/participation/",
    ):
        assert f'href="{url}"' in html, url
