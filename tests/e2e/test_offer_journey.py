"""An offer from draft to hire in Chromium, one person after another: the recruiter drafts
with a preview and asks for approvals, the hiring manager and a second recruiter approve, the
recruiter sends it, and the candidate accepts from their status page and is hired.
Screenshots go to test-artifacts/screenshots/offers-*.png."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.services import move_application
from offers import pdf
from offers.models import Offer
from tests import factories
from tests.conftest import need
from tests.e2e import conftest as e2e
from tests.e2e import test_interview_journey

# Fresh signed-in windows, one per person, as in the interview journey.
window = test_interview_journey.window

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def shoot(page, name: str) -> None:
    e2e.shoot(page, f"offers-{name}")


def test_draft_approve_send_accept_and_hire(
    live_server, window, posting, recruiter, hiring_manager, application
):
    need(pdf.available(), "WeasyPrint or the Pango libraries it needs are not installed")
    frieda = factories.UserFactory(username="frieda", role="recruiter")
    move_application(
        application=application, to_stage=posting.stages.get(name="Offer"), by=recruiter
    )
    today = timezone.localdate()

    # Alice drafts the offer, previews the letter and saves it.
    alice = window(recruiter)
    alice.goto(live_server.url + application.get_dashboard_url())
    alice.get_by_role("link", name="Draft an offer").click()
    alice.get_by_label("Base salary (USD)").fill("160000")
    alice.get_by_label("Start date").fill((today + timedelta(days=30)).isoformat())
    alice.get_by_label("Expires on").fill((today + timedelta(days=7)).isoformat())
    alice.get_by_label("Equity").fill("10,000 options")
    alice.get_by_role("button", name="Preview the letter").click()
    expect(alice.locator(".offer-letter")).to_contain_text("Dear Jane Doe")
    expect(alice.locator(".offer-letter")).to_contain_text("$160,000 USD per year")
    shoot(alice, "draft")
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_role("heading", name="Offer v1")).to_be_visible()

    # The chain: Bob (the posting's hiring manager, proposed), then Frieda.
    expect(alice.get_by_label("Approver 1")).to_have_value(str(hiring_manager.pk))
    alice.get_by_label("Approver 2").select_option(str(frieda.pk))
    shoot(alice, "before-approval")
    alice.get_by_role("button", name="Send for approval").click()
    expect(alice.locator(".badge").first).to_have_text("Waiting for approval")

    for approver in (hiring_manager, frieda):
        page = window(approver)
        page.goto(live_server.url + f"/dashboard/offers/{Offer.objects.get().pk}/")
        page.get_by_label("Approve", exact=True).check()
        if approver == hiring_manager:
            shoot(page, "approval")
        page.get_by_role("button", name="Record my decision").click()
        expect(page.locator(".alert")).to_contain_text("Approved.")

    # Alice sends it: the PDF is made and the candidate emailed.
    alice.reload()
    alice.get_by_role("button", name="Send to the candidate").click()
    expect(alice.locator(".badge").first).to_have_text("Sent")
    shoot(alice, "sent")

    # Jane reads it on her status page and accepts with her name.
    jane = window()
    jane.goto(live_server.url + application.get_status_url())
    expect(jane.locator("#offer")).to_contain_text("$160,000 USD per year")
    shoot(jane, "status")
    letter = jane.request.get(jane.url.split("#")[0] + f"offer/{Offer.objects.get().pk}/letter.pdf")
    text = PdfReader(io.BytesIO(letter.body())).pages[0].extract_text()
    assert "Jane Doe" in text and "$160,000" in text
    jane.get_by_label("To accept, type your full name").fill("Jane Doe")
    jane.get_by_role("button", name="Accept the offer").click()
    expect(jane.locator("#offer")).to_contain_text("You accepted this offer")
    shoot(jane, "accepted")

    application.refresh_from_db()
    assert application.stage.name == "Hired"
    offer = Offer.objects.get()
    assert (offer.status, offer.accepted_name) == ("accepted", "Jane Doe")

    alice.goto(live_server.url + application.get_dashboard_url())
    expect(alice.locator("#offers")).to_contain_text("Accepted")
    shoot(alice, "candidate-page")
    alice.goto(live_server.url + f"/dashboard/offers/posting/{posting.pk}/letter/")
    shoot(alice, "letter-template")
    alice.goto(live_server.url + f"/dashboard/offers/{offer.pk}/")
    shoot(alice, "trail")
