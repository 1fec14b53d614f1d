"""Table columns of the applications listing and the overview."""

from wagtail.admin.ui.tables import Column

TEMPLATES = "content/participation/admin/cells/"


class CertificateNumberColumn(Column):
    """The certificate number, with the status of a snapshot no longer valid."""

    cell_template_name = TEMPLATES + "certificate.html"

    def get_value(self, instance):
        return instance


class StatusColumn(Column):
    """The application's status, and the note given with the decision."""

    cell_template_name = TEMPLATES + "status.html"

    def get_value(self, instance):
        return instance
