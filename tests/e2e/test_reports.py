"""Reports in Chromium, on the demo data: the charts are drawn (no script, no CSP violation),
each with its title and table, on a laptop and a phone; filters narrow them."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_content_security_policy import RECORD_VIOLATIONS
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_a_recruiter_reads_the_reports_as_charts_and_tables(
    live_server, demo_data, recruiter, page, screenshot, phone, desktop, fits_width
):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()

    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    funnel = page.get_by_role("img", name="Funnel: applications that reached each stage")
    expect(funnel).to_be_visible()
    # Drawn: bars with a width, in the stylesheet's colour (no inline style).
    bars = funnel.locator("rect.chart-bar")
    expect(bars).to_have_count(5)
    assert float(bars.first.get_attribute("width")) > float(bars.last.get_attribute("width")) > 0
    assert page.evaluate("getComputedStyle(document.querySelector('rect.chart-bar')).fill") not in (
        "",
        "none",
        "rgb(0, 0, 0)",
    )
    expect(page.get_by_role("table").first).to_contain_text("Applied")
    assert page.evaluate("window.__cspViolations") == []
    screenshot("reports-desktop")

    phone()
    assert fits_width()
    screenshot("reports-phone")
    desktop()

    page.get_by_label("Posting").select_option(label="Data Scientist")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row", name="Are you authorised")).to_be_visible()
    expect(page.get_by_role("img", name="Time to hire", exact=False)).to_contain_text(
        "Data Scientist"
    )
    screenshot("reports-one-posting")
