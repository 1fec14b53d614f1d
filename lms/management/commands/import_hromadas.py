from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.hromadas import HromadaImportError, import_hromadas


class Command(BaseCommand):
    help = "Імпортує громади з CSV у форматі КАТОТТГ (code,name,oblast_code,kind,…)"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"Файл не знайдено: {path}")
        try:
            result = import_hromadas(path=path)
        except HromadaImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Громади: додано {result.created}, оновлено {result.updated}, "
            f"без змін {result.unchanged}"
        )
