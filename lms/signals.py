"""Signals of the people layer, for the apps above it.

``profile_updated`` (``user=``): the person changed their profile through the
site. Sent after the change is saved, inside the request; courses keeps the
enrolments of courses in progress up to date from it. Anonymisation does not
send it: records kept for statistics stay as they were.
"""

from django.dispatch import Signal

profile_updated = Signal()
