"""Recording reviewers' reads of personal records (the access log)."""

from certificates.reviewing.models import ReviewAccess

# Query-string keys that are not filters (paging, sorting, the export itself).
NOT_FILTERS = {"export", "p", "page", "ordering"}


def record_access(
    *, user, action: str, learner=None, subject: str = "", query=None, rows=None
) -> ReviewAccess:
    """Writes one line of the access log; ``query`` is the request's GET data."""
    filters = {}
    if query is not None:
        filters = {
            key: values if len(values) > 1 else values[0]
            for key, values in query.lists()
            if key not in NOT_FILTERS and any(values)
        }
    return ReviewAccess.objects.create(
        user=user,
        action=action,
        learner=learner,
        subject=subject[:255],
        filters=filters,
        rows=rows,
    )
