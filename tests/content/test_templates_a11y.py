"""Structure of the public templates: landmarks, headings, CSP, page weight.

The tests build their own small page tree with the Wagtail API, so they do not
depend on other fixtures or on demo content.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from django.template.loader import render_to_string
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page, Site

from content.models import HomePage, StandardPage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]"
MAX_LESSON_BYTES = 200 * 1024
MAX_CSS_BYTES = 15 * 1024


@dataclass
class Tree:
    home: HomePage
    about: StandardPage
    index: CourseIndexPage
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _open_lesson_fields():
    """Lessons readable without enrolment, if the model has that switch."""
    names = {field.name for field in LessonPage._meta.get_fields()}
    return {"is_preview": True} if "is_preview" in names else {}


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (11, 74, 139)).save(buffer, "PNG")
    image = Image(title="Схема")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="a11y-scheme.png")
    image.save()
    return image


def _lesson_body(image):
    return [
        ("heading", {"text": "Що таке взаємодія", "level": "h2"}),
        ("paragraph", '<p>Текст із <a href="https://example.org/">посиланням</a>.</p>'),
        (
            "image",
            {"image": image, "alt_text": "Схема взаємодії", "caption": "Рисунок 1"},
        ),
        ("callout", {"kind": "warning", "title": "Увага", "text": "<p>Текст.</p>"}),
        ("heading", {"text": "Відео", "level": "h3"}),
        (
            "video",
            {
                "title": "Вступ",
                "url": "https://video.example.org/watch/1",
                "file": None,
                "duration": "5:30",
                "transcript": "Розшифровка <script>alert(1)</script>",
            },
        ),
        ("quote", {"text": "Цитата.", "attribution": "Автор"}),
        (
            "table",
            {
                "caption": "Ролі секторів",
                "table": {
                    "data": [["Сектор", "Роль"], ["Влада", "<b>регулює</b>"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_header_choice": "both",
                },
            },
        ),
        (
            "accordion",
            {
                "title": "Питання",
                "items": [{"question": "Скільки триває?", "answer": "<p>30 год.</p>"}],
            },
        ),
    ]


@pytest.fixture
def tree(db):
    root = Page.objects.get(depth=1)
    home = _publish(
        root, HomePage(title="Розумна взаємодія", slug="a11y-home", lead="Курс.")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    about = _publish(
        home,
        StandardPage(
            title="Про курс",
            slug="about",
            intro="<p>Вступ.</p>",
            body=[("paragraph", "<p>Текст.</p>")],
        ),
    )
    index = _publish(home, CourseIndexPage(title="Курси", slug="courses"))
    course = _publish(
        index,
        CoursePage(
            title="Основи взаємодії",
            slug="osnovy",
            summary="Короткий опис курсу.",
            hours=30,
            programme_code="РВ-01",
            provider_name="ГО «Розумна взаємодія»",
            target_audience="Державні службовці.",
            learning_outcomes=[("outcome", "Пояснювати принципи взаємодії.")],
        ),
    )
    image = _image()
    modules, lessons = [], []
    for m in (1, 2):
        module = _publish(
            course,
            ModulePage(title=f"Модуль {m}", slug=f"module-{m}", estimated_minutes=60),
        )
        modules.append(module)
        for n in (1, 2):
            body = (
                _lesson_body(image)
                if (m, n) == (1, 2)
                else [("paragraph", "<p>Текст уроку.</p>")]
            )
            lessons.append(
                _publish(
                    module,
                    LessonPage(
                        title=f"Урок {m}.{n}",
                        slug=f"lesson-{n}",
                        estimated_minutes=20,
                        body=body,
                        **_open_lesson_fields(),
                    ),
                )
            )
    return Tree(home, about, index, course, modules, lessons)


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _public_urls(tree):
    return [
        tree.home.url,
        tree.about.url,
        tree.index.url,
        tree.course.url,
        tree.modules[0].url,
        tree.lessons[1].url,
    ]


def _check_structure(html: str):
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "uk"

    first = soup.select(FOCUSABLE)[0]
    assert "skip-link" in first.get("class", [])
    assert first["href"] == "#main"

    assert len(soup.find_all("header")) == 1
    assert soup.header.find("a", href="/")
    assert len(soup.find_all("main")) == 1
    assert soup.main["id"] == "main"
    assert soup.find("footer").find("a", href="/about/")
    assert soup.find("footer").find("a", href="/privacy/")
    navs = soup.find_all("nav")
    assert navs
    for nav in navs:
        assert nav.get("aria-label") or nav.get("aria-labelledby"), nav

    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels

    for img in soup.find_all("img"):
        assert img.has_attr("alt"), img


def _check_csp_clean(html: str):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("style")
    assert not soup.find_all(style=True)
    assert not [s for s in soup.find_all("script") if not s.get("src")]
    assert not soup.find_all("iframe")
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], tag


def test_public_pages_have_the_landmarks_and_one_h1(client, tree):
    for url in _public_urls(tree):
        response = client.get(url)
        assert response.status_code == 200, url
        _check_structure(response.content.decode())


def test_public_pages_have_no_inline_script_or_style(client, tree):
    for url in _public_urls(tree):
        _check_csp_clean(client.get(url).content.decode())


def test_not_found_page_uses_the_site_frame(client, tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _check_structure(html)
    _check_csp_clean(html)


def test_server_error_page_renders_without_request_or_database():
    html = render_to_string("500.html")
    _check_structure(html)
    _check_csp_clean(html)


def test_lockout_page_renders():
    html = render_to_string("lms/lockout.html", {"failure_limit": 5, "username": ""})
    _check_structure(html)


def test_course_page_shows_details_and_outline(client, tree):
    soup = _soup(client.get(tree.course.url))
    text = soup.main.get_text(" ")
    for expected in ("РВ-01", "ГО «Розумна взаємодія»", "Державні службовці."):
        assert expected in text
    assert "Пояснювати принципи взаємодії." in text

    outline = soup.select_one("ol.outline")
    modules = outline.find_all("li", class_="outline__module", recursive=False)
    assert [li.a["href"] for li in modules] == [m.url for m in tree.modules]
    first_steps = [a["href"] for a in modules[0].select("ol.outline__steps a")]
    assert first_steps == [tree.lessons[0].url, tree.lessons[1].url]


def test_module_page_lists_its_lessons_and_links_back(client, tree):
    soup = _soup(client.get(tree.modules[1].url))
    hrefs = [a["href"] for a in soup.select("ol.step-list a")]
    assert hrefs == [tree.lessons[2].url, tree.lessons[3].url]
    assert soup.main.find("a", href=tree.course.url)


def test_lesson_marks_itself_current_and_links_neighbours(client, tree):
    lesson = tree.lessons[1]
    soup = _soup(client.get(lesson.url))

    current = soup.select('.course-outline a[aria-current="page"]')
    assert [a["href"] for a in current] == [lesson.url]

    crumbs = soup.find("nav", class_="breadcrumbs")
    assert crumbs.get("aria-label")
    hrefs = [a["href"] for a in crumbs.find_all("a")]
    assert hrefs[-2:] == [tree.course.url, tree.modules[0].url]

    previous = soup.find("a", rel="prev")
    following = soup.find("a", rel="next")
    assert previous["href"] == tree.lessons[0].url
    assert tree.lessons[0].title in previous.get_text()
    # The next step crosses into the second module.
    assert following["href"] == tree.lessons[2].url
    assert tree.lessons[2].title in following.get_text()


def test_lesson_blocks_render_accessibly(client, tree):
    html = client.get(tree.lessons[1].url).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    img = soup.select_one("figure img")
    assert img["alt"] == "Схема взаємодії"
    assert img["loading"] == "lazy"
    assert soup.select_one("figure figcaption").get_text(strip=True) == "Рисунок 1"

    table = soup.find("table")
    assert table.caption.get_text(strip=True) == "Ролі секторів"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col"]
    assert table.tbody.th["scope"] == "row"
    assert "&lt;b&gt;регулює&lt;/b&gt;" in html  # cells stay escaped

    video = soup.find("figure", class_="video")
    assert video.find("a", href="https://video.example.org/watch/1")
    assert video.find("details").summary
    assert "&lt;script&gt;" in str(video.find("details"))

    assert soup.select_one(".accordion details summary")
    assert "callout--warning" in html


def test_lesson_page_stays_light(client, tree):
    html = client.get(tree.lessons[1].url).content
    css_path = finders.find("lms/css/site.css")
    assert css_path
    css_size = Path(css_path).stat().st_size
    assert css_size < MAX_CSS_BYTES
    soup = BeautifulSoup(html, "html.parser")
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert stylesheets == ["/static/lms/css/site.css"]
    assert not soup.find_all("script")
    assert len(html) + css_size < MAX_LESSON_BYTES


def test_anonymous_visitors_get_no_wagtail_userbar(client, tree):
    html = client.get(tree.home.url).content.decode()
    assert "wagtail-userbar" not in html
