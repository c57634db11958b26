"""The Inbox in Chromium: Riley, a recruiter, sees two replies waiting in the nav, reads one
whose sender wrote from another address, finds Ada's application by name, and assigns it;
the other, too large to fetch, she discards."""

import pytest
from playwright.sync_api import expect

from applications.models import Application
from applications.resumes import pdf_bytes_with_text
from conversations import receiving
from conversations.inbound import Inbound, RawAttachment
from conversations.models import Message
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "a long demo passphrase"


def test_a_recruiter_reads_an_unmatched_reply_and_assigns_it(
    live_server, page, demo_data, screenshot
):
    def shot(name):
        screenshot(f"imap-{name}")

    factories.UserFactory(username="riley", role="recruiter", password=PASSWORD)
    ada = Application.objects.get(candidate__email="ada.moreno@example.com")
    reply, _ = receiving.store(
        Inbound(
            message_id="<from-home@example.net>",
            from_name="Ada Moreno",
            from_address="ada.home@example.net",
            to=["jobs@careers.example.com"],
            subject="Re: Your application for Backend Engineer",
            text="Hi, I'm writing from my personal address. Tuesday at 10:00 works for the "
            "technical interview.\n\nAda",
            full_text="Hi, I'm writing from my personal address. Tuesday at 10:00 works for the "
            "technical interview.\n\nAda\n\nOn Mon, Riley wrote:\n> Could you do Tuesday?",
            attachments=[
                RawAttachment(name="references.pdf", data=pdf_bytes_with_text("References")),
                RawAttachment(name="setup.exe", data=b"MZ\x90\x00"),
            ],
        )
    )
    receiving.store(
        Inbound(
            message_id="<huge@example.org>",
            from_address="someone@example.org",
            subject="My portfolio",
            refused="Too large: 27.4 MB, above the limit of 15 MB. It was not downloaded; ask "
            "the sender for a smaller message or a link.",
        )
    )

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    inbox_link = page.get_by_role("link", name="Inbox 2 unassigned")
    expect(inbox_link).to_be_visible()
    inbox_link.click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("1 problem")).to_have_count(2)
    shot("inbox")

    page.get_by_role("link", name="Re: Your application for Backend Engineer").click()
    expect(page.get_by_text("Not kept: setup.exe: not a PDF or Word file.")).to_be_visible()
    expect(page.get_by_role("link", name="references.pdf")).to_be_visible()
    page.get_by_text("Show the quoted history").click()
    expect(page.get_by_text("> Could you do Tuesday?")).to_be_visible()
    page.get_by_label("Name or email").fill("moreno")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("ada.moreno@example.com")).to_be_visible()
    expect(page.get_by_text("Not the sender’s address: the reply will be marked.")).to_be_visible()
    shot("message")

    page.get_by_role("button", name=f"Assign to Ada Moreno, {ada.posting.title}").click()
    expect(page.get_by_text("The message is on Ada Moreno’s timeline")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox 1 unassigned")).to_be_visible()
    reply.refresh_from_db()
    assert reply.application == ada and reply.sender_mismatch

    page.get_by_role("link", name="My portfolio").click()
    expect(page.get_by_text("Too large: 27.4 MB")).to_be_visible()
    shot("oversized")
    page.get_by_role("button", name="Discard").click()
    expect(page.get_by_text("Nothing waiting")).to_be_visible()
    shot("empty")
    assert not Message.objects.inbox().exists()
