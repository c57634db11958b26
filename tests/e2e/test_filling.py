"""Filling a role in Chromium: Riley, a recruiter, hires the last candidate the Backend
Engineer needs from the board; the board asks at once whether to close the posting; she
closes it and rejects everyone still in play with one reason. The careers site no longer
lists it, and each rejection email waits the posting's delay in the outbox."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from applications.models import Application, Stage
from applications.services import move_application
from notifications.models import OutboxEmail
from postings.models import Posting
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "a long demo passphrase"


def test_a_recruiter_hires_the_last_candidate_then_closes_the_posting_and_rejects_the_rest(
    live_server, page, demo_data, screenshot
):
    def shot(name):
        screenshot(f"hire-{name}")

    factories.RejectionReasonFactory(label="Position filled")
    factories.UserFactory(username="riley", role="recruiter", password=PASSWORD)
    backend = Posting.objects.get(slug="backend-engineer")
    assert backend.openings == 2
    ada = Application.objects.get(candidate__email="ada.moreno@example.com")
    ben = Application.objects.get(candidate__email="ben.okafor@example.com")
    move_application(application=ada, to_stage=backend.stages.get(kind=Stage.Kind.HIRED))

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The posting's details say how many it hires, and how many are hired.
    page.goto(live_server.url + f"/dashboard/postings/{backend.pk}/edit/")
    expect(page.get_by_label("Openings")).to_have_value("2")
    expect(page.locator(".openings")).to_have_text("1 of 2 openings filled")
    shot("posting-details")

    # Hire Ben from his card's menu: htmx swaps the card, and the question comes with it.
    page.goto(live_server.url + f"/dashboard/postings/{backend.pk}/board/")
    expect(page.locator("#fill-banner-title")).to_have_count(0)
    card = page.locator(f"#card-{ben.pk}")
    card.locator("summary", has_text="Move").click()
    card.get_by_label("Move Ben Okafor to").select_option(label="Hired · emails")
    card.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("#board-status")).to_contain_text("Moved Ben Okafor to Hired")
    expect(page.locator("#openings-count")).to_have_text("2 of 2 openings filled")
    banner = page.locator("#fill-banner")
    expect(banner.get_by_role("heading", name="All 2 openings filled")).to_be_visible()
    still_open = Application.objects.filter(
        posting=backend, stage__kind__in=[Stage.Kind.APPLIED, Stage.Kind.ACTIVE]
    )
    remaining = list(still_open.values_list("pk", flat=True))
    assert remaining
    close = banner.get_by_role("button", name=f"Close and reject {len(remaining)}")
    expect(close).to_be_visible()
    shot("board-banner")

    # The dashboard home lists it among the filled postings to wrap up.
    page.goto(live_server.url + "/dashboard/")
    wrap_up = page.get_by_role("region", name="Filled postings to wrap up")
    expect(wrap_up).to_contain_text("Backend Engineer")
    shot("home")
    wrap_up.get_by_role("link", name="Backend Engineer").click()

    banner.get_by_label("Reason for rejecting").select_option(label="Position filled")
    banner.get_by_label("Note (optional, for the team)").fill("Both roles filled")
    banner.get_by_role("button", name=f"Close and reject {len(remaining)}").click()
    expect(page.get_by_text("“Backend Engineer” is closed. Rejected")).to_be_visible()
    expect(page.locator("#fill-banner-title")).to_have_count(0)
    shot("board-closed")

    backend.refresh_from_db()
    assert backend.status == Posting.Status.CLOSED
    assert not still_open.exists()
    emails = OutboxEmail.objects.filter(application_id__in=remaining, kind="rejection")
    assert emails.count() == len(remaining)
    for email in emails:
        change = email.application.stage_changes.latest()
        assert change.reason == "Both roles filled"
        assert email.status == OutboxEmail.Status.PENDING
        assert email.send_after == change.at + timedelta(hours=backend.rejection_email_delay_hours)

    page.goto(live_server.url + "/dashboard/postings/")
    row = page.get_by_role("row", name="Backend Engineer")
    expect(row).to_contain_text("2 of 2")
    expect(row).to_contain_text("Filled")
    shot("postings")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Backend Engineer")).to_have_count(0)
    shot("careers")
