"""Quiz building in the Wagtail admin: question editors, ordering, statistics.

The viewsets are registered in ``courses/wagtail_hooks.py``.
"""
