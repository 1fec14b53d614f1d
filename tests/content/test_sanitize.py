"""content.sanitize.sanitize_html and the SanitizedHTMLBlock that uses it.

The output is judged by parsing it the way a browser would (html5lib) and
looking for anything that could run script, restyle the page or leave it:
a checker written independently of the sanitizer's allow-list.
"""

import json
import re
import warnings

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from django.db import connection
from django.template import engines
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content.sanitize import sanitize_html
from courses.blocks import SanitizedHTMLBlock
from courses.models import LessonPage
from tests import factories

# Elements that run script, load other documents, submit data, restyle the page
# or change how the rest of the markup is parsed (the mutation-XSS family).
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed",
        "applet", "svg", "math", "form", "input", "button", "textarea",
        "select", "option", "base", "meta", "link", "noscript", "noembed",
        "noframes", "template", "xmp", "plaintext", "title", "img", "image",
        "video", "audio", "source", "track", "picture", "portal", "marquee",
        "isindex", "param", "dialog",
    }
)  # fmt: skip
# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "poster",
        "background", "cite", "srcset", "longdesc", "lowsrc", "dynsrc",
        "ping", "manifest", "codebase", "archive", "usemap", "profile",
        "itemtype",
    }
)  # fmt: skip
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Browsers drop tabs and newlines anywhere in a URL and control characters and
# spaces at its ends; removing every such character is the stricter reading.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_RAW_FORBIDDEN_TAG = re.compile(
    r"<\s*/?\s*(?:" + "|".join(sorted(FORBIDDEN_ELEMENTS)) + r")[\s/>]",
    re.IGNORECASE,
)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in a URL attribute, or None if relative."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", value).lower())
    return match.group(1) if match else None


def active_content(html: str) -> list[str]:
    """Everything in ``html`` that could run script or restyle the page."""
    problems = []
    with warnings.catch_warnings():
        # Generated text such as "0:" looks like a file name to bs4.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html5lib", multi_valued_attributes=None)
    for element in soup.find_all(True):
        if element.name.lower() in FORBIDDEN_ELEMENTS:
            problems.append(f"element <{element.name}>")
        for name, value in element.attrs.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{element.name}>")
            if name == "style":
                problems.append(f"style attribute on <{element.name}>")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"{name}={value!r} on <{element.name}>")
    # Text is escaped by the sanitizer, so a literal "<script" in the output
    # can only be a tag, whatever a lenient parser makes of it.
    problems.extend(
        f"raw tag {m.group(0)!r}" for m in _RAW_FORBIDDEN_TAG.finditer(html)
    )
    return problems


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script/xss src=https://evil.example/x.js></script>",
    "<<script>script>alert(1)<</script>/script>",
    "<p onclick=alert(1)>click</p>",
    "<p ONMOUSEOVER='alert(1)'>hover</p>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<img/src/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><style><img src=x onerror=alert(1)></style></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="JaVaScRiPt&#x3A;alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;'
    ':alert(1)">x</a>',
    '<a href="&#x6A;avascript&#58;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\rscript:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="java&NewLine;script:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" \x01\x02javascript:alert(1)">x</a>',
    '<a href="\u200bjavascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    "<a href=javascript:alert(1)>unquoted</a>",
    "<a href='javascript:alert(1)'>single quotes</a>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<applet code=Evil.class></applet>",
    "<style>body{display:none}</style>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>',
    '<div style="behavior:url(x.htc)">x</div>',
    '<form action="https://evil.example/"><input name=password></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<!--><script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<title><img src=x onerror=alert(1)></title>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=alert(1)></video>",
    "<body onload=alert(1)>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<td style="color:red" onmouseover="alert(1)">x</td>',
    '<a href="https://example.org" style="color:red">x</a>',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr\x00ipt>alert(1)</script>",
    "<script\x20type='text/javascript'>alert(1)</script>",
    '<div id="x" class="y" data-x="javascript:alert(1)">x</div>',
    '<p lang="uk" dir="rtl" onfocus="alert(1)" tabindex="0">x</p>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitized_payload_contains_no_active_content(payload):
    assert active_content(sanitize_html(payload)) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizing_a_payload_twice_changes_nothing(payload):
    once = sanitize_html(payload)
    assert sanitize_html(once) == once


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p style="color:red">x</p>',
        "<svg onload=alert(1)>",
        '<meta http-equiv="refresh" content="0">',
    ],
)
def test_checker_recognises_active_content(html):
    # Without this the corpus above could pass against a blind checker.
    assert active_content(html)


def test_checker_accepts_plain_safe_markup():
    html = '<p>Текст <a href="https://example.org/">посилання</a></p>'
    assert active_content(html) == []


