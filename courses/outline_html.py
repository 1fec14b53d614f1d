"""The course outline beside a lesson or a course, as HTML.

Built in Python rather than with the template engine: the outline lists every
module and step of the course with the learner's ticks, and through a
template that loop took more of a lesson page's time than everything else on
it (see bench/RESULTS.md). Every value is escaped; the markup is what the
template gave before.

Nested lists: modules, then their steps, with ticks for what the learner has
done and a mark on locked modules; the link of the page being shown gets
``aria-current="page"``.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def render_outline(progress, current_id=None) -> SafeString:
    enrolled = progress.is_enrolled
    done_mark = (
        '<span class="tick" aria-hidden="true">✓</span>'
        f'<span class="visually-hidden">{escape(_("(completed)"))}</span>'
    )
    locked_mark = f'<span class="lock">{escape(_("(locked)"))}</span>'
    quiz_mark = (
        ' <span class="step-kind">'
        f"{escape(pgettext('outline step kind', 'Quiz'))}</span>"
    )
    current = ' aria-current="page"'
    out = ['<ol class="outline">']
    for state in progress.modules:
        module = state.module
        classes = "outline__module"
        if state.done and enrolled:
            classes += " is-done"
        if state.locked:
            classes += " is-locked"
        out.append(
            f'<li class="{classes}"><a class="outline__module-link"'
            f' href="{escape(module.url)}"'
            f"{current if module.page_id == current_id else ''}>"
            f"{escape(module.title)}</a>"
        )
        if enrolled and state.done:
            out.append(done_mark)
        if state.locked:
            out.append(locked_mark)
        if state.steps:
            out.append('<ol class="outline__steps">')
            for step_state in state.steps:
                step = step_state.step
                step_classes = f"outline__step outline__step--{escape(step.kind)}"
                if step_state.done and enrolled:
                    step_classes += " is-done"
                out.append(
                    f'<li class="{step_classes}"><a href="{escape(step.url)}"'
                    f"{current if step.page_id == current_id else ''}>"
                    f"{escape(step.title)}</a>"
                )
                if step.kind == "quizpage":
                    out.append(quiz_mark)
                if enrolled and step_state.done:
                    out.append(done_mark)
                out.append("</li>")
            out.append("</ol>")
        out.append("</li>")
    out.append("</ol>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
