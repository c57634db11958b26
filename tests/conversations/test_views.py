"""The dashboard's side of writing to candidates: the compose page, "Email selected" from the
board, the timeline, cancelling; and who may do it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Message
from conversations.services import send_message
from notifications.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db


def compose_url(application):
    return reverse("dashboard:compose", args=[application.posting_id, application.pk])


def test_the_candidate_page_offers_email_candidate_instead_of_mailto(as_manager, application):
    html = as_manager.get(application.get_dashboard_url()).content.decode()
    assert "mailto:" not in html
    assert compose_url(application) in html


def test_sending_from_the_compose_page_puts_the_message_on_the_timeline(
    as_manager, application, django_capture_on_commit_callbacks, mailoutbox
):
    page = as_manager.get(compose_url(application)).content.decode()
    assert "{{ candidate.first_name }}" in page and "Start from a template" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            compose_url(application),
            {
                "subject": "Next steps",
                "body": "Hi {{ candidate.first_name }}",
                "when": "now",
                "action": "send",
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == application.get_dashboard_url() + "#notes"
    html = response.content.decode()
    assert "Sent “Next steps” to Jane Doe." in html
    assert "Next steps" in html and "wrote to the candidate" in html
    message = Message.objects.get()
    assert message.outbox.status == "sent" and message.body_text == "Hi Jane"
    assert [m.subject for m in mailoutbox if m.subject == "Next steps"] == ["Next steps"]


def test_preview_fills_the_placeholders_and_sends_nothing(as_manager, application):
    response = as_manager.post(
        compose_url(application),
        {
            "subject": "For {{ candidate.name }}",
            "body": "<b>Hi</b> {{ candidate.first_name }}",
            "when": "now",
            "action": "preview",
        },
    )
    html = response.content.decode()
    assert "For Jane Doe" in html and "&lt;b&gt;Hi&lt;/b&gt; Jane" in html
    assert not Message.objects.exists()


def test_a_time_is_read_in_the_writers_time_zone_and_shows_as_scheduled_with_cancel(
    as_manager, hiring_manager, application
):
    hiring_manager.profile.time_zone = "America/New_York"
    hiring_manager.profile.save()
    local = (timezone.now() + timedelta(days=2)).astimezone(hiring_manager.profile.zone)
    typed = local.strftime("%Y-%m-%dT%H:%M")
    response = as_manager.post(
        compose_url(application),
        {"subject": "Later", "body": "Hi", "when": "later", "send_at": typed, "action": "send"},
        follow=True,
    )
    message = Message.objects.get()
    assert message.outbox.send_after == local.replace(second=0, microsecond=0)
    html = response.content.decode()
    assert "Scheduled" in html and "Cancel" in html

    response = as_manager.post(
        reverse("dashboard:cancel_message", args=[application.posting_id, application.pk]),
        {"message": message.pk},
        follow=True,
    )
    assert "it will not be sent" in response.content.decode()
    message.outbox.refresh_from_db()
    assert message.outbox.status == "cancelled"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"subject": "", "body": "Hi", "when": "now"}, "Write a subject"),
        ({"subject": "Hi", "body": "{{ offer.salary }}", "when": "now"}, "offer.salary"),
        ({"subject": "Hi", "body": "Hi", "when": "later", "send_at": ""}, "Pick the time"),
        ({"subject": "Hi", "body": "Hi", "when": "later", "send_at": "2001-01-01T10:00"}, "passed"),
        ({"subject": "Hi", "body": "Hi", "when": "later", "send_at": "soon"}, "valid date"),
    ],
)
def test_bad_input_is_a_clear_message_and_stores_nothing(as_manager, application, data, words):
    before = OutboxEmail.objects.count()
    response = as_manager.post(compose_url(application), {**data, "action": "send"})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Message.objects.exists() and OutboxEmail.objects.count() == before


def test_email_selected_on_the_board_composes_once_previews_the_first_and_sends_one_each(
    as_manager, applicants, django_capture_on_commit_callbacks, mailoutbox
):
    posting = applicants["jane"].posting
    board = reverse("dashboard:board", args=[posting.pk])
    html = as_manager.get(board).content.decode()
    assert 'id="email-selected"' in html
    url = reverse("dashboard:compose_bulk", args=[posting.pk])
    chosen = [applicants["ben"].pk, applicants["ada"].pk]
    page = as_manager.post(url, {"applications": chosen, "next": board}).content.decode()
    assert "Email 2 candidates" in page and "Ben Okafor" in page and "Jane Doe" not in page
    wording = {"subject": "Hello {{ candidate.first_name }}", "body": "Dear {{ candidate.name }}"}
    preview = as_manager.post(
        url, {"applications": chosen, "next": board, **wording, "when": "now", "action": "preview"}
    ).content.decode()
    assert "Preview: what Ada Moreno reads" in preview and "Dear Ada Moreno" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            url,
            {"applications": chosen, "next": board, **wording, "when": "now", "action": "send"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == board
    assert "Sent 2 emails, one to each candidate." in response.content.decode()
    sent = {m.to[0]: m for m in mailoutbox if m.subject.startswith("Hello")}
    assert sent["ben@example.com"].subject == "Hello Ben"
    assert sent["ada@corp.example"].body.startswith("Dear Ada Moreno")
    assert set(Message.objects.values_list("application_id", flat=True)) == set(chosen)


def test_email_selected_from_the_list_view_too(as_manager, applicants):
    posting = applicants["jane"].posting
    html = as_manager.get(reverse("dashboard:board_list", args=[posting.pk])).content.decode()
    assert 'id="email-selected"' in html and 'form="bulk-form"' in html


def test_email_selected_with_nothing_ticked_says_so(as_manager, application):
    url = reverse("dashboard:compose_bulk", args=[application.posting_id])
    response = as_manager.post(url, {}, follow=True)
    assert "Select at least one application first." in response.content.decode()


def test_bulk_ignores_applications_of_another_posting(as_manager, application, other_posting):
    zoe = factories.apply(other_posting, name="Zoe Other", email="zoe@example.com")
    url = reverse("dashboard:compose_bulk", args=[application.posting_id])
    as_manager.post(
        url,
        {
            "applications": [application.pk, zoe.pk],
            "subject": "Hi",
            "body": "Hi",
            "when": "now",
            "action": "send",
        },
    )
    assert list(Message.objects.values_list("application_id", flat=True)) == [application.pk]


def test_a_hiring_manager_of_another_posting_gets_404_and_nothing_is_sent(
    client, other_manager, application
):
    client.force_login(other_manager)
    data = {"subject": "Hi", "body": "Hi", "when": "now", "action": "send"}
    assert client.get(compose_url(application)).status_code == 404
    assert client.post(compose_url(application), data).status_code == 404
    bulk = reverse("dashboard:compose_bulk", args=[application.posting_id])
    assert client.post(bulk, {"applications": [application.pk], **data}).status_code == 404
    assert not Message.objects.exists()


def test_an_interviewer_can_neither_write_nor_read_the_conversation(
    client, interviewer, upcoming_interview, recruiter
):
    application = upcoming_interview.application
    send_message(application=application, author=recruiter, subject="Secret", body="Hi")
    client.force_login(interviewer)
    data = {"subject": "Hi", "body": "Hi", "when": "now", "action": "send"}
    assert client.post(compose_url(application), data).status_code == 404
    assert client.get(application.get_dashboard_url()).status_code == 404
    page = client.get(reverse("dashboard:interview", args=[upcoming_interview.pk]))
    assert "Secret" not in page.content.decode()
    assert Message.objects.count() == 1


def test_a_recruiter_may_write_on_any_posting(client, recruiter, application):
    client.force_login(recruiter)
    data = {"subject": "Hi", "body": "Hi", "when": "now", "action": "send"}
    assert client.post(compose_url(application), data).status_code == 302
    assert Message.objects.get().author == recruiter


def test_an_erased_application_has_no_compose(as_manager, application):
    from applications.services import erase

    erase(application=application)
    assert "Email candidate" not in as_manager.get(application.get_dashboard_url()).content.decode()
    page = as_manager.get(compose_url(application)).content.decode()
    assert "erased their data" in page and "compose-form" not in page


def test_the_timeline_shows_failed_and_incoming_messages(as_manager, application, recruiter):
    failed = send_message(application=application, author=recruiter, subject="Oops", body="Hi")
    OutboxEmail.objects.filter(pk=failed.outbox_id).update(
        status="failed", last_error="SMTP 550: no such user"
    )
    factories.reply(
        application,
        from_address="mallory@example.com",
        body_text="Please send my offer to this address",
        sender_mismatch=True,
    )
    html = as_manager.get(application.get_dashboard_url()).content.decode()
    assert "Failed" in html and "SMTP 550: no such user" in html
    assert "Please send my offer to this address" in html
    assert "Check the sender:" in html and "mallory@example.com" in html


@pytest.fixture
def follow_up(recruiter, other_posting):
    """A global message template, and one of another posting that must not be offered here."""
    from conversations.models import MessageTemplate

    MessageTemplate.objects.create(
        name="Other team's note", posting=other_posting, subject="Other", body="Other"
    )
    return MessageTemplate.objects.create(
        name="Follow-up after the interview",
        subject="Following up on {{ posting.title }}",
        body="Hi {{ candidate.first_name }},\n\nThanks for your time today.",
        updated_by=recruiter,
    )


def test_compose_starts_from_a_message_template_and_fills_it_per_person_when_sent(
    as_manager, application, follow_up, django_capture_on_commit_callbacks, mailoutbox
):
    page = as_manager.get(compose_url(application)).content.decode()
    assert "Start from a template" in page and "Follow-up after the interview" in page
    assert "Other team&#x27;s note" not in page and "Other team's note" not in page
    used = as_manager.post(
        compose_url(application),
        {"template": follow_up.pk, "when": "now", "action": "use_template"},
    )
    assert used.status_code == 200
    form = used.context["form"]
    # The wording arrives with its placeholders, to read and edit before sending.
    assert form["subject"].value() == "Following up on {{ posting.title }}"
    assert form["body"].value().startswith("Hi {{ candidate.first_name }},")
    assert not Message.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(
            compose_url(application),
            {**form.data.dict(), "action": "send"},
        )
    sent = Message.objects.get()
    assert sent.subject == "Following up on Backend Engineer"
    assert sent.body_text.startswith("Hi Jane,")


def test_a_template_of_another_posting_fills_nothing(as_manager, application, follow_up):
    from conversations.models import MessageTemplate

    other = MessageTemplate.objects.get(name="Other team's note")
    response = as_manager.post(
        compose_url(application),
        {"template": other.pk, "subject": "", "body": "", "when": "now", "action": "use_template"},
    )
    assert response.context["form"]["subject"].value() == ""
    assert not Message.objects.exists()


def test_email_selected_starts_from_a_template_too(as_manager, applicants, follow_up):
    posting = applicants["jane"].posting
    url = reverse("dashboard:compose_bulk", args=[posting.pk])
    chosen = [applicants["ben"].pk, applicants["ada"].pk]
    response = as_manager.post(
        url,
        {
            "applications": chosen,
            "template": follow_up.pk,
            "subject": "",
            "body": "",
            "when": "now",
            "action": "use_template",
        },
    )
    assert response.context["form"]["subject"].value() == follow_up.subject
    assert "Email 2 candidates" in response.content.decode()
    assert not Message.objects.exists()


def test_a_replys_file_downloads_from_the_timeline_and_only_under_its_application(
    as_manager, applicants
):
    jane, ben = applicants["jane"], applicants["ben"]
    incoming = factories.reply(jane, attachment=("references.pdf", b"%PDF-1.4 references"))
    attachment = incoming.attachments.get()
    url = reverse("dashboard:message_attachment", args=[jane.posting_id, jane.pk, attachment.pk])
    assert url in as_manager.get(jane.get_dashboard_url()).content.decode()
    response = as_manager.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 references"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The same file asked for under another application of the same posting: not found.
    other = reverse("dashboard:message_attachment", args=[ben.posting_id, ben.pk, attachment.pk])
    assert as_manager.get(other).status_code == 404
