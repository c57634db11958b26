"""The whole conversation in Chromium, on real servers: a recruiter rewords a candidate email
with its live preview, saves a message template, emails two candidates ticked on the board
from that template (previewing the first), one of them replies over SMTP into the company's
Dovecot mailbox, the fetcher reads it over IMAP, and the reply is on her timeline.
Screenshots go to test-artifacts/screenshots/conversation-*.png."""

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from conversations.models import Message
from tests.conversations import conftest as mail_servers
from tests.conversations.conftest import MAILBOX_ADDRESS, reply, send
from tests.e2e import conftest as e2e
from tests.e2e import test_interview_journey

window = test_interview_journey.window
dovecot = mail_servers.dovecot
mailbox = mail_servers.mailbox

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def shoot(page, name: str) -> None:
    e2e.shoot(page, f"conversation-{name}")


def test_template_bulk_email_and_a_reply_on_the_timeline(
    live_server, window, mailbox, applicants, recruiter, settings
):
    settings.ATS_REPLY_ADDRESS = MAILBOX_ADDRESS
    ben = applicants["ben"]
    alice = window(recruiter)

    # A candidate email, reworded with the preview following the typing.
    alice.goto(live_server.url + "/dashboard/templates/")
    alice.get_by_role("link", name="Stage update").click()
    alice.wait_for_load_state("load")
    alice.get_by_label("Body").fill(
        "Dear {{ candidate.first_name }}, you are now at {{ stage.name }}."
    )
    expect(alice.locator("#preview")).to_contain_text("you are now at")
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_text("now uses this wording")).to_be_visible()

    # A message template to start hand-written emails from.
    alice.goto(live_server.url + "/dashboard/templates/")
    alice.get_by_role("link", name="New message template").click()
    alice.get_by_label("Name").fill("Availability")
    alice.get_by_label("Subject").fill("Your application for {{ posting.title }}")
    alice.get_by_label("Body").fill(
        "Hi {{ candidate.first_name }},\n\nWhich days next week suit you for a call?\n\n"
        "{{ sender.name }}"
    )
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_role("link", name="Availability")).to_be_visible()

    # Two candidates ticked on the board, one email each, from the template.
    alice.goto(live_server.url + f"/dashboard/postings/{ben.posting_id}/board/")
    alice.get_by_label("Select Ben Okafor").check()
    alice.get_by_label("Select Ada Moreno").check()
    alice.get_by_role("button", name="Email selected…").click()
    alice.get_by_label("Start from a template").select_option(label="Availability")
    alice.get_by_role("button", name="Use template").click()
    expect(alice.get_by_label("Subject")).to_have_value("Your application for {{ posting.title }}")
    alice.get_by_role("button", name="Preview for Ada Moreno").click()
    expect(alice.locator("#preview")).to_contain_text("Hi Ada,")
    shoot(alice, "bulk-preview")
    alice.get_by_role("button", name="Send 2 emails").click()
    expect(alice.get_by_text("Sent 2 emails, one to each candidate.")).to_be_visible()

    # Ben answers the email he got, from his mail program: over SMTP to its Reply-To.
    written = Message.objects.get(application=ben, direction="out")
    (to_ben,) = [m for m in mail.outbox if m.extra_headers["Message-ID"] == written.message_id]
    assert (to_ben.to, to_ben.subject) == (
        [ben.candidate.email],
        "Your application for Backend Engineer",
    )
    plus = to_ben.reply_to[0]
    assert plus.startswith("jobs+") and plus.endswith("@careers.example.com")
    send(
        mailbox,
        reply(
            to=plus,
            sender=ben.candidate.email,
            subject="Re: " + to_ben.subject,
            text="Tuesday or Wednesday afternoon works for me.\n\nBen",
            in_reply_to=to_ben.extra_headers["Message-ID"],
        ),
    )
    call_command("fetch_replies")
    assert Message.objects.filter(application=ben, direction="in").count() == 1

    alice.goto(live_server.url + ben.get_dashboard_url())
    timeline = alice.locator("#notes")
    expect(timeline).to_contain_text("Which days next week suit you for a call?")
    expect(timeline).to_contain_text("Tuesday or Wednesday afternoon works for me.")
    timeline.scroll_into_view_if_needed()
    shoot(alice, "reply-on-timeline")
