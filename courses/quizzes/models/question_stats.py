import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionTally(models.Model):
    """Running counts of one question's results in one quiz, for editors' statistics.

    Kept per text as drawn: the report shows the results of a deleted question
    by the text stored with them, and a question edited between attempts was
    drawn with more than one. The key holds a digest of the text, since a
    question's text may be longer than a PostgreSQL index entry. Deleting the
    question leaves its rows without the link; such rows are not unique (the
    link is NULL), and the report adds them up by quiz and text.
    """

    quiz = models.ForeignKey(
        "courses.QuizPage", on_delete=models.CASCADE, related_name="+",
        db_index=False,  # the leading column of the unique key
    )  # fmt: skip
    question = models.ForeignKey(
        "courses.Question", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question_text = models.TextField()
    text_digest = models.CharField(max_length=32)
    drawn = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question tally")
        verbose_name_plural = _("question tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question", "text_digest"],
                name="courses_question_tally_key",
            ),
        ]

    def __str__(self):
        return f"{self.quiz_id}: {self.question_id} ({self.drawn})"

    @staticmethod
    def digest(text: str) -> str:
        """The key's stand-in for ``text``: 128 bits of BLAKE2b, in hex."""
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
