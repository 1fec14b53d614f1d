"""The bulk verification form: typed lines and/or a file, or the rows carried
back by the export buttons; each input error shown on the field at fault."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.reviewing.bulk_verify.inputs import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    BulkInputError,
    FileTooBig,
    InputRow,
    TooManyRows,
    UnreadableFile,
    UnsupportedFile,
    rows_from_file,
    rows_from_json,
    rows_from_text,
)


class BulkVerifyForm(forms.Form):
    """Typed lines and/or a file; or, from the export buttons, the checked rows."""

    EXPORT_FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))

    numbers = forms.CharField(
        label=_("Certificate numbers"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput)
    export = forms.ChoiceField(
        choices=EXPORT_FORMATS, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].help_text = gettext(
            "One number per line. To compare the holder's name, add it after a "
            "tab, a semicolon or a comma, e.g. «РВ-2026-000123; Коваленко "
            "Марʼяна Іванівна». At most %(limit)s rows."
        ) % {"limit": MAX_ROWS}
        self.fields["file"].help_text = gettext(
            "CSV or XLSX up to %(size)s MB: the number in the first column, the "
            "name (optional) in the second; a header row may be present."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["rows"] = self._rows(cleaned)
        except BulkInputError as error:
            self.add_error(self._field_at_fault(error, cleaned), str(error))
            return cleaned
        if not cleaned["rows"]:
            self.add_error(
                "numbers", _("Type or upload at least one certificate number.")
            )
        return cleaned

    def _rows(self, cleaned) -> list[InputRow]:
        if cleaned.get("export") and cleaned.get("checked"):
            return rows_from_json(cleaned["checked"])
        rows = rows_from_text(cleaned.get("numbers", ""))
        if cleaned.get("file"):
            rows += rows_from_file(cleaned["file"], limit=MAX_ROWS - len(rows))
        return rows

    @staticmethod
    def _field_at_fault(error: BulkInputError, cleaned) -> str | None:
        """Where the error summary links to: the file, the text, or the form."""
        if isinstance(error, UnsupportedFile | FileTooBig | UnreadableFile):
            return "file"
        if isinstance(error, TooManyRows) and not cleaned.get("export"):
            return "numbers" if cleaned.get("numbers", "").strip() else "file"
        return None
