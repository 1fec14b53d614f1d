"""What makes a question answerable, checked on plain data.

The admin forms and the demo content use the same rules, so seeded questions
are questions an editor could have saved.
"""

from decimal import Decimal

from django.utils.translation import gettext as _


def choice_errors(correct: list[bool], *, single: bool) -> list[str]:
    """Problems with the options of a choice question, given their «correct» flags."""
    errors = []
    if len(correct) < 2:
        errors.append(_("Add at least two options."))
    right = sum(correct)
    if single and right != 1:
        errors.append(_("Mark exactly one option as correct."))
    if not single and right < 1:
        errors.append(_("Mark at least one option as correct."))
    return errors


def pair_errors(pairs: list[tuple[str, str]]) -> list[str]:
    errors = []
    if len(pairs) < 2:
        errors.append(_("Add at least two pairs."))
    lefts = [_folded(left) for left, _right in pairs]
    rights = [_folded(right) for _left, right in pairs]
    if len(set(lefts)) < len(lefts) or len(set(rights)) < len(rights):
        # Two equal texts on one side would make the right match ambiguous.
        errors.append(_("Items and their matches must differ from one another."))
    return errors


def item_errors(items: list[str]) -> list[str]:
    errors = []
    if len(items) < 2:
        errors.append(_("Add at least two items."))
    folded = [_folded(item) for item in items]
    if len(set(folded)) < len(folded):
        errors.append(_("Items must differ from one another."))
    return errors


def accepted_answer_errors(text: str) -> list[str]:
    if not any(line.strip() for line in (text or "").splitlines()):
        return [_("Enter at least one accepted answer, one per line.")]
    return []


def tolerance_errors(tolerance: Decimal | None) -> list[str]:
    if tolerance is not None and tolerance < 0:
        return [_("The tolerance cannot be negative.")]
    return []


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
