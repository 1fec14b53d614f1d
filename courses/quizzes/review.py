"""The per-question review of a closed attempt, as HTML.

Built in Python rather than with a template included once per question:
for a 30-question attempt the template engine spent more time on this list
than on the whole rest of the page (see bench/RESULTS.md). Every value is
escaped; the markup is what the template gave before (the result page's
tests read it).
"""

from decimal import Decimal
from html import escape

from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from courses.quizzes.attempts import Detail
from courses.quizzes.selectors import ResultItem


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept, as the ``linebreaksbr`` filter."""
    normalised = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return escape(normalised).replace("\n", "<br>")


def _list(texts: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(str(t))}</li>" for t in texts) + "</ul>"


class _Labels:
    """The words of the review, translated and escaped once per page."""

    def __init__(self):
        right = escape(pgettext("quiz answer mark", "Right"))
        wrong = escape(pgettext("quiz answer mark", "Wrong"))
        self.right = f'<span aria-hidden="true">✓</span> {right}'
        self.partial = escape(pgettext("quiz answer mark", "Partly right"))
        self.wrong = f'<span aria-hidden="true">✗</span> {wrong}'
        self.no_answer = escape(_("No answer"))
        self.your_answer = escape(_("Your answer"))
        self.right_answer = escape(_("The right answer"))
        self.comment = escape(_("Comment on your answer"))
        self.explanation = escape(_("Explanation"))
        self.question = _("Question %(number)s")
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")

    def points(self, awarded: Decimal, points: Decimal) -> str:
        """«1 бал з 1», «2 бали з 3», «0,50 бала з 2»: the noun agrees with
        the points earned; a fraction takes a form of its own."""
        numbers = {"awarded": self.number(awarded), "points": self.number(points)}
        if awarded == awarded.to_integral_value():
            text = ngettext(
                "%(awarded)s point of %(points)s",
                "%(awarded)s points of %(points)s",
                int(awarded),
            )
        else:
            text = pgettext("a fraction of points", "%(awarded)s points of %(points)s")
        return text % numbers

    def number(self, value: Decimal) -> str:
        """Points as ``floatformat:"-2"`` shows them, without its overhead."""
        if value == value.to_integral_value():
            return str(int(value))
        return format(value, ".2f").replace(".", self.decimal_separator)


def _mark(item: ResultItem, labels: _Labels) -> tuple[str, str]:
    if item.correct:
        return "right", labels.right
    if item.partial:
        return "partial", labels.partial
    if item.answered:
        return "wrong", labels.wrong
    return "wrong", labels.no_answer


def _details(item: ResultItem, detail: str, labels: _Labels) -> str:
    given = _list(item.given) if item.given else labels.no_answer
    html = f"<dt>{labels.your_answer}</dt>\n<dd>{given}</dd>"
    if detail == Detail.FULL:
        html += f"\n<dt>{labels.right_answer}</dt>\n<dd>{_list(item.expected)}</dd>"
        if item.feedback:
            paragraphs = "".join(f"<p>{escape(str(t))}</p>" for t in item.feedback)
            html += f"\n<dt>{labels.comment}</dt><dd>{paragraphs}</dd>"
        if item.explanation:
            explanation = _lines(item.explanation)
            html += f"\n<dt>{labels.explanation}</dt><dd>{explanation}</dd>"
    return html


def _mark_line(item: ResultItem, labels: _Labels) -> str:
    """Right or wrong and the points earned; nothing when marks are hidden."""
    if not item.marked:
        return ""
    kind, mark = _mark(item, labels)
    points = escape(labels.points(item.awarded, item.points))
    return (
        f'<p class="quiz-review__mark quiz-review__mark--{kind}">'
        f"{mark} · {points}</p>\n"
    )


def _item(item: ResultItem, detail: str, labels: _Labels) -> str:
    title = escape(labels.question % {"number": item.number})
    return (
        '<li class="quiz-review__item">\n'
        f'<h3 class="quiz-review__title">{title}</h3>\n'
        f"<p>{_lines(item.text)}</p>\n"
        f"{_mark_line(item, labels)}"
        '<dl class="quiz-review__details">\n'
        f"{_details(item, detail, labels)}\n"
        "</dl>\n"
        "</li>"
    )


def review_html(items: list[ResultItem], *, detail: str) -> SafeString:
    """The items of the review list (``<li>`` elements), escaped and ready.

    Every value from a question, an answer or a translation passes through
    ``html.escape`` (quotes included) before it joins the markup. Marks
    appear only for items that carry them, correct answers only at
    ``Detail.FULL``.
    """
    labels = _Labels()
    html = "\n".join(_item(item, detail, labels) for item in items)
    return mark_safe(html)  # noqa: S308 - built only from escaped parts
