"""Table columns of the reviewers' reports (Wagtail's ``Column`` with our cells)."""

from wagtail.admin.ui.tables import Column

TEMPLATES = "certificates/reviewing/cells/"


class RecordColumn(Column):
    """The value recorded at completion, with the current one when it differs."""

    cell_template_name = TEMPLATES + "record.html"


class LocalDateColumn(Column):
    """A date in Kyiv time, as a date: reviewers file what they see."""

    cell_template_name = TEMPLATES + "local_date.html"

    def __init__(self, *args, date_format: str = "d.m.Y", **kwargs):
        super().__init__(*args, **kwargs)
        self.date_format = date_format


class CertificateColumn(Column):
    cell_template_name = TEMPLATES + "certificate.html"

    def get_value(self, instance):
        return instance


class PercentColumn(Column):
    """A whole or decimal percentage, «—» when there is none."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return "—"
        return (
            f"{value:g} %"
            if isinstance(value, int | float)
            else f"{value.normalize():f} %"
        )