def test_paragraph_with_strong_and_https_link_survives():
    html = (
        '<p>Громада — це <strong>люди</strong>, див. <a href="https://decentralization.ua/">'
        "Децентралізація</a>.</p>"
    )
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    "href",
    ["https://example.org/a?b=1&amp;c=2", "http://example.org/", "mailto:a@b.ua"],
)
def test_links_with_allowed_schemes_keep_their_href(href):
    html = f'<a href="{href}">x</a>'
    assert sanitize_html(html) == html


def test_telephone_links_and_relative_links_keep_their_href():
    html = '<a href="tel:+380441234567">тел.</a> <a href="/courses/">курси</a>'
    assert sanitize_html(html) == html


def test_table_with_header_scope_survives():
    html = (
        "<table><caption>Обсяг</caption><thead><tr>"
        '<th scope="col">Модуль</th><th scope="col">Години</th>'
        "</tr></thead><tbody><tr>"
        '<th scope="row">Вступ</th><td>6</td>'
        "</tr></tbody></table>"
    )
    assert sanitize_html(html) == html


def test_lists_headings_and_language_attributes_survive():
    html = (
        '<h2 lang="en">Outcomes</h2><ol start="2"><li>Перший</li></ol>'
        '<ul><li><em>Другий</em></li></ul><abbr title="Центр надання '
        'адміністративних послуг">ЦНАП</abbr>'
    )
    assert sanitize_html(html) == html


def test_disallowed_tags_are_stripped_but_their_text_is_kept():
    cleaned = sanitize_html('<p>До <font color="red">важливого</font> тексту</p>')
    assert cleaned == "<p>До важливого тексту</p>"


def test_comments_are_removed():
    assert sanitize_html("<p>a<!-- приховане -->b</p>") == "<p>ab</p>"


