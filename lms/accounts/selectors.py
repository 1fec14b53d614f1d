"""Reads for the "My data" page: the export, shaped for a template."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import data_export
from lms.models import User

Row = tuple[Any, Any]


@dataclass
class DisplaySection:
    key: str
    label: Any
    fields: list[Row] = field(default_factory=list)
    records: list[list[Row]] = field(default_factory=list)
    text: Any = None
    is_empty: bool = False


def export_document(user: User) -> dict[str, Any]:
    """The JSON download: when it was made and every section."""
    return {"exported_at": timezone.now(), "sections": data_export.collect(user)}


def export_json(user: User) -> str:
    return json.dumps(
        export_document(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def display_sections(user: User) -> list[DisplaySection]:
    data = data_export.collect(user)
    return [
        _display_section(section, data[section.key])
        for section in data_export.sections()
    ]


def _display_section(section: data_export.Section, value: Any) -> DisplaySection:
    shown = DisplaySection(key=section.key, label=section.label)
    if isinstance(value, dict):
        shown.fields = _rows(value, section.field_labels)
    elif isinstance(value, list | tuple) and all(isinstance(v, dict) for v in value):
        shown.records = [_rows(record, section.field_labels) for record in value]
    else:
        shown.text = _display_value(value)
    shown.is_empty = value in (None, "", [], {}, ())
    return shown


def _rows(record: dict, labels: dict) -> list[Row]:
    return [(labels.get(key, key), _display_value(v)) for key, v in record.items()]


def _display_value(value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value
