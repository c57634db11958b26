"""An applicant browses the careers site and reads the Backend Engineer posting."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.management.commands.seed_demo import BACKEND_SECTIONS, PAY_NOTE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

SALARY = "$118,938 – $244,872 USD per year"


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_applicant_finds_backend_engineer_by_team_and_reads_the_posting(
    width, request, live_server, demo_data, page, screenshot, fits_width
):
    request.getfixturevalue(width)()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Open roles")).to_be_visible()
    # The live server serves static files: Bootstrap and our CSS style the page.
    expect(page.locator("nav.navbar")).to_have_css("display", "flex")
    expect(page.locator(".dot-list").first).to_have_css("display", "flex")
    roles = page.locator("article.posting-card")
    expect(roles.filter(has_text="Backend Engineer")).to_be_visible()
    expect(roles.filter(has_text="Data Scientist")).to_be_visible()
    assert fits_width()
    screenshot(f"careers-{width}")

    if width == "phone":
        # The filters fold away on a phone, so that the roles come first.
        expect(page.get_by_label("Team")).to_be_hidden()
        page.get_by_role("button", name="Search and filter").click()
        expect(page.locator("#filters")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_label("Team").select_option(label="Core")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"team=core"))
    expect(roles.filter(has_text="Data Scientist")).to_have_count(0)
    backend = roles.filter(has_text="Backend Engineer")
    expect(backend).to_contain_text(SALARY)

    backend.get_by_role("link", name="Backend Engineer").click()
    expect(page).to_have_url(live_server.url + "/jobs/backend-engineer/")
    expect(page.get_by_role("heading", name="Backend Engineer", level=1)).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(SALARY)
    expect(facts).to_contain_text(PAY_NOTE)
    expect(facts.locator("dt", has_text="Equity").locator("+ dd")).to_have_text("Offered")
    for heading, _ in BACKEND_SECTIONS:
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    apply = page.get_by_role("link", name="Apply for this role").locator("visible=true")
    expect(apply.first).to_be_visible()
    expect(apply.first).to_have_attribute("href", "/jobs/backend-engineer/apply/")
    assert fits_width()
    screenshot(f"posting-{width}")
