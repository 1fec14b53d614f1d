"""Benchmark data for ``manage.py bench_data``: many learners in the real course.

What it guarantees, whatever the number of learners:

- Every bench learner has an address on ``BENCH_DOMAIN`` (a reserved name that
  never delivers), so bench rows are found, and removed, by that alone; rows
  of anyone else are never written or removed.
- The records obey the progress rules (``docs/progress.md``): a completed
  enrolment has every required step, a passed attempt per required quiz and
  each module's completion; one in progress has fewer; times run enrolled <
  first step < … < completed < issued, all within the last two years.
- Attempts reuse one drawn snapshot per quiz; their answers, results, score,
  percent and pass are those the question types' own ``score()`` gives.
- Certificate numbers come after the per-year counter, which is moved past
  them; every bench certificate points to one real PDF rendered once.
- The same seed (and the same moment ``now``) gives the same data, except
  verification codes, which are random as in production.

Text lives in ``names`` and ``organisations``. ``people`` draws profiles,
``quizplan`` answers and grades, ``journey`` walks a learner through the
outline, ``rows`` turns that into rows, ``register`` numbers certificates,
``tables`` writes (COPY on PostgreSQL), ``removal`` clears, and ``generator``
runs it all in one transaction.
"""

BENCH_DOMAIN = "bench.invalid"
# Where the one rendered PDF of a run is kept, on private storage.
BENCH_PDF_FOLDER = "pdf/bench/"


class BenchDataError(Exception):
    """Bench data cannot be made; the message says what is in the way."""
