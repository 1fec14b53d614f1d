"""Renders sample data through the issuing pipeline, to check fonts and signing."""

from pathlib import Path

from django.core.management.base import BaseCommand

from certificates.document import sample_certificate_data
from certificates.pdf import build_certificate_pdf
from certificates.signing import signing_enabled


class Command(BaseCommand):
    help = (
        "Створює PDF сертифіката зі зразковими даними тим самим шляхом, що й "
        "справжні сертифікати (шрифти, макет, підпис)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Куди записати PDF.")

    def handle(self, *args, out, **options):
        target = Path(out)
        target.write_bytes(build_certificate_pdf(sample_certificate_data()))
        if signing_enabled():
            self.stdout.write(self.style.SUCCESS(f"Підписаний зразок: {target}"))
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Зразок без підпису (CERTIFICATE_SIGNING_P12 не задано): {target}"
                )
            )
