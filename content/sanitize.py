"""The one place HTML from editors is cleaned; wraps bleach with an allow-list.

A leaf module: it imports only bleach (and the standard library), so lower
layers (lesson blocks in ``courses``) may use it without depending on the
rest of ``content``.
"""

import threading

import bleach

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code",
        "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul",
    }
)  # fmt: skip

# No "style" anywhere: inline CSS can hide or overlay content. No event
# handlers: they are never in the list.
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "hreflang"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan", "headers"],
    "th": ["colspan", "rowspan", "headers", "scope", "id"],
    "time": ["datetime"],
    "ol": ["start", "reversed"],
    "*": ["lang", "dir"],
}
ALLOWED_PROTOCOLS = frozenset({"https", "http", "mailto", "tel"})

# A bleach Cleaner keeps its HTML parser's state between calls and is not
# thread-safe: two threads cleaning at once (gunicorn's gthread workers) broke
# each other's parse (IndexError in html5lib) under the load test. Each thread
# gets its own cleaner.
_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    return cleaner


def sanitize_html(html: str) -> str:
    """Returns editor HTML with everything outside the allow-list removed."""
    cleaned = html or ""
    cleaner = _cleaner()
    # A second pass settles markup that the first pass reshaped, so cleaning
    # is idempotent (what is stored equals what is shown).
    for _ in range(3):
        again = cleaner.clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned
