"""Bulk verification in the reviewers' workspace: who may use it, how typed
numbers and names are matched, files, the regional limit, escaping, exports
and the access log (the package certificates/reviewing/bulk_verify/).
"""

import csv
import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import Workbook, load_workbook

from certificates.issuing import confirm_name, issue_certificate, reissue_certificate
from certificates.models import Certificate
from certificates.reviewing.bulk_verify import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    RowStatus,
    name_matches,
    register_number,
)
from certificates.reviewing.models import ReviewAccess
from courses.models import Enrolment
from lms.reference import OBLASTS
from tests import factories
from tests.certificates.fixtures import *  # noqa: F403
from tests.certificates.reviewing_data import (
    OBLAST_NAMES,
    oblast,
    people_of_every_role,
    review_world,
    reviewer,
)
from tests.quiz_factories import tr

pytestmark = pytest.mark.django_db

URL = "/admin/reviews/verify/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world():
    """review_world, plus done_c (Київська) certified and re-issued: done_c's
    first certificate is superseded by ``done_c_new``."""
    world = review_world()
    learner = world.learners["done_c"]
    confirm_name(user=learner, printed_name=learner.get_full_name())
    first = issue_certificate(enrolment=world.enrolment("done_c"))
    world.certificates["done_c_new"] = reissue_certificate(
        certificate=first,
        by=factories.make_superuser(),
        holder_name=learner.get_full_name(),
    )
    first.refresh_from_db()
    world.certificates["done_c"] = first
    return world


@pytest.fixture
def full_reviewer(db):
    return reviewer()


@pytest.fixture
def reviewer_client(client, full_reviewer):
    client.force_login(full_reviewer)
    return client


def check(client, text="", **data):
    return client.post(URL, {"numbers": text, **data})


def rows_of(response):
    assert response.status_code == 200, response.content[:2000]
    return response.context["verification"].rows


def statuses(response) -> list[RowStatus]:
    return [row.status for row in rows_of(response)]


def numbers_of(world, *keys) -> list[str]:
    return [world.certificates[key].number for key in keys]


def unknown(serial: int) -> str:
    return f"РВ-2026-{900000 + serial:06d}"


def upload(name: str, content: bytes, content_type="text/csv"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def csv_file(rows, *, name="list.csv", delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return upload(name, buffer.getvalue().encode(encoding))


def xlsx_file(rows, *, name="list.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return upload(name, output.getvalue(), XLSX_TYPE)


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [error for errors in form.errors.values() for error in errors]


# Who may use it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("learner", False),
        ("editor", False),
        ("moderator", False),
        ("organiser", False),
        ("reviewer", True),
        ("regional reviewer", True),
        ("administrator", True),
    ],
)
def test_only_reviewers_and_administrators_may_verify_in_bulk(client, who, allowed):
    user = people_of_every_role()[who]
    if user is not None:
        client.force_login(user)

    responses = [client.get(URL), check(client, "РВ-2026-000001")]

    for response in responses:
        if allowed:
            assert response.status_code == 200
            continue
        # Refused the way Wagtail refuses: the sign-in page for those without
        # admin access, the dashboard with a message for other staff.
        assert response.status_code == 302
        expected = (
            reverse("wagtailadmin_home")
            if who in ("editor", "moderator", "organiser")
            else reverse("wagtailadmin_login")
        )
        assert response["Location"].split("?")[0] == expected
    assert not ReviewAccess.objects.exists()


def test_the_url_is_named_and_the_page_has_the_form(reviewer_client):
    assert reverse("review_bulk_verify") == URL
    response = reviewer_client.get(URL)
    html = response.content.decode()
    assert 'name="numbers"' in html
    assert 'type="file"' in html
    assert 'for="id_numbers"' in html
    assert "verification" not in response.context


def test_the_reviewers_menu_offers_the_page_to_reviewers_only(client, full_reviewer):
    client.force_login(full_reviewer)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people_of_every_role()["editor"])
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


# Matching ------------------------------------------------------------------------


def test_each_status_is_reported_with_the_certificate_facts(reviewer_client, world):
    text = "\n".join(
        [*numbers_of(world, "done_a", "done_b", "done_c"), unknown(1), "не номер"]
    )
    rows = rows_of(check(reviewer_client, text))

    assert [row.status for row in rows] == [
        RowStatus.VALID,
        RowStatus.REVOKED,
        RowStatus.SUPERSEDED,
        RowStatus.NOT_FOUND,
        RowStatus.MALFORMED,
    ]
    valid = world.certificates["done_a"]
    assert rows[0].certificate.holder_name == valid.holder_name
    assert rows[0].certificate.course_title == valid.course_title
    assert rows[0].certificate.hours == valid.hours
    assert rows[0].certificate.credits == valid.credits
    assert rows[0].certificate.issued_on == valid.issued_on
    assert rows[2].certificate.superseded_by_number == (
        world.certificates["done_c_new"].number
    )
    assert rows[3].certificate is None and rows[4].certificate is None
    assert rows[4].number is None


def test_the_page_shows_the_summary_and_marks_problem_rows_in_words(
    reviewer_client, world
):
    valid = world.certificates["done_a"]
    text = "\n".join(
        [
            f"{valid.number}\tІнша Особа Петрівна",
            unknown(1),
            world.certificates["done_c"].number,
        ]
    )
    response = check(reviewer_client, text)
    html = response.content.decode()
    summary = response.context["summary"]

    assert summary.total == 3
    assert summary.by_status[RowStatus.VALID] == 1
    assert summary.by_status[RowStatus.NOT_FOUND] == 1
    assert summary.name_mismatches == 1
    assert html.count("bulk-verify-problem") == 1
    assert html.count("bulk-verify-mismatch") == 1
    assert tr("not found") in html and tr("does not match") in html
    assert world.certificates["done_c_new"].number in html
    assert "<caption>" in html and '<th scope="col">' in html
    assert '<th scope="row">' in html


@pytest.mark.parametrize(
    "spelling",
    [
        "latin letters",
        "latin lower case",
        "lower case",
        "en dash",
        "em dash",
        "non-breaking hyphen",
        "spaces around",
        "no leading zeros",
    ],
)
def test_numbers_are_found_however_they_are_typed(reviewer_client, world, spelling):
    number = world.certificates["done_a"].number  # e.g. РВ-2026-000001
    prefix, year, serial = number.split("-")
    typed = {
        "latin letters": number.replace("Р", "P").replace("В", "B"),
        "latin lower case": number.replace("Р", "p").replace("В", "b"),
        "lower case": number.lower(),
        "en dash": number.replace("-", "\u2013"),
        "em dash": number.replace("-", "\u2014"),
        "non-breaking hyphen": number.replace("-", "\u2011"),
        "spaces around": f"   {number}  ",
        "no leading zeros": f"{prefix}-{year}-{int(serial)}",
    }[spelling]

    (row,) = rows_of(check(reviewer_client, typed))

    assert row.status == RowStatus.VALID
    assert row.number == number
    assert row.typed_number == typed.strip()


@pytest.mark.parametrize(
    "typed",
    ["hello", "12345", "РВ-26-000001", "РВ-2026-", "РВ2026000001", "ХХ-2026-000001"],
)
def test_what_is_not_shaped_like_a_number_is_a_wrong_format(typed):
    assert register_number(typed) is None


def test_register_numbers_follow_the_configured_format(settings):
    assert register_number("pb-2026-42") == "РВ-2026-000042"
    settings.CERTIFICATE_NUMBER_FORMAT = "CERT/{year}/{number:05d}"
    assert register_number("cert/2026/7") == "CERT/2026/00007"


