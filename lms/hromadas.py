"""Import of hromadas from a КАТОТТГ-style CSV file."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lms.models import Hromada, Oblast

REQUIRED_COLUMNS = ("code", "name", "oblast_code")
TRUE_VALUES = {"1", "true", "так", "yes"}


class HromadaImportError(Exception):
    """The file cannot be imported; the message names the line and the problem."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise HromadaImportError(f"У файлі немає стовпців: {', '.join(missing)}")
        return list(reader)


def _values(row: dict, line: int, oblasts: dict[str, Oblast]) -> dict:
    code, name = row["code"].strip(), " ".join(row["name"].split())
    if not code.startswith("UA") or len(code) != 19 or not code[2:].isdigit():
        raise HromadaImportError(f"Рядок {line}: код «{code}» не схожий на КАТОТТГ")
    if not name:
        raise HromadaImportError(f"Рядок {line}: порожня назва громади")
    oblast = oblasts.get(row["oblast_code"].strip())
    if oblast is None:
        raise HromadaImportError(
            f"Рядок {line}: невідома область «{row['oblast_code']}»"
        )
    kind = (row.get("kind") or "").strip()
    if kind and kind not in Hromada.Kind.values:
        raise HromadaImportError(f"Рядок {line}: невідомий тип громади «{kind}»")
    military = (row.get("military_administration") or "").strip().lower()
    return {
        "name": name,
        "oblast": oblast,
        "kind": kind,
        "military_administration": military in TRUE_VALUES,
    }


@transaction.atomic
def import_hromadas(*, path: Path) -> ImportResult:
    """Creates or updates hromadas by code; the whole file or nothing."""
    oblasts = {oblast.code: oblast for oblast in Oblast.objects.all()}
    existing = {h.code: h for h in Hromada.objects.all()}
    result = ImportResult()
    for line, row in enumerate(_read_rows(path), start=2):
        values = _values(row, line, oblasts)
        current = existing.get(row["code"].strip())
        if current is None:
            Hromada.objects.create(code=row["code"].strip(), **values)
            result.created += 1
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            current.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return result
