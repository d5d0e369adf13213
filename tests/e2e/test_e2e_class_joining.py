"""A learner joins a class with the code the Teacher page shows, or by accepting an invitation
on their Dashboard; until then the teacher sees nothing of them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Portal

pytestmark = pytest.mark.e2e

CODE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


@pytest.fixture
def second_page(browser: Browser, app_url: str) -> Iterator[Page]:
    """Another person's browser, beside the first one's."""
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def open_new_class(portal: Portal, name: str) -> str:
    teacher = portal.make_account("teacher", name="Tomoko Teacher")
    page = portal.page
    portal.sign_in(teacher)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto("/teacher")
    page.fill("#class-name", name)
    page.click("#create-class")
    expect(page.locator("#class-title")).to_have_text(name)
    return teacher.email


def test_a_learner_joins_with_the_code_the_teacher_page_shows(portal, second_page) -> None:
    open_new_class(portal, "Japanese 1 — Monday")
    teacher_page = portal.page
    code = teacher_page.locator("#join-code")
    expect(code).to_have_text(CODE)
    shown = code.inner_text()
    expect(teacher_page.locator("#progress-empty")).to_be_visible()

    learner = portal.make_account("learner", name="Lin Learner")
    Portal(second_page).sign_in(learner)
    expect(second_page).to_have_url(re.compile(r"/dashboard$"))
    second_page.fill("#join-class-code", "WXYZ-2345")
    second_page.click("#join-class")
    expect(second_page.locator("#join-class-error")).to_contain_text("No class has that code")
    expect(second_page.locator("#join-class-code")).to_have_value("WXYZ-2345")

    second_page.fill("#join-class-code", shown.lower().replace("-", " "))
    second_page.click("#join-class")

    expect(second_page.locator("#my-classes-message")).to_contain_text(
        "You joined “Japanese 1 — Monday” (Tomoko Teacher)."
    )
    expect(second_page.locator("#my-classes")).to_contain_text("Japanese 1 — Monday")
    teacher_page.reload()
    expect(teacher_page.locator("#progress-table")).to_contain_text("Lin Learner")


def test_a_turned_off_code_is_refused_and_an_invitation_waits_for_the_learner(
    portal, second_page
) -> None:
    open_new_class(portal, "Spanish evenings")
    teacher_page = portal.page
    shown = teacher_page.locator("#join-code").inner_text()
    teacher_page.click("#join-code-off")
    expect(teacher_page.locator("#join-code-on")).to_be_visible()
    learner = portal.make_account("learner", name="Rui Learner")
    teacher_page.fill("#invite-email", learner.email)
    teacher_page.click("#invite-learner")
    expect(teacher_page.locator("#teacher-message")).to_contain_text(
        "If this address belongs to a learner, they'll see the invitation"
    )
    expect(teacher_page.locator("#invitations-table")).to_contain_text("Waiting")

    Portal(second_page).sign_in(learner)
    expect(second_page).to_have_url(re.compile(r"/dashboard$"))
    second_page.fill("#join-class-code", shown)
    second_page.click("#join-class")
    expect(second_page.locator("#join-class-error")).to_contain_text(
        "not taking new learners by code"
    )
    invitation = second_page.locator(".class-invitation")
    expect(invitation).to_contain_text("Spanish evenings")
    invitation.get_by_role("button", name=re.compile("^Accept")).click()

    expect(second_page.locator("#my-classes")).to_contain_text("Spanish evenings")
    expect(second_page.locator(".class-invitation")).to_have_count(0)
    teacher_page.reload()
    expect(teacher_page.locator("#progress-table")).to_contain_text("Rui Learner")
