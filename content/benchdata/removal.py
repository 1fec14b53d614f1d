"""Removing bench learners and everything attached to them, and nothing else.

A bench learner is an account on ``BENCH_DOMAIN``. Their learning records go
by one DELETE per table, with the learners picked by a subquery (certificates
too: ``Certificate.delete`` refuses by design, and these are not a register's
but a benchmark's), then what Django and Wagtail keep per user, then the
accounts: a fixed number of statements whatever the number of learners. The
sample PDFs the bench certificates pointed to are deleted after the commit.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import CASCADE, SET_NULL, QuerySet

from certificates.models import Certificate, NameConfirmation
from certificates.reviewing.models import ReviewAccess
from certificates.storage import private_storage
from content.benchdata import BENCH_DOMAIN, BENCH_PDF_FOLDER, BenchDataError
from courses.models import Completion, Enrolment, QuestionResult, QuizAttempt
from lms.models import ConsentRecord


def bench_learners() -> QuerySet:
    # Addresses are stored in lower case (``EmailUserManager.normalize_email``).
    return get_user_model().objects.filter(email__endswith=f"@{BENCH_DOMAIN}")


def remove_bench_data() -> dict[str, int]:
    """Deletes every bench learner's rows; returns the rows removed per table."""
    learners = bench_learners().values("pk")
    removed = {}
    try:
        with transaction.atomic():
            _forget_pdfs_on_commit(learners)
            for model, field_name, subquery in _learning_steps(learners):
                label = str(model._meta.verbose_name_plural)
                removed[label] = _delete_where(model, field_name, subquery)
            removed[str(get_user_model()._meta.verbose_name_plural)] = _delete_accounts(
                learners
            )
    except IntegrityError as error:
        raise BenchDataError(
            "Бенч-слухачів не видалено: на них посилаються записи, яких "
            f"генератор не створює ({error})."
        ) from error
    return removed


def _forget_pdfs_on_commit(learners: QuerySet) -> None:
    """The sample PDFs of the bench certificates go once their rows are gone."""
    names = set(
        Certificate.objects.filter(
            learner__in=learners, pdf__startswith=BENCH_PDF_FOLDER
        ).values_list("pdf", flat=True)
    )

    def delete_files() -> None:
        for name in names:
            private_storage().delete(name)

    transaction.on_commit(delete_files)


def _learning_steps(learners: QuerySet) -> list[tuple]:
    """(model, field, subquery) in the order that leaves no row pointing to a
    removed one."""
    attempts = QuizAttempt.objects.filter(learner__in=learners).values("pk")
    return [
        (QuestionResult, "attempt", attempts),
        (QuizAttempt, "learner", learners),
        (Completion, "learner", learners),
        (Certificate, "learner", learners),
        (NameConfirmation, "user", learners),
        (Enrolment, "learner", learners),
        (ConsentRecord, "user", learners),
        # Reviewers' reads of bench learners' records are bench artefacts too.
        (ReviewAccess, "learner", learners),
    ]


def _delete_where(model, field_name: str, subquery: QuerySet) -> int:
    """DELETE FROM model WHERE field IN (subquery): one statement, no signals."""
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    select, params = subquery.query.sql_with_params()
    sql = f"DELETE FROM {quote(model._meta.db_table)} WHERE {column} IN ({select})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _set_null_where(model, field_name: str, subquery: QuerySet) -> None:
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    select, params = subquery.query.sql_with_params()
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {column} = NULL "  # noqa: S608
        f"WHERE {column} IN ({select})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _delete_accounts(learners: QuerySet) -> int:
    """The accounts, after what Django keeps per user (groups, Wagtail's
    profile and the like), each relation in one statement.

    Relations that cascade are emptied and those set to NULL on delete are
    set to NULL, as Django would; anything that protects an account is left
    for the database's own foreign keys, which refuse the commit.
    """
    User = get_user_model()
    handled = {model for model, _field, _subquery in _learning_steps(learners)}
    for field in User._meta.get_fields(include_hidden=True):
        if field.many_to_many and field.concrete:  # groups, permissions…
            through = field.remote_field.through
            _delete_where(through, field.m2m_field_name(), learners)
        elif field.many_to_many:  # another model's many-to-many to users
            through = field.through
            _delete_where(through, field.field.m2m_reverse_field_name(), learners)
        elif field.auto_created and not field.concrete:
            if field.related_model in handled:
                continue
            if field.on_delete is CASCADE:
                _delete_where(field.related_model, field.field.name, learners)
            elif field.on_delete is SET_NULL:
                _set_null_where(field.related_model, field.field.name, learners)
    return _delete_where(User, User._meta.pk.name, learners)
