"""The one place HTML from editors is cleaned; wraps bleach with an allow-list.

A leaf module: it imports only bleach, so lower layers (lesson blocks in
``courses``) may use it without depending on the rest of ``content``.
"""

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

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Returns editor HTML with everything outside the allow-list removed."""
    cleaned = html or ""
    # A second pass settles markup that the first pass reshaped, so cleaning
    # is idempotent (what is stored equals what is shown).
    for _ in range(3):
        again = _cleaner.clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned
