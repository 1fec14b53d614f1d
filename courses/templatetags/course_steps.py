"""Template tags for the next step of a course.

``{% completion_link course as link %}`` gives what a learner who has completed
``course`` does next (``courses.dashboard.completion_link``: the certificate),
a ``NextLink`` with ``label`` and ``url``, or None. No queries.

``{% course_outline progress current_id %}`` prints the course outline with
the learner's ticks (``courses.outline_html``). No queries.
"""

from django import template

from courses.dashboard import completion_link as next_after_completion
from courses.outline_html import render_outline

register = template.Library()


@register.simple_tag(takes_context=True)
def completion_link(context, course):
    if course is None:
        return None
    return next_after_completion(request=context.get("request"), course=course)


@register.simple_tag
def course_outline(progress, current_id=None):
    return render_outline(progress, current_id)
