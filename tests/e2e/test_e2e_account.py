"""Settings → API tokens and Settings → Delete my account, in the browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_new_api_token_is_shown_once_and_listed_without_it(portal):
    account = portal.make_account(name="Tia Tokens")
    page = portal.page
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"))
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/settings$"))

    page.fill("#token-name", "Phone flashcards")
    page.click("#token-create")

    secret_field = page.locator("#new-token-value")
    expect(secret_field).to_have_value(re.compile(r"^lp_[A-Za-z0-9_-]{40,}$"))
    secret = secret_field.input_value()
    rows = page.locator(".token-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phone flashcards")
    expect(rows.first).to_contain_text("lp_…" + secret[-4:])
    expect(rows.first).to_contain_text("Never")

    page.reload()
    expect(page.locator(".token-row")).to_have_count(1)
    expect(page.locator("#new-token")).to_be_hidden()
    expect(page.locator("#new-token-value")).to_have_value("")
    assert secret not in page.content()


def test_a_learner_deletes_their_account_and_can_no_longer_sign_in(portal):
    account = portal.make_account(name="Dana Departing")
    page = portal.page
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"))
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(page.locator("#delete-account-form")).to_contain_text("every answer")

    page.fill("#delete-password", "not my password at all")
    page.click("#delete-account")
    expect(page.locator("#delete-password-error")).to_have_text(
        "Your password is not correct; nothing was deleted."
    )
    expect(page).to_have_url(re.compile(r"/settings$"))

    page.fill("#delete-password", account.password)
    page.click("#delete-account")
    expect(page).to_have_url(re.compile(r"/signin$"))

    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fdashboard$"))
    portal.sign_in(account)
    expect(page.locator("#signin-error")).to_have_text("Wrong email or password.")
