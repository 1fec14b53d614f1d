"""A reviewer's regional scope: the oblasts whose learners they may see.

``User.review_oblasts`` empty means every oblast. The limit is applied to
querysets here, in one place, and every view of the workspace (reports,
transcripts, exports, charts, counts, the register) reads through it. A
learner is in an oblast by the enrolment's record of where they worked (as
at completion); an enrolment with no oblast recorded is outside every
regional scope.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Scope:
    """Oblast ids a reviewer may see; ``None`` for all of them."""

    oblast_ids: frozenset[int] | None

    @property
    def is_limited(self) -> bool:
        return self.oblast_ids is not None

    def enrolments(self, queryset: QuerySet) -> QuerySet:
        """Enrolments (or anything with an ``oblast`` of that meaning)."""
        if self.oblast_ids is None:
            return queryset
        return queryset.filter(oblast_id__in=self.oblast_ids)

    def certificates(self, queryset: QuerySet) -> QuerySet:
        if self.oblast_ids is None:
            return queryset
        return queryset.filter(enrolment__oblast_id__in=self.oblast_ids)

    def oblasts(self, queryset: QuerySet) -> QuerySet:
        """The oblasts a filter may offer."""
        if self.oblast_ids is None:
            return queryset
        return queryset.filter(pk__in=self.oblast_ids)

    def hromadas(self, queryset: QuerySet) -> QuerySet:
        if self.oblast_ids is None:
            return queryset
        return queryset.filter(oblast_id__in=self.oblast_ids)


def scope_of(user) -> Scope:
    """The user's scope, read once per request (cached on the user object)."""
    cached = getattr(user, "_review_scope", None)
    if cached is not None:
        return cached
    ids = frozenset(user.review_oblasts.values_list("pk", flat=True))
    scope = Scope(oblast_ids=ids or None)
    user._review_scope = scope
    return scope
