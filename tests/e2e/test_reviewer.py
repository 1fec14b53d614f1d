"""A НАДС reviewer finds a learner's certificate in the register."""

import pytest
from playwright.sync_api import expect

from certificates.issuing import confirm_name
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.e2e import pages
from tests.e2e.world import STAFF_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def certified_learner(world, *, last_name: str, first_name: str, patronymic: str):
    """A learner who confirmed the name and completed the course, so the
    certificate was issued on completion, as on the site."""
    learner = factories.make_user(
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        oblast=world.oblast,
    )
    confirm_name(user=learner, printed_name=f"{last_name} {first_name} {patronymic}")
    enrolment = certificate_factories.complete_course(learner)
    return enrolment.certificates.get()


def test_a_reviewer_finds_a_learners_certificate_in_the_register(
    world, new_context, audit
):
    certificate = certified_learner(
        world, last_name="Сидоренко", first_name="Олена", patronymic="Петрівна"
    )
    other = certified_learner(
        world, last_name="Мельник", first_name="Андрій", patronymic="Степанович"
    )

    page = new_context(name="reviewer").new_page()
    pages.sign_in(page, world.reviewer.email, STAFF_PASSWORD)
    pages.nav_link(page, "Робочий простір рецензента").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Звіт про проходження")
    audit.check(page, label="completion report")

    pages.admin_menu(page, "Рецензування", "Реєстр сертифікатів")
    audit.check(page, label="certificate register")
    pages.admin_search_listing(page, "Сидоренко")
    table = page.get_by_role("main").get_by_role("table")
    expect(table.get_by_role("link", name=other.number)).to_have_count(0)
    row = table.get_by_role("row").filter(has_text="Сидоренко Олена Петрівна")
    expect(row).to_contain_text("чинний")
    audit.check(page, label="certificate register, searched")

    row.get_by_role("link", name=certificate.number).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Сидоренко Олена Петрівна")
    expect(main).to_contain_text(certificate.course_title)
    audit.check(page, label="certificate in the register")

    audit.assert_clean()
