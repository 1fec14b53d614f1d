"""Quiz building in the Wagtail admin: question editors, ordering, statistics.

``hooks`` registers them; ``courses/wagtail_hooks.py`` imports it.
"""
