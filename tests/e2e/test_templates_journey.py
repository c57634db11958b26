"""A recruiter rewords a candidate email in Chromium: the preview follows the typing (htmx),
filled from a real application; the saved wording is what the next candidate email says; a
posting gets its own version from its page. Screenshots go to
test-artifacts/screenshots/templates-*.png."""

import pytest
from playwright.sync_api import expect

from applications.services import move_application
from notifications.models import OutboxEmail
from tests.e2e import conftest as e2e
from tests.e2e import test_interview_journey

window = test_interview_journey.window

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def shoot(page, name: str) -> None:
    e2e.shoot(page, f"templates-{name}")


def test_edit_preview_save_and_a_postings_own_version(
    live_server, window, posting, recruiter, application, settings
):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 0
    alice = window(recruiter)
    alice.goto(live_server.url + "/dashboard/")
    alice.get_by_role("link", name="Templates").click()
    expect(alice.get_by_role("heading", name="Candidate emails")).to_be_visible()
    shoot(alice, "list")

    alice.get_by_role("link", name="Stage update").click()
    preview = alice.locator("#preview")
    expect(preview).to_contain_text("Hi Jane Doe,")
    alice.wait_for_load_state("load")
    body = alice.get_by_label("Body")
    body.fill("Dear {{ candidate.first_name }}, you are now at {{ stage.name }}.\n\n<b>Bold?</b>")
    # htmx re-renders the preview as one types, with no click.
    expect(preview).to_contain_text("Dear Jane, you are now at")
    expect(preview).to_contain_text("<b>Bold?</b>")
    shoot(alice, "edit")
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_text("now uses this wording")).to_be_visible()

    move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    email = OutboxEmail.objects.get(kind="stage_changed")
    assert email.body_text.startswith("Dear Jane, you are now at")

    # The posting's own rejection, from the posting's pages.
    alice.goto(live_server.url + f"/dashboard/postings/{posting.pk}/edit/")
    alice.get_by_role("link", name="Candidate emails").click()
    alice.get_by_role("link", name="Rejection").click()
    alice.wait_for_load_state("load")
    alice.get_by_label("Body").fill("Thank you, {{ candidate.first_name }}, from the backend team.")
    expect(preview).to_contain_text("Thank you, Jane, from the backend team.")
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_text("This posting's own version")).to_be_visible()
    shoot(alice, "posting")
