"""A hiring manager in Chromium: their posting's settings read as text, and a page they may
not use keeps the dashboard around it. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_a_hiring_manager_reads_settings_and_is_refused_inside_the_dashboard(
    live_server, page, posting, hiring_manager, screenshot, phone, desktop, fits_width
):
    log_in(page, live_server, hiring_manager)
    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/edit/")
    settings = page.locator("dl.read-only-settings")
    expect(settings).to_contain_text(posting.title)
    expect(page.locator("main input, main select, main textarea")).to_have_count(0)
    screenshot("settings-read-only-desktop")
    phone()
    assert fits_width()
    screenshot("settings-read-only-phone")
    desktop()

    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/questions/")
    page.get_by_role("link", name=re.compile("^Details of ")).first.click()
    expect(page.locator("dl.read-only-settings")).to_contain_text("Answer type")

    page.goto(live_server.url + "/dashboard/postings/new/")
    expect(page.get_by_role("heading", name="You can't do that here")).to_be_visible()
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + "/dashboard/postings/999999/board/")
    expect(page.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    expect(page.get_by_role("link", name="Postings", exact=True).first).to_be_visible()
    screenshot("dashboard-404-desktop")
    phone()
    screenshot("dashboard-404-phone")
