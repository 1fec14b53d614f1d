"""The site's search backend: Wagtail's database backend, plus one query type.

``WordStarts`` asks for pages holding every word of the query in any of its
forms, for the learners' search (content/search.py). PostgreSQL has no
Ukrainian stemmer, so each word is cut to the start its forms share
(``word_start``: «петиції» → «петиц») and matched as a prefix in the index's
full-text vectors (``'петиц':*``), which their GIN index serves. Trigram
similarity (``Fuzzy``) was measured first and dropped: it compares the query
with every indexed text in full (seconds for a thousand lessons) and finds
two words only where they stand side by side.

Everything else is Wagtail's own: other queries (the admin's searches) are
compiled exactly as before, and on SQLite, the embedded default, the backend
is Wagtail's and ``WordStarts`` is a plain ``PlainText`` of whole words.
"""

import re
from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import (
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from wagtail.search.query import PlainText

_WORD = re.compile(r"\w+")


def word_start(word: str) -> str:
    """The start of a word that its Ukrainian forms share, near enough:
    «петиції» → «петиц» (петиція, петицій), «громади» → «грома», «ради» → «рад».
    """
    word = word.lower()
    if len(word) <= 3 or not word.isalpha():  # numbers and codes stay whole
        return word
    if len(word) <= 5:
        return word[: max(3, len(word) - 1)]
    return word[:-2]


def word_starts(text: str) -> list[str]:
    """The starts of the query's words (of two letters or more), once each."""
    words = _WORD.findall(text)
    return list(dict.fromkeys(word_start(word) for word in words if len(word) > 1))


class WordStarts(PlainText):
    """Every word of the query, in any form (PostgreSQL; whole words elsewhere)."""

    def __init__(self, query_string: str):
        super().__init__(query_string, operator="and")


class WordStartsQueryCompiler(PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        starts = word_starts(query.query_string) if type(query) is WordStarts else []
        if invert or not starts:
            return super().build_tsquery_content(query, config=config, invert=invert)
        lexemes = [Lexeme(start, prefix=True) for start in starts]
        return SearchQuery(reduce(and_, lexemes), search_type="raw", config=config)


class WordStartsPostgresBackend(PostgresSearchBackend):
    query_compiler_class = WordStartsQueryCompiler


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up
    if connection.vendor == "postgresql":
        return WordStartsPostgresBackend(params)
    return DatabaseSearchBackend(params)