@pytest.mark.parametrize(
    ("given", "matches"),
    [
        ("Коваленко Марʼяна Іванівна", True),
        ("коваленко марʼяна іванівна", True),
        ("КОВАЛЕНКО МАР'ЯНА ІВАНІВНА", True),
        ("Коваленко Мар’яна  Іванівна ", True),
        ("Коваленко Мар`яна Іванівна", True),
        ("Коваленко Марʼяна", True),
        ("Коваленко", False),
        ("Марʼяна Іванівна", False),
        ("Коваленко Марина Іванівна", False),
        ("Коваленко-Шевчук Марʼяна", False),
    ],
)
def test_names_match_after_normalising_and_without_patronymic(given, matches):
    assert name_matches(given, "Коваленко Марʼяна Іванівна") is matches


def test_double_surnames_match_whatever_hyphen_is_typed():
    assert name_matches("Коваленко – Шевчук Олена", "Коваленко-Шевчук Олена Петрівна")


def test_names_given_after_tab_semicolon_or_comma_are_compared(reviewer_client, world):
    certificate = world.certificates["done_a"]
    surname, given, _patronymic = certificate.holder_name.split(" ")
    text = "\n".join(
        [
            f"{certificate.number}\t{certificate.holder_name.upper()}",
            f"{certificate.number}; {surname} {given}",
            f"{certificate.number},Інша Особа",
            f"{unknown(1)};{certificate.holder_name}",
            certificate.number,
        ]
    )
    rows = rows_of(check(reviewer_client, text))

    assert [row.name_matches for row in rows] == [True, True, False, None, None]
    assert rows[2].typed_name == "Інша Особа"


def test_each_row_is_kept_and_repeats_point_to_the_first(reviewer_client, world):
    number = world.certificates["done_a"].number
    text = "\n".join([number, "", unknown(1), number.lower(), "   ", unknown(1)])
    response = check(reviewer_client, text)
    rows = rows_of(response)

    assert [row.line for row in rows] == [1, 2, 3, 4]
    assert [row.repeat_of for row in rows] == [None, None, 1, 2]
    assert response.context["summary"].repeats == 2
    assert response.context["summary"].total == 4


def test_an_empty_list_asks_for_numbers(reviewer_client):
    response = check(reviewer_client, "\n  \n")
    assert response.status_code == 200
    assert form_errors(response) == [
        tr("Type or upload at least one certificate number.")
    ]
    assert 'id="error-summary"' in response.content.decode()


# The regional limit ----------------------------------------------------------------


def test_a_regional_reviewer_learns_nothing_of_other_oblasts(client, world):
    client.force_login(reviewer(oblasts=[oblast(OBLAST_NAMES[0])]))
    kyiv = world.certificates["done_c_new"]
    text = "\n".join(
        [
            f"{kyiv.number}\t{kyiv.holder_name}",
            f"{unknown(1)}\t{kyiv.holder_name}",
            world.certificates["done_a"].number,
        ]
    )
    response = check(client, text)
    outside, never_issued, own = rows_of(response)

    assert own.status == RowStatus.VALID
    assert outside.status == never_issued.status == RowStatus.NOT_FOUND
    for row in (outside, never_issued):
        assert row.certificate is None and row.name_matches is None
    html = response.content.decode()
    typed_names = f"<small>{kyiv.holder_name}</small>"
    assert kyiv.holder_name not in "".join(table_rows(html)).replace(typed_names, "")
    outside_html, never_issued_html, _own = table_rows(html)
    assert outside_html.replace(kyiv.number, "N") == never_issued_html.replace(
        unknown(1), "N"
    )


