"""An applicant follows their application on its status page, and withdraws it."""

import pytest
from playwright.sync_api import expect

from applications import services
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, TIMEOUT_MS
from tests.factories import backend_engineer_posting, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def application(transactional_db):
    application = submit(backend_engineer_posting(), name="Ada Lovelace", email="ada@example.com")
    services.move_application(
        application=application, to_stage=application.posting.stages.get(name="Screen")
    )
    return application


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_status_page_shows_the_steps_passed_and_what_comes_next(
    width, request, live_server, application, page, screenshot, fits_width
):
    request.getfixturevalue(width)()
    page.goto(live_server.url + application.get_status_url())
    expect(page.locator("#application-stage")).to_have_text("Under review")
    steps = page.locator("#application-steps li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("Application received")
    expect(steps.nth(1)).to_contain_text("Under review")
    expect(page.locator("#next-steps li").first).to_contain_text("Interviewing")
    assert fits_width()
    screenshot(f"status-steps-{width}")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_applicant_withdraws_without_javascript_after_confirming(
    width, live_server, application, browser
):
    # Withdrawing must not depend on a script: a context with JavaScript off.
    viewport = {"phone": PHONE, "desktop": DESKTOP}[width]
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(live_server.url + application.get_status_url())
        page.get_by_role("link", name="Withdraw my application").click()
        expect(page.get_by_role("heading", name="Withdraw your application?")).to_be_visible()
        expect(page.locator("main")).to_contain_text("you cannot apply to it again")
        page.screenshot(path=str(SCREENSHOTS / f"withdraw-confirm-{width}.png"), full_page=True)
        application.refresh_from_db()
        assert application.stage.kind == "active"  # nothing has happened yet

        page.get_by_role("button", name="Yes, withdraw my application").click()
        expect(page.locator("#application-stage")).to_have_text("Withdrawn")
        expect(page.locator("main")).to_contain_text("Your application has been withdrawn")
        expect(page.get_by_role("link", name="Withdraw my application")).to_have_count(0)
        page.screenshot(path=str(SCREENSHOTS / f"withdrawn-{width}.png"), full_page=True)
        application.refresh_from_db()
        assert application.stage.kind == "withdrawn"
    finally:
        context.close()
