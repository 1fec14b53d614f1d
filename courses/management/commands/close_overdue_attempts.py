from django.core.management.base import BaseCommand

from courses.quizzes.attempts import close_overdue_attempts


class Command(BaseCommand):
    help = (
        "Closes quiz attempts past their deadline and grace period, grading the "
        "answers saved before it. Safe to run repeatedly and in parallel (cron)."
    )

    def handle(self, *args, **options):
        closed = close_overdue_attempts()
        self.stdout.write(f"Closed overdue attempts: {closed}")