def table_rows(html: str) -> list[str]:
    """The rows of the results table, without their row numbers."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.DOTALL)
    return [re.sub(r'<th scope="row">\d+</th>', "", row) for row in rows]


def test_a_regional_reviewer_sees_the_superseded_certificate_of_own_oblast(
    client, world
):
    client.force_login(reviewer(oblasts=[oblast(OBLAST_NAMES[1])]))
    rows = rows_of(check(client, world.certificates["done_c"].number))
    assert rows[0].status == RowStatus.SUPERSEDED


# Files ---------------------------------------------------------------------------


def test_a_csv_with_a_header_and_semicolons_is_read(reviewer_client, world):
    certificate = world.certificates["done_a"]
    file = csv_file(
        [["Номер", "ПІБ"], [certificate.number, certificate.holder_name], [unknown(1)]],
        delimiter=";",
    )
    rows = rows_of(check(reviewer_client, file=file))

    assert [row.status for row in rows] == [RowStatus.VALID, RowStatus.NOT_FOUND]
    assert rows[0].name_matches is True


def test_a_csv_saved_by_excel_in_windows_1251_is_read(reviewer_client, world):
    certificate = world.certificates["done_a"]
    file = csv_file([[certificate.number, certificate.holder_name]], encoding="cp1251")
    (row,) = rows_of(check(reviewer_client, file=file))
    assert row.name_matches is True


def test_typed_lines_and_a_file_are_checked_together(reviewer_client, world):
    file = xlsx_file([["Номер сертифіката"], [world.certificates["done_b"].number]])
    response = check(reviewer_client, world.certificates["done_a"].number, file=file)
    assert statuses(response) == [RowStatus.VALID, RowStatus.REVOKED]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "list.pdf",
            b"%PDF-1.7\n",
            "Upload a CSV or XLSX file (an older XLS file can be saved as XLSX).",
        ),
        (
            "list.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
            "Upload a CSV or XLSX file (an older XLS file can be saved as XLSX).",
        ),
        (
            "list.csv",
            b"\x00\x01\x02binary",
            "The file could not be read. Save it again as CSV (UTF-8) or XLSX and "
            "upload it once more.",
        ),
        (
            "list.xlsx",
            b"PK\x03\x04 not really a zip",
            "The file could not be read. Save it again as CSV (UTF-8) or XLSX and "
            "upload it once more.",
        ),
        (
            "list.csv",
            b'"' + b"x" * 200_000,
            "The file could not be read. Save it again as CSV (UTF-8) or XLSX and "
            "upload it once more.",
        ),
    ],
    ids=["pdf", "xls", "binary csv", "broken xlsx", "endless quoted field"],
)
def test_bad_files_get_a_message_and_never_an_error_page(
    reviewer_client, name, content, message
):
    response = check(reviewer_client, file=upload(name, content))
    assert response.status_code == 200
    assert form_errors(response) == [tr(message)]


def test_a_zip_that_is_no_workbook_is_unreadable(reviewer_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "not a workbook")
    response = check(reviewer_client, file=upload("list.xlsx", archive.getvalue()))
    assert form_errors(response) == [
        tr(
            "The file could not be read. Save it again as CSV (UTF-8) or XLSX and "
            "upload it once more."
        )
    ]


def test_a_workbook_that_unpacks_too_large_is_refused(reviewer_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("xl/sharedStrings.xml", b" " * (41 * 1024 * 1024))
    assert len(archive.getvalue()) < MAX_FILE_BYTES
    response = check(reviewer_client, file=upload("list.xlsx", archive.getvalue()))
    assert response.status_code == 200
    assert len(form_errors(response)) == 1


def test_a_file_over_the_size_limit_is_refused_unread(reviewer_client):
    content = b"x" * (MAX_FILE_BYTES + 1)
    response = check(reviewer_client, file=upload("list.csv", content))
    assert form_errors(response) == [
        tr(
            "The file is larger than %(size)s MB. Upload at most %(rows)s rows.",
            size=2,
            rows=MAX_ROWS,
        )
    ]


# A thousand numbers ----------------------------------------------------------------


def thousand_rows(world) -> list[list[str]]:
    real = [
        [certificate.number, certificate.holder_name]
        for certificate in world.certificates.values()
    ]
    return real + [[unknown(n), "Особа Невідома"] for n in range(MAX_ROWS - len(real))]


def certificate_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "certificates_certificate"' in q["sql"]]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_thousand_rows_are_answered_with_one_lookup(
    reviewer_client, world, make_file, django_assert_max_num_queries
):
    file = make_file(thousand_rows(world))

    with (
        django_assert_max_num_queries(12),
        CaptureQueriesContext(connection) as queries,
    ):
        response = check(reviewer_client, file=file)

    rows = rows_of(response)
    assert len(rows) == MAX_ROWS
    summary = response.context["summary"]
    assert summary.by_status[RowStatus.VALID] == 2
    assert summary.by_status[RowStatus.REVOKED] == 1
    assert summary.by_status[RowStatus.SUPERSEDED] == 1
    assert summary.by_status[RowStatus.NOT_FOUND] == MAX_ROWS - 4
    assert summary.name_mismatches == 0
    assert len(certificate_queries(queries.captured_queries)) == 1


@pytest.mark.parametrize("source", ["typed", "csv", "xlsx", "typed and file"])
def test_more_than_a_thousand_rows_are_refused_and_the_text_kept(
    reviewer_client, source
):
    lines = [unknown(n) for n in range(MAX_ROWS + 1)]
    text, data = "", {}
    if source == "typed":
        text = "\n".join(lines)
    elif source == "csv":
        data["file"] = csv_file([[line] for line in lines])
    elif source == "xlsx":
        data["file"] = xlsx_file([[line] for line in lines])
    else:
        text = "\n".join(lines[:500])
        data["file"] = csv_file([[line] for line in lines[500:]])

    response = check(reviewer_client, text, **data)

    assert response.status_code == 200
    assert "verification" not in response.context
    assert form_errors(response) == [
        tr(
            "The list has more than %(limit)s rows. Check at most %(limit)s "
            "numbers at a time: split the list into parts.",
            limit=MAX_ROWS,
        )
    ]
    assert response.context["form"]["numbers"].value() == text


def test_exactly_a_thousand_typed_rows_are_checked(reviewer_client):
    text = "\n".join(unknown(n) for n in range(MAX_ROWS))
    assert len(rows_of(check(reviewer_client, text))) == MAX_ROWS


# Hostile text ----------------------------------------------------------------------

XSS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
FORMULAS = ('=HYPERLINK("http://example.org","x")', "+1", "-2", "@SUM(1+1)")


def test_hostile_names_are_escaped_in_the_page(reviewer_client, world):
    for key, name in zip(("done_a", "done_b"), XSS, strict=True):
        Certificate.objects.filter(pk=world.certificates[key].pk).update(
            holder_name=name, course_title=name
        )
    text = "\n".join(
        [
            f"{world.certificates['done_a'].number}\t{XSS[1]}",
            world.certificates["done_b"].number,
            XSS[0],
        ]
    )
    html = check(reviewer_client, text).content.decode()

    for payload in XSS:
        assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.fixture
def hostile_world(world):
    """Holder names, a title and a code that a spreadsheet would run."""
    for key, name in zip(("done_a", "done_b", "done_c"), FORMULAS, strict=False):
        Certificate.objects.filter(pk=world.certificates[key].pk).update(
            holder_name=name, course_title=FORMULAS[2], programme_code=FORMULAS[1]
        )
    return world


def hostile_export(client, world, file_format: str):
    """Checks the hostile rows, then presses the export button of the result."""
    text = "\n".join(
        [
            f"{world.certificates['done_a'].number}\t{FORMULAS[3]}",
            world.certificates["done_b"].number,
            world.certificates["done_c"].number,
            f"{FORMULAS[3]}\t{FORMULAS[1]}",
        ]
    )
    checked = check(client, text).context["checked"]
    return check(client, export=file_format, checked=checked)


def assert_neutralised(cells):
    cells = [cell for cell in cells if isinstance(cell, str)]
    for payload in FORMULAS:
        assert payload not in cells
        assert "'" + payload in cells


def test_formulas_are_neutralised_in_the_csv_export(reviewer_client, hostile_world):
    response = hostile_export(reviewer_client, hostile_world, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert len(table) == 5
    assert_neutralised([cell for row in table for cell in row])


def test_formulas_are_neutralised_in_the_xlsx_export(reviewer_client, hostile_world):
    response = hostile_export(reviewer_client, hostile_world, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    table = list(sheet.iter_rows())
    assert len(table) == 5
    assert all(cell.data_type != "f" for row in table for cell in row)
    assert_neutralised([cell.value for row in table for cell in row])


# Export and the access log --------------------------------------------------------


def test_the_export_is_a_post_that_repeats_the_check_and_is_logged(
    reviewer_client, full_reviewer, world
):
    valid = world.certificates["done_a"]
    text = "\n".join([f"{valid.number}\tІнша Особа", unknown(1), valid.number])
    page = check(reviewer_client, text)
    html = page.content.decode()
    assert 'name="export" value="csv"' in html and 'value="xlsx"' in html
    assert ReviewAccess.objects.count() == 0

    response = check(reviewer_client, export="xlsx", checked=page.context["checked"])

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 3
    assert rows[0][:4] == [1, valid.number, valid.number, tr("valid")]
    assert rows[0][header.index(capfirst(tr("ECTS credits")))] == float(valid.credits)
    assert rows[0][header.index(tr("Name check"))] == tr("does not match")
    assert rows[1][header.index(tr("Status"))] == tr("not found")
    assert rows[2][header.index(tr("Note"))] == tr("repeats row %(line)s", line=1)
    access = ReviewAccess.objects.get()
    assert access.user == full_reviewer
    assert access.action == ReviewAccess.Action.EXPORT_VERIFICATION
    assert access.rows == 3
    assert access.filters == {"format": "xlsx", "numbers": valid.number}


def test_a_regional_export_logs_only_what_the_reviewer_could_see(client, world):
    regional = reviewer(oblasts=[oblast(OBLAST_NAMES[0])])
    client.force_login(regional)
    numbers = numbers_of(world, "done_a", "done_b", "done_c_new")
    checked = check(client, "\n".join(numbers)).context["checked"]

    response = check(client, export="csv", checked=checked)

    content = b"".join(response.streaming_content).decode("utf-8")
    assert world.certificates["done_c_new"].holder_name not in content
    access = ReviewAccess.objects.get(user=regional)
    assert access.rows == 3
    assert access.filters["numbers"] == numbers[:2]


def test_an_export_of_a_tampered_list_is_refused_with_a_message(reviewer_client):
    response = check(reviewer_client, export="csv", checked='{"not": "rows"}')
    assert response.status_code == 200
    assert form_errors(response) == [
        tr("The list to export could not be read. Check the numbers again.")
    ]
    assert not ReviewAccess.objects.exists()


def test_only_csv_and_xlsx_exports_exist(reviewer_client):
    response = check(reviewer_client, export="pdf", checked='[["РВ-2026-000001", ""]]')
    assert response.status_code == 200
    assert "verification" not in response.context
    assert not ReviewAccess.objects.exists()


# PostgreSQL at scale ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="timed against the production database"
)
def test_a_thousand_numbers_take_under_two_seconds_among_100000_learners(client):
    numbers = _register_of(learners=100_000, certificates=33_000)
    assert len(numbers) == 33_000
    lines = [f"{number}\tКоваленко Марʼяна" for number in numbers[::65][:500]]
    lines += [unknown(n) for n in range(MAX_ROWS - len(lines))]
    client.force_login(reviewer())
    check(client, numbers[0])  # a warm server: templates compiled, connection open
    for scope, valid in (([], 500), ([oblast(OBLAST_NAMES[0])], 500 // 27)):
        client.force_login(reviewer(oblasts=scope))
        started = time.perf_counter()
        response = check(client, "\n".join(lines))
        elapsed = time.perf_counter() - started
        print(f"\n1,000 numbers, scope {scope or 'all'}: {elapsed * 1000:.0f} ms")
        summary = response.context["summary"]
        assert summary.total == MAX_ROWS
        assert valid <= summary.by_status[RowStatus.VALID] <= valid + 1
        assert elapsed < 2


def _register_of(*, learners: int, certificates: int) -> list[str]:
    """Learners, enrolments in every oblast and certificates (no PDFs), each
    table filled by one INSERT … SELECT that copies a row made by the ORM."""
    oblast_ids = [oblast(name).pk for _code, name in OBLASTS]
    course = factories.build_course(modules=1, lessons_per_module=1).course
    learner = factories.make_user()
    enrolment = Enrolment.objects.create(learner=learner, course=course)
    certificate = Certificate.objects.create(
        number="РВ-2025-000000", year=2025, serial=0, learner=learner,
        course=course, enrolment=enrolment,
        holder_name="Коваленко Марʼяна Іванівна", course_title="Курс", hours=30,
        credits=Decimal("1.00"), provider_name="НАДС", signer_name="Підписант",
        signer_position="Посада", heading="СЕРТИФІКАТ", statement="засвідчує",
        completion_text="…", completed_on="2025-05-01", issued_on="2025-05-02",
        pdf="certificates/0.pdf", pdf_sha256="0" * 64,
    )  # fmt: skip
    sources = {
        "learners": f"generate_series(1, {learners}) AS source(n)",
        "enrolments": (
            "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM lms_user "
            "WHERE email LIKE 'bulk%%' ORDER BY id LIMIT %s) AS source"
        ),
        "certificates": (
            "(SELECT e.id, e.learner_id, row_number() OVER (ORDER BY e.id) AS n "
            "FROM courses_enrolment e JOIN lms_user u ON u.id = e.learner_id "
            "WHERE u.email LIKE 'bulk%%') AS source"
        ),
    }
    with connection.cursor() as cursor:
        # Foreign keys checked per statement: a deferred queue of 100,000
        # checks at the end of the test takes far longer.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _copy_row(cursor, get_user_model(), learner.pk, sources["learners"],
            email="'bulk' || source.n || '@example.org'",
        )  # fmt: skip
        _copy_row(cursor, Enrolment, enrolment.pk, sources["enrolments"],
            [certificates], learner_id="source.id",
            oblast_id=f"(ARRAY{oblast_ids})[1 + mod(source.n, {len(oblast_ids)})]",
        )  # fmt: skip
        _copy_row(cursor, Certificate, certificate.pk, sources["certificates"],
            learner_id="source.learner_id", enrolment_id="source.id",
            number="'РВ-2025-' || lpad(source.n::text, 6, '0')", serial="source.n",
            verification_code="md5(source.n::text || random()::text)",
            pdf="'certificates/' || source.n || '.pdf'",
        )  # fmt: skip
        cursor.execute("ANALYZE")
    numbers = Certificate.objects.filter(year=2025, serial__gt=0).order_by("serial")
    return list(numbers.values_list("number", flat=True))


def _copy_row(cursor, model, pk: int, source: str, params=(), **expressions):
    """Copies of one row, one per row of ``source``, with some columns computed."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [field.column for field in model._meta.concrete_fields]
    columns.remove(model._meta.pk.column)
    values = [
        expressions.get(column, f"template.{quote(column)}") for column in columns
    ]
    # Table and column names come from the model; nothing here is input.
    insert = f"INSERT INTO {table} ({', '.join(map(quote, columns))})"
    select = f"SELECT {', '.join(values)} FROM {table} AS template, {source}"  # noqa: S608
    cursor.execute(f"{insert} {select} WHERE template.id = %s", [*params, pk])
