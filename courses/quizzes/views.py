"""The learner's side of a quiz: landing, start, the attempt form, autosave, result.

``QuizPage``'s routes delegate here. Every state change is a POST through the
services in ``courses.quizzes.attempts``; attempts are always looked up together with
their learner, so one learner never reaches another's. While an attempt is
open only ``public_questions`` reach a template or a JSON response.
"""

import copy

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.dashboard import completion_link
from courses.models import Enrolment
from courses.outline import build_outline
from courses.progress import CourseProgress, NotEnrolled, ProgressError, get_progress
from courses.quizzes.attempts import (
    AnswersRejected,
    AttemptClosed,
    AttemptNotFound,
    QuizError,
    is_overdue,
    parse_answers,
    public_questions,
    review_detail,
    save_answers,
    start_attempt,
    submit_numbered,
)
from courses.quizzes.forms import general_errors, present_questions, raw_answers
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.review import review_html
from courses.quizzes.selectors import (
    QuizStanding,
    next_after_result,
    questions_per_attempt,
    quiz_standing,
    result_items,
    standing_of,
    unanswered_keys,
)

SAFE = ("GET", "HEAD")


def _url(request, quiz: QuizPage, route: str = "", *args) -> str:
    base = quiz.get_url(request) or ""
    return base + quiz.reverse_subpage(route, args=args) if route else base


def _not_enrolled_message() -> str:
    return _("Enrol in the course to take its tests.")


def _gate(request, quiz: QuizPage):
    """(progress, None) for an enrolled learner, else (None, the refusal)."""
    if not request.user.is_authenticated:
        # A POST cannot be replayed after signing in: come back to the quiz.
        next_url = request.get_full_path() if request.method in SAFE else None
        return None, redirect_to_login(next_url or _url(request, quiz))
    course = quiz.course
    progress = (
        get_progress(learner=request.user, course=course, request=request)
        if course
        else None
    )
    if progress is None or not progress.is_enrolled:
        messages.info(request, _not_enrolled_message())
        return None, redirect(course.get_url(request) if course else "/")
    return progress, None


def _find_attempt(request, quiz: QuizPage, number: int) -> QuizAttempt | None:
    """The signed-in learner's attempt ``number`` at ``quiz``; never another's."""
    return QuizAttempt.objects.filter(
        learner=request.user, quiz=quiz, number=number
    ).first()


def _own_attempt(request, quiz: QuizPage, number: int) -> QuizAttempt:
    current = _find_attempt(request, quiz, number)
    if current is None:
        raise Http404
    return current


def _page_context(
    quiz: QuizPage, progress: CourseProgress | None, *, request=None
) -> dict:
    """The frame every quiz page shares: the quiz, its course and module.

    Without ``progress`` the module comes from the course's cached outline.
    """
    if progress is not None:
        course, outline = progress.course, progress.outline
    else:
        course = quiz.course if quiz.pk else None
        outline = build_outline(course, request) if course else None
    module = outline.module_of(quiz.pk) if outline else None
    return {
        "page": quiz,
        "self": quiz,
        "course": course,
        "module": None if module is None or module.is_final_test else module,
        "progress": progress,
    }


def _urls(request, quiz: QuizPage, standing: QuizStanding | None) -> dict:
    urls = {"landing": _url(request, quiz), "start": _url(request, quiz, "start")}
    if standing and standing.open_attempt:
        number = standing.open_attempt.number
        urls["open_attempt"] = _url(request, quiz, "attempt", number)
    if standing and standing.overdue_attempt:
        number = standing.overdue_attempt.number
        urls["overdue_attempt"] = _url(request, quiz, "attempt", number)
    return urls


# Landing and start -----------------------------------------------------------


def landing(request, quiz: QuizPage):
    if request.method not in SAFE:
        return HttpResponseNotAllowed(SAFE)
    course = quiz.course
    progress = (
        get_progress(learner=request.user, course=course, request=request)
        if course
        else None
    )
    return _render_landing(request, quiz, progress)


def _render_landing(request, quiz, progress, *, error: str = "", status: int = 200):
    enrolled = progress is not None and progress.is_enrolled
    standing = quiz_standing(learner=request.user, quiz=quiz) if enrolled else None
    module_state = progress.module_state_of_step(quiz.pk) if progress else None
    context = {
        **_page_context(quiz, progress),
        "question_count": questions_per_attempt(quiz),
        "standing": standing,
        "next": _next(request, quiz, progress) if enrolled else None,
        "attempt_rows": _attempt_rows(request, quiz, standing),
        "urls": _urls(request, quiz, standing),
        "locked": bool(module_state and module_state.locked),
        "module_state": module_state,
        "error": error,
    }
    return TemplateResponse(request, "courses/quiz_page.html", context, status=status)


def _next(request, quiz: QuizPage, progress):
    """The way on from this quiz: the course's next step or the certificate."""
    finish = None
    if progress is not None and progress.is_completed:
        finish = completion_link(request=request, course=progress.course)
    return next_after_result(progress=progress, quiz=quiz, finish=finish)


