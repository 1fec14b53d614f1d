"""Panels that tie a quiz page and its questions together in the admin.

``courses.quizzes.models.page`` imports this module (the quiz page shows its
questions with it), so models are imported lazily.
"""

from wagtail.admin.panels import Panel


class QuizQuestionsPanel(Panel):
    """On the quiz page: its questions in order, with links to edit and add them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/quiz_questions_panel.html"

        def get_context_data(self, parent_context=None):
            from courses.quizzes.admin import links

            context = super().get_context_data(parent_context)
            quiz_id = self.instance.pk
            context["saved"] = quiz_id is not None
            if quiz_id is None:
                return context
            user = self.request.user
            questions = question_rows(quiz_id=quiz_id, user=user)
            context.update(
                questions=questions,
                pending_count=sum(1 for row in questions if row["pending"]),
                add_links=links.add_question_links(quiz_id=quiz_id, user=user),
                list_url=links.quiz_questions_url(quiz_id),
                stats_url=links.may_see_stats(user) and links.quiz_stats_url(quiz_id),
            )
            return context


class QuestionQuizPanel(Panel):
    """On a question: its quiz, with links to the quiz's questions and preview."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/question_quiz_panel.html"

        def get_context_data(self, parent_context=None):
            from courses.quizzes.admin import links
            from courses.quizzes.models import QuizPage

            context = super().get_context_data(parent_context)
            quiz_id = self.instance.quiz_id or (
                self.form and self.form.initial.get("quiz")
            )
            quiz = QuizPage.objects.filter(pk=quiz_id).first() if quiz_id else None
            context["quiz"] = quiz
            if quiz is not None:
                context.update(
                    list_url=links.quiz_questions_url(quiz.pk),
                    preview_url=links.quiz_preview_url(quiz.pk),
                    edit_url=links.quiz_edit_url(quiz.pk),
                )
            return context


def question_rows(*, quiz_id: int, user) -> list[dict]:
    """The quiz's questions as the panel lists them, read in one query.

    Each with where it stands in moderation: the text is the approved one
    (what learners get); a pending draft's text is shown beside it.
    """
    from django.db.models import F

    from courses.quizzes.admin import links
    from courses.quizzes.admin.status import (
        has_pending_changes,
        status_tags,
        with_status,
    )
    from courses.quizzes.models import Question

    rows = []
    questions = with_status(
        Question.objects.non_polymorphic()
        .filter(quiz_id=quiz_id)
        .order_by("sort_order", "pk")
        .only(
            "pk",
            "text",
            "points",
            "polymorphic_ctype_id",
            "live",
            "has_unpublished_changes",
            "expired",
            "locked",
            "withdrawn",
        )
        .annotate(draft_text=F("latest_revision__object_str"))
    )
    for question in questions:
        model = links.question_model(question.polymorphic_ctype_id)
        can_edit = links.can(user, model, "change")
        pending = has_pending_changes(question)
        draft_text = question.draft_text if pending else None
        rows.append(
            {
                "text": question.text,
                "draft_text": draft_text if draft_text != str(question) else None,
                "points": question.points,
                "type": model._meta.verbose_name,
                "edit_url": can_edit and links.question_url(model, "edit", question.pk),
                "tags": status_tags(question),
                "pending": pending,
            }
        )
    return rows
