"""What teachers, learners and admins find in the navigation and their areas."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_teacher_finds_the_teacher_area_in_the_navigation(portal):
    portal.sign_in(portal.make_account("teacher", name="Tom Teacher"))
    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#nav-teacher")

    expect(page).to_have_url(re.compile(r"/teacher$"))
    expect(page.locator("#page-title")).to_have_text("Teacher")
    expect(page.locator("#create-class")).to_be_visible()
    expect(page.locator("#nav-admin")).to_have_count(0)


def test_a_learner_has_no_teacher_link_and_is_told_the_area_is_for_teachers(portal):
    portal.sign_in(portal.make_account("learner"))
    page = portal.page
    expect(page.locator("#nav-settings")).to_be_visible()
    expect(page.locator("#nav-teacher")).to_have_count(0)

    page.goto("/teacher")

    expect(page.locator("#teacher-denied")).to_contain_text("for teachers only")
    expect(page.locator("#teacher-denied")).to_contain_text("You don't have permission")
    expect(page.locator("#create-class")).to_have_count(0)


def test_an_admin_changes_a_users_role(portal):
    learner = portal.make_account("learner", name="Lin Learner")
    portal.sign_in(portal.make_account("admin", name="Grace Admin"))
    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-admin")
    expect(page).to_have_url(re.compile(r"/admin$"))

    page.fill("#user-search", learner.email)
    page.click("#user-search-submit")
    row = page.locator(".user-row")
    expect(row).to_have_count(1)
    page.get_by_label(f"Role of {learner.email}").click()
    page.get_by_role("option", name="Teacher").click()

    expect(page.locator("#admin-message")).to_have_text("Lin Learner is now a teacher.")
    page.reload()
    page.fill("#user-search", learner.email)
    page.click("#user-search-submit")
    expect(page.get_by_label(f"Role of {learner.email}")).to_have_text("Teacher")
