"""What a person does on the site, one small function per step.

Every step finds things by what a person sees or hears: roles, accessible
names and the labels of fields, in Ukrainian, never by CSS classes or ids.
When the interface changes, this is the one file to adapt. Steps that pass
through a page the journey does not otherwise stop at take ``audit`` and
have axe check it on the way.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.audit import Audit
from tests.e2e.world import Question

MARK_DONE = re.compile(r"^Позначити як пройдене")
START_ATTEMPT = re.compile("^(Почати тест|Почати нову спробу|Спробувати ще раз)$")
APOSTROPHES = str.maketrans({"'": "ʼ", "’": "ʼ"})


@dataclass
class Learner:
    """What a person types when registering."""

    email: str
    password: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    category: str
    organisation: str
    oblast: str
    hromada: str

    @property
    def printed_name(self) -> str:
        """The full name as the site keeps and prints it: surname first, the
        apostrophe as ʼ (U+02BC) whichever of ' ’ ʼ was typed."""
        return f"{self.last_name} {self.first_name} {self.patronymic}".translate(
            APOSTROPHES
        )

    def kept(self, value: str) -> str:
        return value.translate(APOSTROPHES)


def status_message(page: Page) -> Locator:
    """The flash messages region (role status) of the page."""
    return page.get_by_role("status").filter(has=page.locator("p"))


# Header ---------------------------------------------------------------------


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Головне меню").get_by_role(
        "link", name=name, exact=True
    )


# Accounts -------------------------------------------------------------------


def open_home(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("banner")).to_be_visible()


def open_registration(page: Page) -> None:
    """Through the header's link, from whatever page is open."""
    nav_link(page, "Зареєструватися").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Зареєструватися")


def fill_name_and_work(page: Page, person: Learner) -> None:
    page.get_by_label("Прізвище", exact=True).fill(person.last_name)
    page.get_by_label("Ім’я", exact=True).fill(person.first_name)
    page.get_by_label("По батькові").fill(person.patronymic)
    page.get_by_label("Посада", exact=True).fill(person.position)
    page.get_by_label("Категорія посади").select_option(label=person.category)
    page.get_by_label("Орган / організація").fill(person.organisation)


def hromada_list(page: Page) -> Locator:
    return page.get_by_role("combobox", name=re.compile("^Громада"))


def choose_place_with_script(page: Page, person: Learner, *, filter_text: str):
    """Oblast, then the hromada: the list follows the oblast at once, and
    the filter box narrows it by part of the name."""
    page.get_by_label("Область", exact=True).select_option(label=person.oblast)
    # The oblast's list arrives from the server without the page reloading.
    offered = hromada_list(page).get_by_role("option", name=person.hromada)
    expect(offered).to_have_count(1)
    expect(page.get_by_role("button", name="Показати громади області")).to_be_hidden()
    page.get_by_label("Знайти громаду за назвою").fill(filter_text)
    expect(offered).to_have_count(1)
    hromada_list(page).select_option(label=person.hromada)


def choose_place_without_script(page: Page, person: Learner) -> None:
    """Oblast, then «Показати громади області» sends the form back with the
    oblast's hromadas and everything typed so far."""
    page.get_by_label("Область", exact=True).select_option(label=person.oblast)
    page.get_by_role("button", name="Показати громади області").click()
    expect(page.get_by_label("Прізвище", exact=True)).to_have_value(
        person.kept(person.last_name)
    )
    hromada_list(page).select_option(label=person.hromada)


def fill_sign_in_details_and_agree(page: Page, person: Learner) -> None:
    page.get_by_label("Електронна пошта").fill(person.email)
    page.get_by_label("Пароль", exact=True).fill(person.password)
    page.get_by_label("Пароль ще раз").fill(person.password)
    page.get_by_role("checkbox", name=re.compile("Надаю згоду")).check()


def submit_registration(page: Page) -> None:
    page.get_by_role("button", name="Зареєструватися").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Перевірте електронну пошту"
    )


