"""Writing bench rows fast: COPY on PostgreSQL, batched INSERTs elsewhere.

Rows are tuples in the order of a ``Table``'s fields. JSON columns are given
as JSON text, made once where it repeats (a quiz's snapshot). Model methods
are bypassed on purpose: ``Certificate.save`` refuses rows it did not load,
and ``bulk_create`` would overwrite every ``auto_now_add`` time with «now».

Rows that others point to get their keys here (``KeyBlock``), so one pass
writes a learner, their enrolment and their attempts without reading back.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import JSONField, Model

from certificates.models import Certificate, NameConfirmation
from courses.models import Completion, Enrolment, QuestionResult, QuizAttempt
from lms.models import ConsentRecord, User


@dataclass(frozen=True)
class Table:
    model: type[Model]
    fields: tuple[str, ...]  # attribute names, e.g. "learner_id"

    @cached_property
    def columns(self) -> list[str]:
        meta = self.model._meta
        return [meta.get_field(name).column for name in self.fields]

    @cached_property
    def name(self) -> str:
        return self.model._meta.db_table

    @cached_property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


USERS = Table(User, (
    "id", "password", "last_login", "is_superuser", "email", "first_name",
    "last_name", "patronymic", "is_staff", "is_active", "date_joined",
    "position_title", "organisation", "position_category_id", "oblast_id",
    "hromada_id", "email_confirmed_at", "anonymised_at",
))  # fmt: skip
CONSENTS = Table(ConsentRecord, ("user_id", "purpose", "notice_version", "given_at"))
ENROLMENTS = Table(Enrolment, (
    "id", "learner_id", "course_id", "enrolled_at", "started_at", "completed_at",
    "oblast_id", "hromada_id", "position_category_id", "organisation",
))  # fmt: skip
COMPLETIONS = Table(Completion, ("learner_id", "course_id", "page_id", "kind",
                                 "completed_at"))  # fmt: skip
ATTEMPTS = Table(QuizAttempt, (
    "id", "learner_id", "quiz_id", "number", "status", "started_at", "deadline",
    "closed_at", "questions", "answers", "answers_saved_at",
    "late_answers_ignored", "results", "score", "max_score", "percent",
    "pass_mark", "passed",
))  # fmt: skip
RESULTS = Table(QuestionResult, (
    "attempt_id", "quiz_id", "question_id", "question_text", "answered", "correct",
    "points_awarded",
))  # fmt: skip
NAME_CONFIRMATIONS = Table(NameConfirmation, ("user_id", "printed_name",
                                              "confirmed_at"))  # fmt: skip
CERTIFICATES = Table(Certificate, (
    "number", "year", "serial", "verification_code", "learner_id", "course_id",
    "enrolment_id", "holder_name", "course_title", "programme_code", "hours",
    "credits", "outcomes", "provider_name", "signer_name", "signer_position",
    "heading", "statement", "completion_text", "logo", "logo_sha256",
    "signature_image", "signature_sha256", "design_id", "completed_on",
    "issued_on", "issued_at", "issued_by_id", "pdf", "pdf_sha256", "signed",
    "status", "revoked_at", "revoked_by_id", "revocation_reason",
))  # fmt: skip

# In the order rows must reach the database (a row before those that point to it).
LEARNING_TABLES = (USERS, CONSENTS, ENROLMENTS, COMPLETIONS, ATTEMPTS, RESULTS,
                   NAME_CONFIRMATIONS)  # fmt: skip
ALL_TABLES = (*LEARNING_TABLES, CERTIFICATES)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def suspend_foreign_keys() -> list[tuple[str, str, str]]:
    """Drops the bench tables' foreign keys (PostgreSQL); returns what to restore.

    PostgreSQL checks a foreign key row by row, which for millions of rows
    costs more than writing them; re-adding the constraint checks every row
    in one join (PostgreSQL's «Populating a Database» advice). Inside the
    generating transaction: nobody sees the tables without them, and a row
    pointing nowhere fails the restore and rolls everything back.
    """
    if not is_postgresql():
        return []
    names = [table.name for table in ALL_TABLES]
    _run_pending_checks()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [names],
        )
        saved = cursor.fetchall()
        for table, name, _definition in saved:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    return saved


def restore_foreign_keys(saved: list[tuple[str, str, str]]) -> None:
    if not saved:
        return
    _run_pending_checks()
    with connection.cursor() as cursor:
        for table, name, definition in saved:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
            )


def _run_pending_checks() -> None:
    """Runs the foreign-key checks the transaction has deferred so far.

    PostgreSQL refuses to alter a table with checks pending (rows written
    earlier in the transaction, e.g. synthetic hromadas); Django's
    ``check_constraints`` does the same two steps.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def write(table: Table, rows: list[tuple]) -> None:
    if not rows:
        return
    if is_postgresql():
        _copy(table, rows)
    else:
        _insert(table, rows)


def _copy(table: Table, rows: list[tuple]) -> None:
    columns = ", ".join(quote(column) for column in table.columns)
    sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(table: Table, rows: list[tuple]) -> None:
    """Batched INSERTs with the fields' own conversions to database values."""
    meta = table.model._meta
    fields = [meta.get_field(name) for name in table.fields]
    convert = [
        None if isinstance(field, JSONField) else field.get_db_prep_save
        for field in fields
    ]
    columns = ", ".join(quote(column) for column in table.columns)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
    values = [
        [
            v if c is None else c(v, connection)
            for c, v in zip(convert, row, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


class KeyBlock:
    """Primary keys handed out past the table's own sequence.

    The table is locked against other writers until the transaction ends, so
    no one else takes a key in between; ``close`` moves the sequence past the
    last key given.
    """

    def __init__(self, table: Table):
        self.table = table
        self.pk = table.model._meta.pk.column
        self.next = self._first()
        self.first = self.next

    def take(self) -> int:
        key = self.next
        self.next += 1
        return key

    def close(self) -> None:
        if is_postgresql() and self.next > self.first:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [quote(self.table.name), self.pk, self.next - 1],
                )

    def _first(self) -> int:
        table = quote(self.table.name)
        with connection.cursor() as cursor:
            if is_postgresql():
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, self.pk]
                )
                return cursor.fetchone()[0]
            # SQLite's AUTOINCREMENT moves its counter past any key inserted.
            pk = quote(self.pk)
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) + 1 FROM {table}")  # noqa: S608
            return cursor.fetchone()[0]


def analyse() -> None:
    """Fresh planner statistics for the tables just filled (PostgreSQL)."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        for table in ALL_TABLES:
            cursor.execute(f"ANALYZE {quote(table.name)}")
