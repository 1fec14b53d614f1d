"""Demo content for ``manage.py seed_demo``.

Text lives in plain data modules (``accounts``, ``site_text``, ``course_text``,
``lessons_*``, ``quiz_text``, ``assets_text``); the modules ``assets``,
``pages``, ``quizzes``, ``people`` and ``seeding`` build database objects from it.
"""


class DemoSeedError(Exception):
    """The demo content cannot be built; the message says what is in the way."""
