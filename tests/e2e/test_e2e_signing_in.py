"""Signing up, in and out, and what a signed-out visitor may open."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_signing_up_lands_on_a_dashboard_with_zero_stats(portal):
    portal.sign_up(portal.new_account("Ada Lovelace"))

    page = portal.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#page-title")).to_have_text("Dashboard")
    expect(page.locator("#user-display-name")).to_have_text("Ada Lovelace")
    expect(page.locator("#stat-reviews")).to_have_text("0")
    expect(page.locator("#stat-success-rate")).to_have_text("0%")
    expect(page.locator("#stat-sessions")).to_have_text("0")
    expect(page.locator("#stat-streak")).to_have_text("0 days")


def test_reloading_the_page_keeps_you_signed_in(portal):
    portal.sign_up(portal.new_account("Grace Hopper"))
    page = portal.page
    expect(page.locator("#stat-reviews")).to_have_text("0")

    page.reload()

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#user-display-name")).to_have_text("Grace Hopper")
    expect(page.locator("#stat-reviews")).to_have_text("0")


def test_signing_out_returns_to_sign_in_and_the_dashboard_stays_closed(portal):
    portal.sign_up(portal.new_account())
    page = portal.page
    expect(page.locator("#stat-reviews")).to_be_visible()

    page.click("#sign-out")

    expect(page).to_have_url(re.compile(r"/signin$"))
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fdashboard$"))
    expect(page.locator("#signin-email")).to_be_visible()


def test_a_wrong_password_is_reported_and_the_email_stays_typed(portal):
    account = portal.make_account()

    portal.sign_in(account, password="not the right password")

    page = portal.page
    expect(page.locator("#signin-error")).to_have_text("Wrong email or password.")
    expect(page.locator("#signin-email")).to_have_value(account.email)
    expect(page).to_have_url(re.compile(r"/signin$"))


def test_a_signed_in_page_sends_you_to_sign_in_and_back_again(portal):
    account = portal.make_account()
    page = portal.page

    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"))
    portal.sign_in(account)

    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(page.locator("#display_name")).to_have_value(account.display_name)