def _attempt_rows(request, quiz, standing: QuizStanding | None) -> list[dict]:
    if standing is None:
        return []
    return [
        {
            "attempt": attempt,
            "running": attempt is standing.open_attempt,
            "url": _url(
                request,
                quiz,
                "attempt" if attempt.is_open else "result",
                attempt.number,
            ),
        }
        for attempt in reversed(standing.attempts)
    ]


def start(request, quiz: QuizPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    progress, refusal = _gate(request, quiz)
    if refusal:
        return refusal
    try:
        attempt = start_attempt(learner=request.user, quiz=quiz)
    except NotEnrolled:
        messages.info(request, _not_enrolled_message())
        return redirect(progress.course.get_url(request))
    except (QuizError, ProgressError) as error:
        # Limit reached, waiting time, locked module, no questions.
        return _render_landing(request, quiz, progress, error=str(error), status=403)
    return redirect(_url(request, quiz, "attempt", attempt.number))


# The attempt -------------------------------------------------------------------


def attempt(request, quiz: QuizPage, number: int):
    if request.method not in (*SAFE, "POST"):
        return HttpResponseNotAllowed([*SAFE, "POST"])
    if request.method == "POST" and request.POST.get("action") == "submit":
        return _submit(request, quiz, number)
    progress, refusal = _gate(request, quiz)
    if refusal:
        return refusal
    current = _own_attempt(request, quiz, number)
    if request.method == "POST":
        return _save(request, quiz, current, progress)
    if not current.is_open:
        return redirect(_url(request, quiz, "result", number))
    return _render_attempt(request, quiz, current, progress)


def _save(request, quiz, current: QuizAttempt, progress):
    raw = raw_answers(request.POST, current.questions)
    try:
        save_answers(attempt_id=current.pk, learner=request.user, raw=raw)
    except AnswersRejected as error:
        return _render_attempt(
            request, quiz, current, progress, errors=error.errors, post=request.POST
        )
    except AttemptClosed as error:
        messages.error(request, str(error))
        return redirect(_attempt_home(request, quiz, current))
    except AttemptNotFound as error:
        raise Http404 from error
    messages.success(request, _("Your answers are saved."))
    return redirect(_url(request, quiz, "attempt", current.number))


def _submit(request, quiz: QuizPage, number: int):
    """Grades the attempt and answers with its result in the same response.

    One round trip instead of a redirect and a second request, for learners
    on slow connections; the page carries the result's own address, which
    the browser shows in place of this one. Submitting again (a double
    click, a reload) grades nothing and shows the same result.
    """
    if not request.user.is_authenticated:
        return _gate(request, quiz)[1]
    if not request.POST.get("confirm"):
        held = _hold_unanswered(request, quiz, number)
        if held is not None:
            return held
    try:
        closed, attempts = submit_numbered(
            learner=request.user,
            quiz=quiz,
            number=number,
            answers_from=lambda questions: raw_answers(request.POST, questions),
        )
    except AnswersRejected as error:
        progress, refusal = _gate(request, quiz)
        if refusal:
            return refusal
        current = _own_attempt(request, quiz, number)
        return _render_attempt(
            request, quiz, current, progress, errors=error.errors, post=request.POST
        )
    except AttemptNotFound as error:
        raise Http404 from error
    except ProgressError as error:
        # Not enrolled, or the quiz has left the course.
        messages.info(request, str(error))
        course = quiz.course
        return redirect(course.get_url(request) if course else "/")
    if closed.late_answers_ignored:
        messages.warning(
            request,
            _(
                "The time was up: the answers saved before the deadline were "
                "graded, the ones sent later were not."
            ),
        )
    return _render_result(request, quiz, closed, standing=standing_of(quiz, attempts))


def _hold_unanswered(request, quiz: QuizPage, number: int):
    """Asks before grading an attempt with questions left unanswered.

    Returns the confirmation page, or None to submit at once: when every
    question has an answer, when the time is up (the learner can no longer
    answer, so the attempt is graded as it stands), when the attempt is
    closed or unknown, or when an answer is refused (the submit shows the
    form with the error). The answers posted are saved first, so going back
    to the form loses none of them. «Надіслати все одно» posts ``confirm``.
    """
    current = _find_attempt(request, quiz, number)
    now = timezone.now()
    if current is None or not current.is_open:
        return None
    if current.deadline is not None and now >= current.deadline:
        return None
    raw = raw_answers(request.POST, current.questions)
    try:
        parsed = parse_answers(current, raw)
    except AnswersRejected:
        return None
    if not unanswered_keys(current.questions, {**current.answers, **parsed}):
        return None
    progress, refusal = _gate(request, quiz)
    if refusal:
        return refusal
    try:
        saved = save_answers(attempt_id=current.pk, learner=request.user, raw=raw)
    except (AnswersRejected, AttemptClosed, AttemptNotFound):
        return None  # the submit reports what happened meanwhile
    return _render_unanswered(request, quiz, saved, progress)


def _render_unanswered(request, quiz, current: QuizAttempt, progress):
    public = public_questions(current)
    missing = set(unanswered_keys(current.questions, current.answers))
    fields = present_questions(public, answers=current.answers)
    form_url = _url(request, quiz, "attempt", current.number)
    context = {
        **_page_context(quiz, progress),
        "attempt": current,
        "unanswered": [field for field in fields if field.key in missing],
        "question_count": len(fields),
        "form_url": form_url,
    }
    return TemplateResponse(request, "courses/quiz_unanswered.html", context)


def _attempt_home(request, quiz, current: QuizAttempt) -> str:
    """The result of a closed attempt; the attempt page (time is up) otherwise."""
    current.refresh_from_db(fields=["status"])
    route = "attempt" if current.is_open else "result"
    return _url(request, quiz, route, current.number)


def _render_attempt(request, quiz, current, progress, *, errors=None, post=None):
    public = public_questions(current)
    errors = errors or {}
    context = {
        **_page_context(quiz, progress),
        "attempt": current,
        "overdue": is_overdue(current, timezone.now()),
        "questions": present_questions(
            public, answers=current.answers, post=post, errors=errors
        ),
        "general_errors": general_errors(errors, public),
        "has_errors": bool(errors),
        "form_url": _url(request, quiz, "attempt", current.number),
        "autosave_url": _url(request, quiz, "autosave", current.number),
        "preview": False,
    }
    return TemplateResponse(request, "courses/quiz_attempt.html", context)


def autosave(request, quiz: QuizPage, number: int):
    """Saves the form in the background; the answer says when, never how well."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(_url(request, quiz))
    course = quiz.course
    if not Enrolment.objects.filter(learner=request.user, course=course).exists():
        return _json_error(_not_enrolled_message(), status=403)
    current = _find_attempt(request, quiz, number)
    if current is None:
        return _json_error(_("There is no such attempt."), status=404)
    try:
        saved = save_answers(
            attempt_id=current.pk,
            learner=request.user,
            raw=raw_answers(request.POST, current.questions),
        )
    except AnswersRejected as error:
        return JsonResponse({"errors": error.errors}, status=400)
    except AttemptClosed as error:
        return _json_error(str(error), status=409)
    except AttemptNotFound as error:
        return _json_error(str(error), status=404)
    return JsonResponse({"saved": True, "saved_at": saved.answers_saved_at.isoformat()})


def _json_error(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": message}}, status=status)


# The result --------------------------------------------------------------------


def result(request, quiz: QuizPage, number: int):
    if request.method not in SAFE:
        return HttpResponseNotAllowed(SAFE)
    if not request.user.is_authenticated:
        return _gate(request, quiz)[1]
    # Only the learner's own attempt is looked for; an attempt exists only
    # for an enrolled learner, so the enrolment is checked when there is none.
    current = _find_attempt(request, quiz, number)
    if current is None:
        refusal = _gate(request, quiz)[1]
        if refusal:
            return refusal
        raise Http404
    if current.is_open:
        return redirect(_url(request, quiz, "attempt", number))
    return _render_result(request, quiz, current)


def _render_result(request, quiz: QuizPage, current: QuizAttempt, *, standing=None):
    """The result, and the way on: the course's next step (or the certificate
    once the course is completed) and «Спробувати ще раз» when it can help."""
    if standing is None:
        standing = quiz_standing(learner=request.user, quiz=quiz)
    course = quiz.course
    progress = (
        get_progress(learner=request.user, course=course, request=request)
        if course
        else None
    )
    detail = review_detail(attempt=current, quiz=quiz, attempts=standing.attempts)
    items = result_items(current, detail=detail)
    context = {
        **_page_context(quiz, progress, request=request),
        "next": _next(request, quiz, progress),
        "attempt": current,
        "standing": standing,
        "detail": detail,
        "urls": _urls(request, quiz, standing),
        "result_url": _url(request, quiz, "result", current.number),
        "items": items,
        "review": review_html(items, detail=detail),
    }
    return TemplateResponse(request, "courses/quiz_result.html", context)


# The admin preview -------------------------------------------------------------


def preview(request, quiz: QuizPage):
    """Every question of the pool as a learner's form; nothing is saved."""
    whole_pool = copy.copy(quiz)
    whole_pool.draw_count = None
    throwaway = QuizAttempt(questions=whole_pool.draw_questions() if quiz.pk else [])
    public = public_questions(throwaway)
    context = {
        **_page_context(quiz, None),
        "question_count": questions_per_attempt(quiz),
        "attempt": None,
        "overdue": False,
        "questions": present_questions(public),
        "general_errors": [],
        "has_errors": False,
        "preview": True,
    }
    return TemplateResponse(request, "courses/quiz_attempt.html", context)
