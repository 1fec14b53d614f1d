"""Template tags for the next step of a course.

``{% completion_link course as link %}`` gives what a learner who has completed
``course`` does next (``courses.dashboard.completion_link``: the certificate),
a ``NextLink`` with ``label`` and ``url``, or None. No queries.
"""

from django import template

from courses.dashboard import completion_link as next_after_completion

register = template.Library()


@register.simple_tag(takes_context=True)
def completion_link(context, course):
    if course is None:
        return None
    return next_after_completion(request=context.get("request"), course=course)
