"""The strict Content-Security-Policy breaks nothing: Chromium reports no violation on the
public pages (the JSON-LD data block included), Bootstrap's JS runs, and the admin's widgets
(filter_horizontal, calendars, inlines) still work."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

# Records every violation the page sees, before any of its own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations collected from its events and its console."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def violations():
        return page.evaluate("window.__cspViolations") + console

    page.violations = violations
    return page


def test_public_pages_raise_no_csp_violation_and_bootstrap_js_runs(live_server, watched):
    posting = factories.backend_engineer_posting()
    application = factories.submit(posting)
    page = watched
    for path in ["/", "/jobs/backend-engineer/", "/jobs/backend-engineer/apply/"]:
        response = page.goto(live_server.url + path)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert_no_serious_axe_violations(page)
        assert page.violations() == [], path
    # The JSON-LD block is in the page and readable, yet never executed as script.
    assert page.goto(live_server.url + "/jobs/backend-engineer/")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.violations() == []

    # Withdrawing shows a dismissible Bootstrap alert: its close button works under the policy.
    page.goto(live_server.url + application.get_status_url())
    page.get_by_role("link", name="Withdraw my application").click()
    page.get_by_role("button", name="Yes, withdraw my application").click()
    alert = page.locator(".alert-dismissible")
    expect(alert).to_contain_text("withdrawn")
    alert.get_by_role("button", name="Close").click()
    expect(alert).to_have_count(0)
    assert_no_serious_axe_violations(page)
    assert page.violations() == []


def test_admin_widgets_work_under_the_same_policy(live_server, watched):
    factories.backend_engineer_posting()
    get_user_model().objects.create_superuser("root", "root@example.com", "a long admin password")
    page = watched
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("a long admin password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(live_server.url + "/admin/postings/posting/")
    page.get_by_role("link", name="Backend Engineer").click()
    # SelectFilter2 (filter_horizontal) builds its two boxes in JavaScript, for the teams and
    # for the locations.
    expect(page.locator(".field-teams .selector-available")).to_be_visible()
    expect(page.locator(".field-locations .selector-available")).to_be_visible()
    # DateTimeShortcuts adds "Today" / "Now" links next to the date fields.
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()
    # Inlines add a blank form in JavaScript.
    sections = page.locator("#sections-group .inline-related:not(.empty-form)")
    before = sections.count()
    page.get_by_role("button", name="Add another Section").click()
    expect(sections).to_have_count(before + 1)
    assert page.violations() == []
