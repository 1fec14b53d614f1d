import resource
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from content.benchdata import BENCH_DOMAIN, BenchDataError
from content.benchdata.generator import (
    BENCH_PASSWORD,
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    generate_bench_data,
)
from content.benchdata.removal import remove_bench_data

# Recomputes the quiz question counters from QuestionResult rows, which the
# generator writes past grading.
STATS_COMMAND = "rebuild_question_stats"


class Command(BaseCommand):
    help = (
        "Створює дані для вимірювань: N слухачів у першому опублікованому "
        "курсі з записами, проходженням, спробами тестів і сертифікатами. "
        f"Адреси слухачів — на домені {BENCH_DOMAIN}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, metavar="N")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED,
            help="Зерно випадкових чисел: те саме зерно дає ті самі дані.",
        )  # fmt: skip
        parser.add_argument(
            "--fresh", action="store_true",
            help=f"Спершу видалити попередніх слухачів з домену {BENCH_DOMAIN} "
            "і все, що до них належить.",
        )  # fmt: skip
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
            help="Скільки слухачів записувати за раз.",
        )  # fmt: skip
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Дозволити запуск без DEBUG (усі слухачі мають один відомий пароль).",
        )  # fmt: skip

    def handle(self, *args, learners, seed, fresh, batch_size, allow_production,
               **options):  # fmt: skip
        # Every bench account has the same published password.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG вимкнено: бенч-слухачі мають відомий пароль. Якщо це "
                "справді потрібно, додайте --allow-production."
            )
        started = time.monotonic()
        try:
            if fresh:
                self._report("Видалено", remove_bench_data())
            summary = generate_bench_data(
                learners=learners, seed=seed, batch_size=batch_size,
                on_batch=self._progress(learners),
            )  # fmt: skip
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        self._report("Створено", summary.rows)
        if summary.synthetic_hromadas:
            self.stdout.write(
                f"Синтетичних громад (коди UA99…) для областей без громад: "
                f"{summary.synthetic_hromadas}."
            )
        if STATS_COMMAND in get_commands():
            call_command(STATS_COMMAND, stdout=self.stdout)
        self._finish(summary, time.monotonic() - started)

    def _progress(self, total: int):
        def report(done: int) -> None:
            self.stdout.write(f"  слухачів: {done} з {total}")

        return report

    def _report(self, heading: str, counts: dict[str, int]) -> None:
        self.stdout.write(f"{heading}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")

    def _finish(self, summary, seconds: float) -> None:
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово: {summary.learners} слухачів курсу «{summary.course}» за "
                f"{seconds:.1f} с (генерація {summary.seconds:.1f} с), "
                f"памʼять до {peak_mib:.0f} МіБ."
            )
        )
        if settings.DEBUG:
            self.stdout.write(f"Пароль бенч-слухачів: {BENCH_PASSWORD}")
