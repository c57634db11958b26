"""The Inbox: recruiters read unmatched replies, find the application, assign or discard."""

import pytest
from django.urls import reverse

from applications.resumes import pdf_bytes_with_text
from conversations import receiving
from conversations.inbound import Inbound, RawAttachment
from conversations.models import Message
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def unmatched(**fields) -> Message:
    fields = {
        "message_id": "<lost@example.com>",
        "from_name": "Jane Doe",
        "from_address": "jane@example.com",
        "to": ["jobs@careers.example.com"],
        "subject": "Question about the role",
        "text": "Is the role open to people in Lisbon?",
        "full_text": "Is the role open to people in Lisbon?\n\n> earlier words",
        **fields,
    }
    message, created = receiving.store(Inbound(**fields))
    assert created and message.application is None
    return message


@pytest.fixture
def waiting(db):
    return unmatched(
        attachments=[RawAttachment(name="cv.pdf", data=pdf_bytes_with_text("Jane CV"))]
    )


def test_a_recruiter_reads_the_inbox_and_the_nav_counts_it(as_recruiter, waiting):
    page = as_recruiter.get(reverse("dashboard:inbox")).content.decode()
    assert "Question about the role" in page and "jane@example.com" in page
    assert 'Inbox <span class="badge text-bg-primary rounded-pill">1<' in page
    message_page = as_recruiter.get(reverse("dashboard:inbox_message", args=[waiting.pk]))
    body = message_page.content.decode()
    assert "Is the role open to people in Lisbon?" in body
    assert "&gt; earlier words" in body  # the quoted history, behind a toggle
    assert "cv.pdf" in body


def test_the_inbox_suggests_the_senders_applications_and_finds_others_by_name(
    as_recruiter, waiting, applicants
):
    url = reverse("dashboard:inbox_message", args=[waiting.pk])
    page = as_recruiter.get(url).content.decode()
    assert "Applications from the sender’s address" in page and "Jane Doe" in page
    found = as_recruiter.get(url, {"q": "okafor"}).content.decode()
    assert "Ben Okafor" in found
    nothing = as_recruiter.get(url, {"q": "nobody-at-all"}).content.decode()
    assert "No application matches" in nothing


def test_assigning_puts_it_on_the_timeline_and_tells_the_team(
    as_recruiter, waiting, application, hiring_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_recruiter.post(
            reverse("dashboard:inbox_assign", args=[waiting.pk]), {"application": application.pk}
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.application == application and not waiting.sender_mismatch
    assert list(
        OutboxEmail.objects.filter(kind="candidate_replied").values_list("to", flat=True)
    ) == ["bob@example.com"]
    # Gone from the Inbox; a second assign finds nothing to assign.
    message_url = reverse("dashboard:inbox_message", args=[waiting.pk])
    assert as_recruiter.get(message_url).status_code == 404
    page = as_recruiter.get(reverse("dashboard:inbox"), follow=True).content.decode()
    assert "Nothing waiting" in page


def test_a_bad_choice_is_a_message_not_an_error(as_recruiter, waiting):
    url = reverse("dashboard:inbox_assign", args=[waiting.pk])
    response = as_recruiter.post(url, {"application": "not a number"}, follow=True)
    assert "Choose the application" in response.content.decode()
    assert as_recruiter.post(url, {"application": 999999}).status_code == 404
    assert Message.objects.inbox().count() == 1


def test_discarding_keeps_only_the_message_id(
    as_recruiter, waiting, private_root, django_capture_on_commit_callbacks
):
    stored = waiting.attachments.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        as_recruiter.post(reverse("dashboard:inbox_discard", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.discarded_at and waiting.message_id == "<lost@example.com>"
    assert (waiting.subject, waiting.body_text, waiting.body_full, waiting.from_address) == (
        "",
        "",
        "",
        "",
    )
    assert not waiting.attachments.exists() and not (private_root / stored).exists()
    # Fetched again: recognised, not stored a second time.
    _, created = receiving.store(Inbound(message_id="<lost@example.com>", subject="again"))
    assert not created
    assert not Message.objects.inbox().exists()


def test_an_attachment_downloads_as_a_file_never_inline(as_recruiter, waiting):
    attachment = waiting.attachments.get()
    response = as_recruiter.get(
        reverse("dashboard:inbox_attachment", args=[waiting.pk, attachment.pk])
    )
    assert response["Content-Disposition"].startswith('attachment; filename="cv.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_html_that_came_with_the_mail_is_never_shown_as_markup(as_recruiter):
    message = unmatched(
        text="<script>alert(1)</script> hello", full_text="<script>alert(1)</script> hello"
    )
    page = as_recruiter.get(reverse("dashboard:inbox_message", args=[message.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize("who", ["hiring_manager", "interviewer"])
def test_the_nav_has_no_inbox_for_hiring_managers_and_interviewers(client, request, who, waiting):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("dashboard:settings")).content.decode()
    assert 'href="/dashboard/inbox/"' not in page
