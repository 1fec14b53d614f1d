from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.demo import DemoSeedError
from content.demo.accounts import DEMO_ACCOUNTS
from content.demo.seeding import seed_demo


class Command(BaseCommand):
    help = (
        "Створює демонстраційний вміст: сторінки, курс, модулі, уроки, "
        "громади та облікові записи. Повторний запуск нічого не змінює."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Дозволити запуск без DEBUG (паролі тоді не друкуються).",
        )

    def handle(self, *args, allow_production=False, **options):
        # The demo passwords are public, so a production site gets them only
        # when someone asks for it by name.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG вимкнено: демонстраційні облікові записи мають відомі "
                "паролі. Якщо це справді потрібно, додайте --allow-production."
            )
        try:
            result = seed_demo(stdout=self.stdout)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Демовміст готовий: нових сторінок {result.pages}, "
                f"файлів {result.assets}, облікових записів {result.accounts}."
            )
        )
        if settings.DEBUG:
            self.print_logins()

    def print_logins(self):
        self.stdout.write("Демонстраційні облікові записи (лише для розробки):")
        for spec in DEMO_ACCOUNTS.values():
            self.stdout.write(
                f"  {spec['label']}: {spec['email']} / {spec['password']}"
            )
