"""Self-scheduling in Chromium: a recruiter in Berlin offers times, the candidate in New York
picks one on their status page in their own time zone, and sees it with its .ics link."""

import zoneinfo

import pytest
from playwright.sync_api import expect

from interviews.models import Interview
from tests import factories
from tests.e2e.conftest import (
    DESKTOP,
    SCREENSHOTS,
    TIMEOUT_MS,
    assert_no_serious_axe_violations,
)
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_recruiter_offers_times_and_the_candidate_picks_one_in_their_own_time_zone(
    live_server, page, browser, posting, recruiter, screenshot
):
    recruiter.profile.time_zone = "Europe/Berlin"
    recruiter.profile.save()
    ivan = factories.UserFactory(username="ivan", role="interviewer", first_name="Ivan")
    factories.interview_step(posting, interviewers=[ivan], duration_minutes=45)
    application = factories.apply(posting, name="Jane Doe", email="jane@example.com")

    log_in(page, live_server, recruiter)
    page.goto(live_server.url + application.get_dashboard_url())
    expect(page.locator("#interviews")).to_contain_text("Technical screen")
    screenshot("interviews-candidate-page-empty")
    # The default plan's steps are listed too; this one is the test's.
    page.get_by_role("link", name="Schedule Technical screen").click()
    expect(page.get_by_role("heading", name="Schedule Technical screen")).to_be_visible()
    screenshot("interviews-schedule")

    page.get_by_role("link", name="Let the candidate pick a time instead").click()
    expect(page.get_by_role("heading", name="Times to offer")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Europe/Berlin")
    times = page.locator(".offer-days label.btn")
    expect(times.first).to_be_visible()
    times.nth(0).click()
    times.nth(3).click()
    page.get_by_label("Video call link").fill("https://meet.example.com/jane")
    screenshot("interviews-offer")
    page.get_by_role("button", name="Offer these times").click()
    expect(page.locator("#interview-status")).to_have_text(
        "Waiting for the candidate to pick a time"
    )
    screenshot("interviews-awaiting")
    interview = Interview.objects.get()
    first, _second = interview.slots.all()

    # The candidate, in New York: their browser's zone is preselected, and they confirm it.
    context = browser.new_context(viewport=DESKTOP, timezone_id="America/New_York")
    context.set_default_timeout(TIMEOUT_MS)
    candidate = context.new_page()
    try:
        candidate.goto(live_server.url + application.get_status_url())
        picker = candidate.get_by_label("Show times in")
        expect(picker).to_have_value("America/New_York")
        candidate.get_by_role("button", name="Use this time zone").click()
        offered = candidate.get_by_role("group", name="Times on offer (America/New_York)")
        new_york = first.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
        label = f"{new_york:%A, %B} {new_york.day}, {new_york:%H:%M}"
        offered.get_by_label(label, exact=False).check()
        assert_no_serious_axe_violations(candidate)
        candidate.screenshot(path=str(SCREENSHOTS / "sched-status-pick.png"), full_page=True)
        candidate.get_by_role("button", name="Book this time").click()

        expect(candidate.get_by_text("Your interview is booked")).to_be_visible()
        booked = candidate.locator(".interview-time")
        expect(booked).to_contain_text(f"{new_york:%H:%M}")
        expect(booked).to_contain_text("America/New_York")
        ics = candidate.get_by_role("link", name="Add to my calendar (.ics)")
        expect(ics).to_be_visible()
        response = candidate.request.get(live_server.url + ics.get_attribute("href"))
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert f"{interview.uid}@" in response.text()
        assert_no_serious_axe_violations(candidate)
        candidate.screenshot(path=str(SCREENSHOTS / "sched-status-booked.png"), full_page=True)
    finally:
        context.close()

    interview.refresh_from_db()
    assert interview.is_scheduled and interview.starts_at == first.starts_at
    assert interview.candidate_time_zone == "America/New_York"
    page.reload()
    expect(page.locator("#interview-status")).to_have_text("Scheduled")
    berlin = first.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    expect(page.locator("#interview-when")).to_contain_text(f"{berlin:%H:%M}")
    screenshot("interviews-detail")
    page.goto(live_server.url + application.get_dashboard_url())
    screenshot("interviews-candidate-page")
