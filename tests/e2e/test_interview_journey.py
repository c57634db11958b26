"""The whole interview loop in Chromium, one person after another: the recruiter offers
times, the candidate books one from their status page, the interviewer fills her scorecard
after the interview, and the hiring manager reads the summary and advances the candidate.
Screenshots go to test-artifacts/screenshots/journey-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.services import move_application
from interviews.models import Interview, InterviewerSeat
from tests import factories
from tests.e2e.conftest import DESKTOP, TIMEOUT_MS, assert_no_serious_axe_violations
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def window(browser, live_server):
    """window(user=None) opens a fresh browser window, signed in as `user` when given."""
    contexts = []

    def open_as(user=None):
        context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            log_in(page, live_server, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    from tests.e2e.conftest import SCREENSHOTS

    assert_no_serious_axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}.png"), full_page=True)


def test_offer_book_interview_score_and_advance(
    live_server, window, posting, recruiter, hiring_manager, interviewer, application
):
    move_application(
        application=application, to_stage=posting.stages.get(name="Interview"), by=recruiter
    )
    factories.interview_step(
        posting, interviewers=[interviewer], attributes=("Python", "System design")
    )

    # The recruiter offers two times with Erin.
    alice = window(recruiter)
    alice.goto(live_server.url + application.get_dashboard_url())
    alice.get_by_role("link", name="Offer times for Technical screen").click()
    times = alice.locator(".offer-days label.btn")
    times.nth(0).click()
    times.nth(1).click()
    alice.get_by_label("Video call link").fill("https://meet.example.com/jane")
    alice.get_by_role("button", name="Offer these times").click()
    expect(alice.locator("#interview-status")).to_have_text(
        "Waiting for the candidate to pick a time"
    )
    interview = Interview.objects.get()
    first = interview.slots.first()

    # The candidate books the first from the status page, with nothing but its link.
    jane = window()
    jane.goto(live_server.url + application.get_status_url())
    jane.get_by_role("button", name="Use this time zone").click()
    jane.locator("input[name=slot]").first.check()
    jane.get_by_role("button", name="Book this time").click()
    expect(jane.get_by_text("Your interview is booked")).to_be_visible()
    expect(jane.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    shoot(jane, "status-booked")
    interview.refresh_from_db()
    assert interview.is_scheduled and interview.starts_at == first.starts_at

    # The interview takes place: its hour moves to yesterday.
    held = timezone.now().replace(microsecond=0) - timedelta(days=1)
    ends = held + (interview.ends_at - interview.starts_at)
    Interview.objects.filter(pk=interview.pk).update(starts_at=held, ends_at=ends)
    InterviewerSeat.objects.filter(interview=interview).update(starts_at=held, ends_at=ends)

    # Erin finds the scorecard she owes and submits it.
    erin = window(interviewer)
    erin.goto(live_server.url + "/dashboard/")
    expect(erin.get_by_role("heading", name="Your interviews")).to_be_visible()
    erin.get_by_role("link", name="Write scorecard for Jane Doe").click()
    erin.get_by_role("group", name="Python").get_by_text("Strong yes").click()
    erin.get_by_role("group", name="System design").get_by_text("Yes", exact=True).click()
    erin.get_by_role("group", name="Overall recommendation").get_by_text("Strong yes").click()
    erin.get_by_label("Key points").fill("Explained back-pressure with a real incident.")
    erin.get_by_role("button", name="Submit scorecard").click()
    expect(erin.get_by_text("Scorecard submitted. Thank you.")).to_be_visible()
    shoot(erin, "scorecard-submitted")

    # Bob reads the summary on the candidate page and advances Jane.
    bob = window(hiring_manager)
    bob.goto(live_server.url + application.get_dashboard_url())
    summary = bob.locator("#scorecards")
    expect(summary.locator("tr", has_text="Python").locator(".opinion")).to_have_text(
        ["Strong yes"]
    )
    expect(summary).to_contain_text("Strong yes")
    shoot(bob, "summary")
    summary.get_by_role("radio", name="Advance").check()
    summary.get_by_label("Note for the team").fill("Strong technical signal.")
    summary.get_by_role("button", name="Record decision").click()
    expect(bob.get_by_text("Advanced Jane Doe to Offer.")).to_be_visible()
    application.refresh_from_db()
    assert application.stage.name == "Offer"
    assert application.interview_decisions.get().outcome == "advance"
