"""Demo content for ``manage.py seed_demo``.

Text lives in plain data modules (``accounts``, ``site_text``, ``course_text``,
``lessons_*``, ``assets_text``); the modules ``assets``, ``pages``, ``people``
and ``seeding`` build database objects from it.
"""


class DemoSeedError(Exception):
    """The demo content cannot be built; the message says what is in the way."""
