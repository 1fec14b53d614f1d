"""The quiz engine: quiz pages and questions, attempts and grading, the
learner's pages and the editors' admin, in one package of the ``courses`` app.

Modules:

- ``models/``: ``QuizPage`` (``page``), the question types (``questions``),
  ``QuizAttempt`` and ``QuestionResult`` (``attempts``), ``QuestionTally``
  (``question_stats``). App label ``courses``; ``courses.models`` re-exports
  them, which is how Django finds them.
- ``attempts``: the service — start, save, submit and grade, the sweep of
  overdue attempts, and what a result may show (``review_detail``).
- ``answers``: normalising typed answers (text, numbers).
- ``selectors``: a learner's standing in a quiz, a closed attempt's results.
- ``forms``, ``review``, ``views``: the learner's pages (``QuizPage``'s routes
  delegate to ``views``).
- ``admin/``: question editors, ordering, statistics; ``admin.hooks``
  registers them with Wagtail (imported by ``courses/wagtail_hooks.py``).

The public face — what the rest of the project may use:

- the models, from ``courses.models``;
- ``attempts``: ``start_attempt``, ``save_answers``, ``submit_attempt``,
  ``close_overdue_attempts`` (``manage.py close_overdue_attempts``, the
  worker), the ``QuizError`` family, ``Detail``;
- ``selectors``: ``result_items`` and ``ResultItem`` (transcripts);
- ``answers.AnswerError``; ``admin.rules`` (the admin's checks of a question,
  for demo content); ``admin.stats.rebuild_tallies``
  (``manage.py rebuild_question_stats``).

The rest of ``courses`` does not import this package: the page models name
``"courses.QuizPage"`` as a subpage type, the outline reads its ``required``
flag through the app registry, and progress counts the step kind
``"quizpage"``; grading calls ``courses.progress.record_quiz_pass``. The
engine depends on the page models (``course_of``), ``courses.progress`` and
``courses.outline``, never the other way round.

Nothing is imported here: Django loads the quiz models through this package
while ``courses.models`` is being imported.
"""