def test_text_that_looks_like_markup_is_escaped():
    assert sanitize_html("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"


@pytest.mark.parametrize("value", ["", None])
def test_empty_input_gives_an_empty_string(value):
    assert sanitize_html(value) == ""


# Property tests ------------------------------------------------------------

_ALLOWED_NAMES = ["a", "p", "strong", "em", "table", "tr", "th", "td", "ul", "li"]
_FORBIDDEN_NAMES = [
    "script", "style", "svg", "math", "iframe", "object", "embed", "form",
    "base", "meta", "img", "noscript", "template", "textarea", "title", "xmp",
    "select", "mglyph", "mtext", "plaintext", "frameset", "link",
]  # fmt: skip
_ATTRIBUTES = [
    " onerror=alert(1)",
    ' onload="alert(1)"',
    " ONCLICK='alert(1)'",
    ' style="background:url(javascript:alert(1))"',
    ' href="javascript:alert(1)"',
    " href=JaVaScRiPt:alert(1)",
    ' href=" jav&#x09;ascript&#58;alert(1)"',
    ' href="data:text/html,&lt;script&gt;"',
    ' href="vbscript:x"',
    ' href="https://example.org/?a=1&b=2"',
    ' href="mailto:a@b.ua"',
    " src=x",
    ' xlink:href="javascript:alert(1)"',
    ' formaction="javascript:alert(1)"',
    ' action="https://evil.example/"',
    ' title="</noscript><img src=x onerror=alert(1)>"',
    " title='x'",
    ' scope="col"',
    ' lang="uk"',
    ' dir="rtl"',
    ' http-equiv="refresh" content="0;url=javascript:alert(1)"',
    " id=x",
    " /",
]
_PIECES = [
    "<", ">", "</", "/>", '"', "'", "=", "&", ";", ":", "&amp;", "&lt;", "&gt;",
    "&#60;", "&#x3C;", "&#x3A;", "&colon;", "&Tab;", "&NewLine;", "&quot;",
    "<!--", "-->", "--!>", "<!", "<![CDATA[", "]]>", "<?", "?>", "\x00", "\t",
    "\n", "\r", " ", "\u202e", "javascript:", "alert(1)", "ʼ", "Мар'яна",
]  # fmt: skip

_tags = st.builds(
    "{}{}{}{}>".format,
    st.sampled_from(["<", "</", "< "]),
    st.sampled_from(_ALLOWED_NAMES + _FORBIDDEN_NAMES).map(
        lambda name: name.upper() if len(name) % 3 == 0 else name
    ),
    st.lists(st.sampled_from(_ATTRIBUTES), max_size=3).map("".join),
    st.sampled_from(["", "/", " "]),
)
html_like = st.lists(
    st.one_of(_tags, st.sampled_from(_PIECES), st.text(max_size=8)), max_size=30
).map("".join)

_property_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_property_settings
@given(st.text())
def test_sanitizing_arbitrary_text_is_idempotent_and_inert(text):
    once = sanitize_html(text)
    assert sanitize_html(once) == once
    assert active_content(once) == []


@_property_settings
@given(html_like)
@example('<a href="javascript:alert(1)">x</a>')
@example("<math><style><img src=x onerror=alert(1)></style></math>")
@example('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
def test_sanitizing_html_fragments_is_idempotent_and_inert(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once
    assert active_content(once) == []


# SanitizedHTMLBlock --------------------------------------------------------

UNSAFE_HTML = (
    '<p onclick="alert(1)">Текст <a href="javascript:alert(2)">посилання</a></p>'
    "<script>alert(3)</script><style>p{}</style><img src=x onerror=alert(4)>"
)


def _assert_clean_and_kept(html):
    assert active_content(str(html)) == []
    assert "Текст" in str(html)


def test_html_block_cleans_what_the_editor_submits():
    value = SanitizedHTMLBlock().value_from_form(UNSAFE_HTML)
    _assert_clean_and_kept(value)


def test_html_block_stores_only_cleaned_html():
    prepared = SanitizedHTMLBlock().get_prep_value(UNSAFE_HTML)
    _assert_clean_and_kept(prepared)


def test_html_block_renders_cleaned_html():
    block = SanitizedHTMLBlock()
    _assert_clean_and_kept(block.render(UNSAFE_HTML))


def test_html_block_value_assigned_in_code_is_cleaned():
    block = SanitizedHTMLBlock()
    _assert_clean_and_kept(block.normalize(UNSAFE_HTML))
    _assert_clean_and_kept(block.to_python(UNSAFE_HTML))


def _write_raw_body(page, raw_body):
    """Puts StreamField JSON straight into the table, past every Python check."""
    table = LessonPage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET body = %s WHERE page_ptr_id = %s",  # noqa: S608
            [json.dumps(raw_body), page.pk],
        )


@pytest.fixture
def lesson_with_raw_unsafe_html(open_course_tree):
    """A published open lesson whose stored body holds uncleaned HTML."""
    lesson = open_course_tree.lessons[0]
    _write_raw_body(
        lesson,
        [{"type": "html", "value": UNSAFE_HTML, "id": "0b5f0f0e-unsafe"}],
    )
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.mark.django_db
def test_unsafe_html_in_the_database_is_cleaned_when_loaded(
    lesson_with_raw_unsafe_html,
):
    assert "<script>" in lesson_with_raw_unsafe_html.body.raw_data[0]["value"]
    _assert_clean_and_kept(lesson_with_raw_unsafe_html.body[0].value)


@pytest.mark.django_db
def test_unsafe_html_in_the_database_is_cleaned_when_rendered(
    lesson_with_raw_unsafe_html,
):
    template = engines["django"].from_string(
        "{% load wagtailcore_tags %}{% include_block page.body %}"
    )
    rendered = template.render({"page": lesson_with_raw_unsafe_html})
    _assert_clean_and_kept(rendered)


@pytest.mark.django_db
def test_unsafe_html_in_the_database_is_cleaned_on_the_lesson_page(
    client, lesson_with_raw_unsafe_html
):
    response = client.get(lesson_with_raw_unsafe_html.url)
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html5lib").find("main") or ""
    _assert_clean_and_kept(str(main))


@pytest.mark.django_db
def test_saving_a_page_writes_cleaned_html_to_the_database():
    module = factories.build_course(modules=1, lessons_per_module=0).modules[0]
    lesson = factories.make_lesson(module, body=[factories.html_block(UNSAFE_HTML)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT body FROM {LessonPage._meta.db_table} WHERE page_ptr_id = %s",  # noqa: S608
            [lesson.pk],
        )
        stored = cursor.fetchone()[0]
    stored_html = json.loads(stored)[0]["value"]
    _assert_clean_and_kept(stored_html)


def test_threads_cleaning_at_once_get_the_same_result_as_one():
    """gunicorn's threads clean lesson HTML at the same moment; a shared
    parser broke their parses (found by the load test)."""
    import threading

    html = (
        "<div><p>Крок <b>перший <i>і</b> другий</i></p><table><tr><td>1<td>2"
        "</table><ul><li>а<li>б</ul><script>x</script></div>" * 20
    )
    expected = sanitize_html(html)
    barrier = threading.Barrier(8)
    results, errors = [], []

    def clean_many():
        barrier.wait()
        try:
            results.extend(sanitize_html(html) for _ in range(40))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=clean_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 320
    assert set(results) == {expected}
