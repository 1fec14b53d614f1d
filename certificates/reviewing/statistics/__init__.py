"""Statistics with charts: enrolments and completions over time, completion by
oblast, the funnel, quiz pass rates. /admin/reports/completion-statistics/.

Rules this package keeps:

- Everything is counted within the reviewer's scope (``scope_of``): enrolments
  by their recorded oblast, certificates through their enrolment, quiz
  attempts only of learners whose enrolment in that quiz's course is in scope.
- A fixed number of queries whatever the amount of data: each section is one
  grouped query, counted by the database (``selectors.py``).
- Months are months in Kyiv. The period filter applies to the over-time
  section (enrolments by month of enrolment, completions by month of
  completion); the other sections count every enrolment to date.
- Reviewers read; the page changes nothing.

``period.py`` holds the period, ``filters.py`` the filters form,
``selectors.py`` the queries and their rows, ``charts/`` the SVG drawing and
``views.py`` the page with its URL and menu item, registered on import.
"""

from certificates.reviewing.statistics.filters import Choice, StatisticsForm
from certificates.reviewing.statistics.period import Period
from certificates.reviewing.statistics.selectors import Statistics, gather_statistics
from certificates.reviewing.statistics.views import (
    PERMISSION,
    URL_NAME,
    StatisticsView,
)

__all__ = [
    "PERMISSION",
    "URL_NAME",
    "Choice",
    "Period",
    "Statistics",
    "StatisticsForm",
    "StatisticsView",
    "gather_statistics",
]
