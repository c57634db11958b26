"""Writing to candidates: compose, the outbox, the real SMTP sink, and what stays behind."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from applications.services import erase
from conversations.models import Message, Thread
from conversations.services import (
    ERASED,
    CannotCancel,
    cancel_scheduled,
    send_bulk,
    send_message,
)
from notifications.models import OutboxEmail
from notifications.tasks import sweep_outbox
from tests import factories

pytestmark = pytest.mark.django_db


def part(received, subtype: str) -> str:
    """The decoded text/<subtype> part of a received message."""
    for piece in received.message.walk():
        if piece.get_content_type() == f"text/{subtype}":
            return piece.get_payload(decode=True).decode(piece.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


BODY = (
    "Hi {{ candidate.first_name }},\n\nThanks for applying to {{ posting.title }}.\n\n"
    "{{ sender.name }}"
)


def test_a_message_goes_out_with_the_plus_reply_to_and_its_message_id_is_recorded(
    reply_address, application, recruiter, smtp_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_message(
            application=application,
            author=recruiter,
            subject="About {{ posting.title }}",
            body=BODY,
        )
    [received] = [r for r in smtp_email.received if r.subject.startswith("About")]
    token = Thread.objects.get(application=application).reply_token
    assert received.message["Reply-To"] == f"jobs+{token}@hiring.example"
    assert application.status_token not in received.message["Reply-To"]
    assert received.message_id == message.message_id == message.outbox.message_id
    assert received.to == ("jane@example.com",)
    assert received.subject == "About Backend Engineer"
    text = part(received, "plain")
    assert text.startswith("Hi Jane,") and "Thanks for applying to Backend Engineer." in text
    message.refresh_from_db()
    assert message.direction == "out" and message.author == recruiter
    assert message.outbox.status == "sent" and message.outbox.kind == "candidate_message"
    assert "Hi Jane," in message.body_text


def test_the_html_part_escapes_what_was_typed(
    application, recruiter, smtp_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_message(
            application=application,
            author=recruiter,
            subject="Hello",
            body="<script>alert(1)</script> {{ status_link }}",
        )
    [received] = [r for r in smtp_email.received if r.subject == "Hello"]
    html = part(received, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="http://' in html or '<a href="https://' in html


def test_a_scheduled_message_goes_out_only_once_due(
    application, recruiter, smtp_email, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        message = send_message(
            application=application, author=recruiter, subject="Later", body="Hi", send_at=at
        )
        sweep_outbox()
    assert not [r for r in smtp_email.received if r.subject == "Later"]
    assert message.outbox.send_after == at

    OutboxEmail.objects.filter(pk=message.outbox_id).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )
    sweep_outbox()
    assert [r.message_id for r in smtp_email.received if r.subject == "Later"] == [
        message.message_id
    ]
    message.outbox.refresh_from_db()
    assert message.outbox.status == "sent"


def test_a_scheduled_message_can_be_cancelled_until_due_and_then_never_goes(
    application, recruiter, smtp_email
):
    message = send_message(
        application=application,
        author=recruiter,
        subject="Later",
        body="Hi",
        send_at=timezone.now() + timedelta(hours=1),
    )
    cancel_scheduled(message=message, by=recruiter)
    message.outbox.refresh_from_db()
    assert message.outbox.status == "cancelled"
    with pytest.raises(CannotCancel):
        cancel_scheduled(message=message, by=recruiter)
    OutboxEmail.objects.filter(pk=message.outbox_id).update(send_after=timezone.now())
    sweep_outbox()
    assert not [r for r in smtp_email.received if r.subject == "Later"]


def test_a_message_sent_now_cannot_be_cancelled(application, recruiter, smtp_email):
    message = send_message(application=application, author=recruiter, subject="Now", body="Hi")
    with pytest.raises(CannotCancel):
        cancel_scheduled(message=message, by=recruiter)


def test_bulk_sends_one_email_each_with_its_own_placeholders_and_skips_the_erased(
    applicants, recruiter, smtp_email, django_capture_on_commit_callbacks
):
    erase(application=applicants["dev"])
    with django_capture_on_commit_callbacks(execute=True):
        result = send_bulk(
            applications=list(applicants.values()),
            author=recruiter,
            subject="News for {{ candidate.name }}",
            body=BODY,
        )
    assert len(result.sent) == 3
    assert [(a.pk, reason) for a, reason in result.skipped] == [(applicants["dev"].pk, ERASED)]
    received = {r.to[0]: r for r in smtp_email.received if r.subject.startswith("News")}
    assert set(received) == {"jane@example.com", "ben@example.com", "ada@corp.example"}
    assert received["ben@example.com"].subject == "News for Ben Okafor"
    assert "Hi Ben," in part(received["ben@example.com"], "plain")
    assert "Hi Ada," in part(received["ada@corp.example"], "plain")
    assert len({r.message_id for r in received.values()}) == 3


@pytest.mark.parametrize(
    ("subject", "body", "send_at", "field", "words"),
    [
        ("", "Hi", None, "subject", "Write a subject"),
        ("Hi", "  ", None, "body", "Write the message"),
        ("x" * 301, "Hi", None, "subject", "300 characters"),
        ("Hi", "x" * 50_001, None, "body", "50,000 characters"),
        (
            "Hi",
            "{{ candidate.salary }} {{ settings.SECRET_KEY }}",
            None,
            "body",
            "candidate.salary",
        ),
        ("{{ candidate.__class__ }}", "Hi", None, "subject", "Unknown placeholder"),
        ("Hi", "Hi", timezone.now() - timedelta(minutes=5), "send_at", "passed"),
    ],
)
def test_bad_input_names_the_problem_and_stores_nothing(
    applicants, recruiter, subject, body, send_at, field, words
):
    before = OutboxEmail.objects.count()
    for call in (
        lambda: send_message(
            application=applicants["jane"],
            author=recruiter,
            subject=subject,
            body=body,
            send_at=send_at,
        ),
        lambda: send_bulk(
            applications=list(applicants.values()),
            author=recruiter,
            subject=subject,
            body=body,
            send_at=send_at,
        ),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert words in " ".join(caught.value.message_dict[field])
    assert not Message.objects.exists()
    assert OutboxEmail.objects.count() == before


def test_an_erased_application_is_never_written_to(application, recruiter):
    erase(application=application)
    with pytest.raises(ValidationError, match="erased"):
        send_message(application=application, author=recruiter, subject="Hi", body="Hi")
    assert not Message.objects.exists()
    assert not OutboxEmail.objects.filter(kind="candidate_message").exists()


def test_erasure_removes_the_conversation_and_its_files(
    reply_address, application, recruiter, private_root, django_capture_on_commit_callbacks
):
    from conversations.models import Attachment

    send_message(application=application, author=recruiter, subject="Hi Jane", body="Hi Jane")
    factories.reply(application, body_text="Thanks, Jane", attachment=("jane.pdf", b"%PDF"))
    attachment = Attachment.objects.get()
    stored = attachment.file.name
    assert attachment.file.storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        erase(application=application)
    assert not Message.objects.exists()
    assert not Thread.objects.exists()
    assert not Attachment.objects.exists()
    assert not attachment.file.storage.exists(stored)
    assert not OutboxEmail.objects.filter(kind="candidate_message").exists()


def test_erasing_an_address_removes_its_unassigned_mail_in_the_inbox_too(
    application, other_posting, private_root, django_capture_on_commit_callbacks
):
    """Mail from Jane that no application claimed is hers as well; mail from others stays,
    and while another application from her address remains, so does her mail."""
    from applications.services import erase_all
    from conversations.models import Attachment

    def inbox_mail(sender):
        return factories.reply(application, from_address=sender, attachment=("cv.pdf", b"%PDF-1.4"))

    hers = inbox_mail("JANE@example.com")
    others = inbox_mail("someone@example.org")
    Message.objects.filter(pk__in=[hers.pk, others.pk]).update(application=None)
    stored = hers.attachments.get().file.name

    second = factories.submit(other_posting, email="jane@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        erase(application=application)
    assert set(Message.objects.values_list("pk", flat=True)) == {hers.pk, others.pk}

    with django_capture_on_commit_callbacks(execute=True):
        erase_all(candidate=second.candidate)
    assert list(Message.objects.values_list("pk", flat=True)) == [others.pk]
    assert Attachment.objects.count() == 1
    assert not default_storage.exists(stored)
