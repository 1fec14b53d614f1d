"""The learner's way from registration to a certificate that verifies."""

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.world import (
    COURSE_TITLE,
    HROMADA_NAME,
    LESSON_TEXTS,
    LESSON_TITLES,
    OBLAST_NAME,
    OTHER_HROMADA_NAME,
    QUESTIONS,
    QUIZ_TITLE,
    SAME_OBLAST_HROMADA,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PERSON = pages.Learner(
    email="maryna.koval@example.org",
    password="Kremin-learning-2026",
    last_name="Коваль",
    first_name="Мар’яна",
    patronymic="Олегівна",
    position="Спеціалістка відділу економічного розвитку",
    category="Посади в органах місцевого самоврядування, 5 категорія",
    organisation="Кремінська міська рада",
    oblast=OBLAST_NAME,
    hromada=HROMADA_NAME,
)


def qr_codes(pdf: bytes) -> list[str]:
    """The texts of the QR codes on the PDF's first page, rendered at 200 dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_a_learner_registers_learns_and_gets_a_certificate_that_verifies(
    world, page, audit, mailoutbox
):
    # Registration: the oblast, then a hromada from its list only.
    pages.open_home(page)
    audit.check(page, label="home")
    pages.open_registration(page)
    audit.check(page, label="registration")
    pages.fill_name_and_work(page, PERSON)
    pages.choose_place_with_script(page, PERSON, filter_text="Кремін")
    hromadas = pages.hromada_list(page)
    # Another oblast's hromada is never offered; the filter left out the
    # oblast's hromadas whose names do not match.
    expect(hromadas.get_by_role("option", name=OTHER_HROMADA_NAME)).to_have_count(0)
    expect(hromadas.get_by_role("option", name=SAME_OBLAST_HROMADA)).to_have_count(0)
    pages.fill_sign_in_details_and_agree(page, PERSON)
    audit.check(page, label="registration, filled in")
    pages.submit_registration(page)
    audit.check(page, label="check your e-mail")

    # The e-mailed link opens the account; then the person signs in.
    link = pages.confirmation_link(mailoutbox, PERSON.email)
    pages.confirm_email(page, link, audit=audit)
    audit.check(page, label="sign in, address confirmed")
    pages.sign_in(page, PERSON.email, PERSON.password)
    audit.check(page, label="my learning, empty")

    # Enrolment and the lessons: the second one marked done by keyboard only.
    pages.open_course(page, COURSE_TITLE, audit=audit)
    audit.check(page, label="course, not enrolled")
    pages.enrol(page)
    audit.check(page, label="course, enrolled")
    pages.start_course(page)
    pages.expect_lesson(page, LESSON_TITLES[0], LESSON_TEXTS[0])
    audit.check(page, label="first lesson")
    pages.mark_lesson_done(page)
    pages.expect_lesson(page, LESSON_TITLES[1], LESSON_TEXTS[1])
    audit.check(page, label="second lesson")
    pages.mark_lesson_done_by_keyboard(page)

    # The test: failed first, then passed, which completes the course.
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    audit.check(page, label="quiz")
    pages.start_quiz(page)
    audit.check(page, label="quiz attempt")
    pages.answer(page, QUESTIONS, right=False)
    pages.submit_quiz(page)
    expect(page.get_by_text("Не складено", exact=True)).to_be_visible()
    audit.check(page, label="quiz failed")
    assert pages.take_quiz(page, QUESTIONS, right=True) == "Складено"
    audit.check(page, label="quiz passed")

    # The certificate: the name confirmed, the PDF downloaded, its QR code read.
    pages.open_my_learning(page)
    card = page.get_by_role("listitem").filter(has_text=COURSE_TITLE)
    expect(card).to_contain_text("Завершено")
    audit.check(page, label="my learning, course completed")
    pages.confirm_name_for_certificate(page, PERSON, audit=audit)
    expect(pages.status_message(page)).to_contain_text("сертифікат")
    audit.check(page, label="my learning, certificate issued")
    pdf = pages.download_certificate(page)
    assert pdf.startswith(b"%PDF")
    codes = qr_codes(pdf)
    assert len(codes) == 1, codes
    verification_url = codes[0]
    assert verification_url.startswith(world.site_url + "/certificates/verify/")

    # Whoever scans the code sees the certificate is valid, and whose it is.
    page.goto(verification_url)
    expect(page.get_by_role("status")).to_contain_text("Цей сертифікат чинний.")
    expect(page.get_by_role("main")).to_contain_text(PERSON.printed_name)
    expect(page.get_by_role("main")).to_contain_text(COURSE_TITLE)
    audit.check(page, label="verification")

    audit.assert_clean()
