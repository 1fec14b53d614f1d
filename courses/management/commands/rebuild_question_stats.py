from django.core.management.base import BaseCommand

from courses.quizzes.admin.stats import rebuild_tallies


class Command(BaseCommand):
    help = (
        "Counts the quiz question statistics again from every graded question "
        "result, in one transaction. Grading keeps them up to date; run this "
        "after results were loaded or removed past it (bulk loads, repairs)."
    )

    def handle(self, *args, **options):
        rows = rebuild_tallies()
        self.stdout.write(f"Question tallies rebuilt: {rows}")
