"""Events the courses layer announces; higher layers connect to them.

``course_completed`` is sent exactly once per learner and course, after the
transaction that recorded the completion has committed. Arguments:
``sender`` (the Enrolment class), ``enrolment`` (with ``completed_at`` set).
"""

from django.dispatch import Signal

course_completed = Signal()