CONFIRMATION_LINK = re.compile(r"https?://\S+/account/confirm/\S+/")


def confirmation_link(outbox, email: str) -> str:
    """The link of the last confirmation e-mail sent to ``email``."""
    for message in reversed(outbox):
        if email in message.to:
            found = CONFIRMATION_LINK.search(message.body)
            if found:
                return found.group(0)
    sent = [(message.to, message.subject) for message in outbox]
    raise AssertionError(f"No confirmation e-mail to {email}; sent: {sent}")


def confirm_email(page: Page, link: str, *, audit: Audit | None = None) -> None:
    page.goto(link)
    if audit:
        audit.check(page, label="confirm the address")
    page.get_by_role("button", name="Підтвердити адресу електронної пошти").click()
    expect(status_message(page)).to_contain_text("підтверджено")


def sign_in(page: Page, email: str, password: str) -> None:
    """From the sign-in page the site opens «Моє навчання»."""
    if not page.url.endswith("/account/login/"):
        open_home(page)
        nav_link(page, "Увійти").click()
    page.get_by_label("Електронна пошта").first.fill(email)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Увійти").click()
    expect(nav_link(page, "Моє навчання")).to_be_visible()


# Courses ----------------------------------------------------------------------


def open_course(page: Page, title: str, *, audit: Audit | None = None) -> None:
    """Through the header's «Курси» and the catalogue's card."""
    nav_link(page, "Курси").click()
    if audit:
        audit.check(page, label="catalogue")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def enrol(page: Page) -> None:
    page.get_by_role("button", name="Записатися на курс").click()
    expect(status_message(page)).to_contain_text("Ви записалися на курс")


def start_course(page: Page) -> None:
    page.get_by_role("link", name=re.compile("^(Почати курс|Продовжити)$")).click()


def expect_lesson(page: Page, title: str, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("article")).to_contain_text(text)


def mark_lesson_done(page: Page) -> None:
    page.get_by_role("button", name=MARK_DONE).click()
    expect(status_message(page)).to_contain_text(
        re.compile("Урок позначено як пройдений|Вітаємо")
    )


def mark_lesson_done_by_keyboard(page: Page, *, max_tabs: int = 80) -> None:
    """From the top of the page, Tab until the button has the focus (it must
    show it), then Enter — as a person without a mouse does."""
    button = page.get_by_role("button", name=MARK_DONE)
    page.locator("body").focus()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError(f"«Позначити як пройдене» not reached in {max_tabs} Tabs")
    focus_ring = button.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return element.matches(":focus-visible") && (
                (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== "none");
        }"""
    )
    assert focus_ring, "the focused button shows no focus indicator"
    page.keyboard.press("Enter")
    expect(status_message(page)).to_contain_text(
        re.compile("Урок позначено як пройдений|Вітаємо")
    )


# Quizzes ----------------------------------------------------------------------


def start_quiz(page: Page) -> None:
    """From the quiz's page or a result: start the first or a new attempt."""
    page.get_by_role("button", name=START_ATTEMPT).click()
    expect(page.get_by_role("button", name="Надіслати на оцінювання")).to_be_visible()


def question(page: Page, text: str) -> Locator:
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def answer(page: Page, questions: tuple[Question, ...], *, right: bool) -> None:
    for item in questions:
        label = item.right if right else item.wrong
        question(page, item.text).get_by_label(label, exact=True).check()


def submit_quiz(page: Page) -> None:
    page.get_by_role("button", name="Надіслати на оцінювання").click()


def take_quiz(page: Page, questions: tuple[Question, ...], *, right: bool) -> str:
    """One attempt answered all right or all wrong; returns the verdict shown."""
    start_quiz(page)
    answer(page, questions, right=right)
    submit_quiz(page)
    verdict = page.get_by_text(re.compile("^(✓ )?(Складено|Не складено)$"))
    expect(verdict).to_be_visible()
    return verdict.inner_text().removeprefix("✓").strip()


