"""An interviewer in Chromium: signs in, lands on "your interviews", writes a scorecard that
saves itself as she types, and submits it; then she reads her colleague's feedback."""

import re

import pytest
from playwright.sync_api import expect

from interviews import scorecards
from interviews.models import Scorecard
from interviews.scorecards import Feedback

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def shot(screenshot):
    """The suite's screenshot (checked with axe), named for this journey."""

    def take(name: str):
        screenshot(f"score-{name}")

    return take


def test_an_interviewer_fills_a_scorecard_that_saves_itself_and_submits_it(
    live_server,
    page,
    interviewer,
    frank,
    held_interview,
    upcoming_interview,
    shot,
    phone,
    desktop,
    fits_width,
):
    scorecards.submit(
        interview=held_interview,
        interviewer=frank,
        feedback=Feedback(recommendation="strong_yes", key_points="Designed a clean queue."),
    )
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name=re.compile("Log in|Sign in")).click()

    expect(page.get_by_role("heading", name="Your interviews")).to_be_visible()
    expect(page.locator("#scorecards-due")).to_contain_text("Technical screen with Jane Doe")
    expect(page.locator("#upcoming")).to_contain_text("Jane Doe")
    shot("your-interviews-desktop")
    phone()
    assert fits_width()
    shot("your-interviews-phone")
    desktop()

    page.get_by_role("link", name="Write scorecard for Jane Doe").click()
    expect(page.get_by_role("heading", name="Jane Doe")).to_be_visible()
    expect(page.locator("#feedback-hidden")).to_be_visible()
    expect(page.get_by_text("Designed a clean queue.")).to_have_count(0)

    page.get_by_role("group", name="Python").get_by_text("Strong yes").click()
    # No button pressed: htmx posts the draft once she pauses typing.
    with page.expect_response(
        lambda r: r.url.endswith("/scorecard/autosave/") and "back-pressure" in r.request.post_data
    ):
        page.get_by_label("Key points").fill("Explained back-pressure with a real incident.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.key_points == "Explained back-pressure with a real incident."
    assert not card.is_submitted
    shot("scorecard-draft-desktop")

    with page.expect_response(lambda r: r.url.endswith("/scorecard/autosave/")):
        page.get_by_role("group", name="Overall recommendation").get_by_text(
            "Yes", exact=True
        ).click()
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted. Thank you.")).to_be_visible()
    expect(page.get_by_text("Designed a clean queue.")).to_be_visible()
    card.refresh_from_db()
    assert card.is_submitted and card.recommendation == "yes"
    assert {r.attribute.name: r.value for r in card.ratings.all()} == {"Python": 4, "Design": None}
    shot("scorecard-submitted-desktop")
    phone()
    assert fits_width()
    shot("scorecard-submitted-phone")


def test_after_the_window_she_amends_with_a_reason_and_the_recruiter_reads_it(
    live_server, page, interviewer, recruiter, held_interview, application, shot
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.e2e.test_posting_management import log_in

    card = scorecards.submit(
        interview=held_interview,
        interviewer=interviewer,
        feedback=Feedback(recommendation="yes", key_points="Solid."),
    )
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    log_in(page, live_server, interviewer)
    page.goto(live_server.url + f"/dashboard/interviews/{held_interview.pk}/scorecard/")
    page.get_by_role("group", name="Overall recommendation").get_by_text("Strong yes").click()
    page.get_by_label("Why are you amending this scorecard?").fill("Checked the code sample.")
    shot("scorecard-amend-desktop")
    page.get_by_role("button", name="Amend scorecard").click()
    expect(page.get_by_text("Amendment recorded.")).to_be_visible()
    expect(page.locator(".amendment")).to_contain_text("Recommendation: Yes → Strong yes")

    page.context.clear_cookies()
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + f"/dashboard/interviews/{held_interview.pk}/scorecard/")
    expect(page.locator(".scorecard-read")).to_contain_text("Why: Checked the code sample.")
    shot("scorecard-recruiter-desktop")
    page.goto(live_server.url + application.get_dashboard_url())
    page.get_by_label("Add a note").fill("Salary expectations discussed.")
    page.get_by_label("Private (hidden from interviewers)").check()
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes .badge", has_text="Private")).to_be_visible()
    shot("candidate-private-note-desktop")
