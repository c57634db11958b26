"""Writing to candidates in Chromium: tick two cards on the board, write once, preview the
first person's email, send one each; on a candidate page, schedule one and see the timeline
with scheduled, sent and failed messages. Screenshots go to test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Message
from conversations.services import send_message
from notifications.models import OutboxEmail
from tests import factories
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_email_selected_from_the_board_then_a_scheduled_message_on_the_timeline(
    live_server, page, applicants, hiring_manager, recruiter, screenshot
):
    jane, ben, ada = applicants["jane"], applicants["ben"], applicants["ada"]
    log_in(page, live_server, hiring_manager)
    page.goto(live_server.url + f"/dashboard/postings/{jane.posting_id}/board/")
    # The checkboxes are reached and ticked from the keyboard like any other.
    page.get_by_label("Select Ben Okafor").focus()
    page.keyboard.press("Space")
    page.get_by_label("Select Ada Moreno").check()
    expect(page.locator("#selected-count")).to_have_text("2 selected:")
    screenshot("compose-board-selection")
    page.get_by_role("button", name="Email selected…").click()

    expect(page.get_by_role("heading", name="Email 2 candidates")).to_be_visible()
    page.get_by_label("Subject").fill("Your application to {{ posting.title }}")
    page.get_by_label("Message").fill(
        "Hi {{ candidate.first_name }},\n\nCould you tell us when you can start?\n\n"
        "{{ sender.name }}"
    )
    page.get_by_role("button", name="Preview for Ada Moreno").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Hi Ada,")
    expect(preview).to_contain_text("Your application to Backend Engineer")
    screenshot("compose-bulk-preview")
    page.get_by_role("button", name="Send 2 emails").click()
    expect(page.get_by_text("Sent 2 emails, one to each candidate.")).to_be_visible()
    assert set(Message.objects.values_list("application_id", flat=True)) == {ben.pk, ada.pk}

    # On Jane's page: one sent, one that failed, then one scheduled from the page itself.
    sent = send_message(application=jane, author=recruiter, subject="Welcome", body="Hi Jane")
    OutboxEmail.objects.filter(pk=sent.outbox_id).update(status="sent", sent_at=timezone.now())
    failed = send_message(application=jane, author=recruiter, subject="Documents", body="Hi")
    OutboxEmail.objects.filter(pk=failed.outbox_id).update(
        status="failed", last_error="SMTP 550: b'5.1.1 No such user'"
    )
    factories.reply(
        jane,
        from_address="someone@elsewhere.example",
        subject="Re: Welcome",
        body_text="Thanks! I can start in March.",
        sender_mismatch=True,
        attachment=("references.pdf", b"%PDF-1.4"),
    )
    page.goto(live_server.url + jane.get_dashboard_url())
    page.get_by_role("link", name="Email candidate").click()
    expect(page.get_by_role("heading", name="Email Jane Doe")).to_be_visible()
    page.get_by_label("Subject").fill("Interview next week")
    page.get_by_label("Message").fill("Hi {{ candidate.first_name }}, see you next week.")
    page.get_by_label("Send at…").check()
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    page.get_by_label("Send at", exact=True).fill(when.strftime("%Y-%m-%dT%H:%M"))
    screenshot("compose-candidate")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Scheduled “Interview next week” to Jane Doe.")).to_be_visible()
    timeline = page.locator("#notes")
    expect(timeline).to_contain_text("Scheduled")
    expect(timeline).to_contain_text("Failed")
    expect(timeline).to_contain_text("No such user")
    expect(timeline).to_contain_text("Check the sender:")
    expect(timeline).to_contain_text("references.pdf")
    page.locator("#notes").scroll_into_view_if_needed()
    screenshot("compose-timeline")

    page.get_by_role("button", name="Cancel the scheduled message “Interview next week”").click()
    expect(page.get_by_text("it will not be sent")).to_be_visible()
    expect(page.locator("#notes")).to_contain_text("Cancelled")