# Certificates -----------------------------------------------------------------


def open_my_learning(page: Page) -> None:
    nav_link(page, "Моє навчання").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Моє навчання")


def confirm_name_for_certificate(
    page: Page, person: Learner, *, audit: Audit | None = None
) -> None:
    """The name form comes filled from the profile; the person checks it."""
    page.get_by_role(
        "link", name="Підтвердьте написання свого імені, щоб отримати сертифікат"
    ).click()
    if audit:
        audit.check(page, label="name on the certificate")
    expect(page.get_by_label("Прізвище", exact=True)).to_have_value(
        person.kept(person.last_name)
    )
    expect(page.get_by_label("Ім’я", exact=True)).to_have_value(
        person.kept(person.first_name)
    )
    page.get_by_label("Підтверджую, що моє ім’я написано правильно").check()
    page.get_by_role("button", name="Підтвердити й отримати сертифікат").click()


def download_certificate(page: Page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name="Завантажити сертифікат (PDF)").click()
    return Path(download.value.path()).read_bytes()


# The Wagtail admin ------------------------------------------------------------


def admin_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/admin/")
    page.get_by_role("textbox", name=re.compile("^Електронна пошта")).fill(email)
    # Wagtail's sign-in form labels this field «Password» (not translated).
    page.get_by_role("textbox", name=re.compile("^(Пароль|Password)")).fill(password)
    page.get_by_role("button", name="Увійти").click()
    expect(page.get_by_role("link", name="Панель", exact=True)).to_be_visible()


def admin_find_page(page: Page, title: str) -> None:
    """The sidebar's search, then the page's title among the results."""
    sidebar = page.get_by_role("complementary", name="Бічна панель")
    sidebar.get_by_role("textbox", name="Пошук").fill(title)
    sidebar.get_by_role("textbox", name="Пошук").press("Enter")
    page.get_by_role("main").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def admin_edit_lesson(page: Page, *, title: str, append_text: str) -> None:
    """A new title, and a sentence typed at the end of the lesson's text."""
    page.get_by_role("textbox", name=re.compile(r"^Заголовок\*?$")).fill(title)
    text_block = page.get_by_role("region", name=re.compile("^Текст"))
    text_block.get_by_role("textbox").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(append_text)
    # The rich text editor copies its text into the form a moment after the
    # last key (Draftail's save interval); a person's pause, made explicit.
    page.wait_for_function(
        """text => Array.from(document.querySelectorAll("input[type=hidden]"))
            .some(input => input.value.includes(text))""",
        arg=append_text.strip(),
    )


def admin_submit_for_moderation(page: Page) -> None:
    page.get_by_role("button", name="Більше дій").click()
    page.get_by_role("button", name=re.compile("^Надіслати (в|на розгляд)")).click()
    expect(page.get_by_role("status").first).to_contain_text("надіслано на модерацію")


def admin_approve(page: Page, title: str) -> None:
    """From the dashboard's list of pages awaiting review."""
    awaiting = page.get_by_role("region", name="В очікуванні огляду")
    row = awaiting.get_by_role("row").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    row.get_by_role("button", name="Дії").click()
    row.get_by_role("button", name="Схвалити", exact=True).click()
    # Approved pages leave the list (Wagtail's dashboard shows no message).
    expect(page.get_by_role("link", name=title, exact=True)).to_have_count(0)


def admin_menu(page: Page, group: str, item: str) -> None:
    """An item of a group of the admin's sidebar menu."""
    menu = page.get_by_role("navigation", name="Головне меню")
    menu.get_by_role("button", name=group).click()
    page.get_by_role("link", name=item, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def admin_search_listing(page: Page, text: str) -> None:
    field = page.get_by_role("main").get_by_role("textbox", name="Пошуковий термін")
    field.fill(text)
    field.press("Enter")
