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
            context.update(
                questions=question_rows(quiz_id=quiz_id, user=user),
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
    """The quiz's questions as the panel lists them, read in one query."""
    from courses.quizzes.admin import links
    from courses.quizzes.models import Question

    rows = []
    questions = (
        Question.objects.non_polymorphic()
        .filter(quiz_id=quiz_id)
        .order_by("sort_order", "pk")
        .only("pk", "text", "points", "polymorphic_ctype_id")
    )
    for question in questions:
        model = links.question_model(question.polymorphic_ctype_id)
        can_edit = links.can(user, model, "change")
        rows.append(
            {
                "text": question.text,
                "points": question.points,
                "type": model._meta.verbose_name,
                "edit_url": can_edit and links.question_url(model, "edit", question.pk),
            }
        )
    return rows
