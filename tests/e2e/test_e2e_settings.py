"""Settings a learner changes are kept."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_profile_changes_are_still_there_after_a_reload(portal):
    account = portal.make_account(name="Ada Learner")
    page = portal.page
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"))
    portal.sign_in(account)
    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(page.locator("#display_name")).to_have_value("Ada Learner")

    page.fill("#display_name", "Ada King")
    page.fill("#desired_retention", "0.85")
    page.fill("#timezone", "Europe/Madrid")
    page.click("#profile-save")
    expect(page.locator("#profile-saved")).to_have_text("Your settings are saved.")

    page.reload()
    expect(page.locator("#display_name")).to_have_value("Ada King")
    expect(page.locator("#desired_retention")).to_have_value("0.85")
    expect(page.locator("#timezone")).to_have_value("Europe/Madrid")
    expect(page.locator("#user-display-name")).to_have_text("Ada King")
