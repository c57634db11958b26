"""The candidate page: profile, answers, resume (inline and download, through the scope),
other applications, the timeline, notes with mentions, moving and rejecting."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import StageChange
from applications.resumes import DOCX
from dashboard.models import Note
from notifications.models import OutboxEmail
from tests import factories
from tests.applications.docx import docx_bytes
from tests.factories import apply

pytestmark = pytest.mark.django_db


def page_url(application):
    return reverse("dashboard:application", args=[application.posting_id, application.pk])


def action_url(name, application):
    return reverse(f"dashboard:{name}", args=[application.posting_id, application.pk])


def test_the_page_shows_profile_answers_resume_and_history(as_manager, application):
    response = as_manager.get(page_url(application))
    html = response.content.decode()
    assert response.status_code == 200
    assert "jane@example.com" in html and "+1 415 555 0100" in html
    assert "Are you applying to the internship?" in html
    assert "<dd>Yes</dd>" in html
    assert f'src="{action_url("resume_inline", application)}#navpanes=0' in html
    assert action_url("resume_download", application) in html
    assert [entry.get("change") is not None for entry in response.context["timeline"]].count(
        True
    ) == 1
    assert "Source: LinkedIn" in html


def test_the_profile_shows_when_and_to_which_privacy_notice_the_applicant_consented(
    as_manager, application
):
    html = as_manager.get(page_url(application)).content.decode()
    consented = timezone.localtime(application.consented_at).strftime("%b %-d, %Y")
    assert "Consented to privacy notice v1</span> on <time" in html
    assert consented in html
    # An application from before consent was recorded says so, and claims no consent.
    type(application).objects.filter(pk=application.pk).update(
        consented_at=None, privacy_notice_version=""
    )
    html = as_manager.get(page_url(application)).content.decode()
    assert "Consented to privacy notice" not in html
    assert "Not recorded" in html


def test_a_docx_resume_is_shown_as_its_text(as_manager, posting, internship_question):
    upload = SimpleUploadedFile("cv.docx", docx_bytes("Senior Rust engineer"), content_type=DOCX)
    from applications import services
    from applications.resumes import check_resume

    application = services.submit_application(
        posting=posting,
        applicant=services.Applicant(name="Dee Ocx", email="dee@example.com"),
        answers={internship_question: False},
        resume=check_resume(upload),
        resume_file=upload,
    )
    html = as_manager.get(page_url(application)).content.decode()
    assert "<iframe" not in html
    assert "Senior Rust engineer" in html
    assert as_manager.get(action_url("resume_inline", application)).status_code == 404
    download = as_manager.get(action_url("resume_download", application))
    assert download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == 'attachment; filename="cv.docx"'


def test_the_resume_downloads_as_an_attachment_that_is_never_sniffed(as_manager, application):
    response = as_manager.get(action_url("resume_download", application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="resume.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == application.resume.file.open("rb").read()


def test_the_inline_resume_may_be_framed_by_the_dashboard_only(as_manager, application):
    response = as_manager.get(action_url("resume_inline", application))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="resume.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    # Every other page keeps refusing to be framed.
    page = as_manager.get(page_url(application))
    assert page["X-Frame-Options"] == "DENY"


def test_a_missing_resume_file_is_a_404_not_a_500(as_manager, application):
    application.resume.file.delete(save=False)
    assert as_manager.get(action_url("resume_download", application)).status_code == 404


def test_the_timeline_merges_moves_notes_and_emails_and_shows_failures_first(
    as_manager, application, hiring_manager, django_capture_on_commit_callbacks
):
    screen = application.posting.stages.get(name="Screen")
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(action_url("move", application), {"stage": screen.pk})
    as_manager.post(action_url("add_note", application), {"body": "Call on Tuesday."})
    OutboxEmail.objects.filter(application=application, kind="stage_changed").update(
        status="failed", last_error="SMTP 550: mailbox unavailable"
    )
    response = as_manager.get(page_url(application))
    kinds = [
        next(k for k in ("change", "note", "email") if k in e) for e in response.context["timeline"]
    ]
    assert sorted(kinds) == ["change", "change", "email", "email", "email", "note"]
    html = response.content.decode()
    assert "An email to the candidate failed" in html
    assert "SMTP 550: mailbox unavailable" in html
    assert "Call on Tuesday." in html
    assert "is-failed" in html


def test_a_note_mentioning_teammates_emails_exactly_those_who_can_see_the_posting(
    as_manager,
    application,
    hiring_manager,
    recruiter,
    other_manager,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    carol = factories.UserFactory(username="carol", role="hiring_manager")
    application.posting.hiring_team.add(carol)
    body = "@carol and @Alice: strong. Not for @dana, nor @ghost; @bob is me. jane@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(action_url("add_note", application), {"body": body}, follow=True)
    html = response.content.decode()
    assert "Note added. Emailed @alice, @carol." in html
    assert "Not notified: @dana, @ghost" in html

    note = Note.objects.get()
    assert (note.author, note.body) == (hiring_manager, body)
    assert set(note.mentions.all()) == {carol, recruiter, hiring_manager}
    mentions = OutboxEmail.objects.filter(kind="mention").order_by("to")
    assert [m.to for m in mentions] == ["alice@example.com", "carol@example.com"]
    assert all(m.application == application for m in mentions)
    sent = sorted(m.to[0] for m in mailoutbox if "mentioned you" in m.subject)
    assert sent == ["alice@example.com", "carol@example.com"]
    assert "Bob mentioned you in a note on Jane Doe (Backend Engineer)" in mentions[0].subject
    assert page_url(application) in mentions[0].body_text


def test_an_empty_note_is_refused_with_a_message(as_manager, application):
    response = as_manager.post(action_url("add_note", application), {"body": "   "})
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert not Note.objects.exists()


def test_reject_with_a_reason_from_the_list_a_note_and_the_email(
    as_manager, application, hiring_manager, django_capture_on_commit_callbacks, skills_mismatch
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            action_url("reject", application),
            {"rejection_reason": skills_mismatch.pk, "reason": "Needs more Go"},
            follow=True,
        )
    html = response.content.decode()
    assert "Rejected Jane Doe. The candidate is emailed in 48 hours." in html
    change = StageChange.objects.filter(application=application).latest()
    assert (change.to_stage.name, change.rejection_reason, change.reason, change.by) == (
        "Rejected",
        skills_mismatch,
        "Needs more Go",
        hiring_manager,
    )
    # The timeline tells the reason and the note apart.
    assert "Reason: Skills mismatch" in html and "Note: Needs more Go" in html
    [email] = OutboxEmail.objects.filter(application=application, kind="rejection")
    assert email.status == "pending" and email.send_after > timezone.now() + timedelta(hours=47)
    assert "Needs more Go" not in email.body_text  # the reason is for the team only
    assert "Skills mismatch" not in email.body_text


def test_reject_without_the_email(as_manager, application, skills_mismatch):
    response = as_manager.post(
        action_url("reject", application),
        {"rejection_reason": skills_mismatch.pk, "quiet": "on"},
        follow=True,
    )
    assert "Rejected Jane Doe. The candidate is not emailed." in response.content.decode()
    assert not OutboxEmail.objects.filter(kind="rejection").exists()
    assert StageChange.objects.filter(application=application).latest().to_stage.name == "Rejected"


def test_reject_without_a_reason_from_the_list_is_refused(as_manager, application):
    response = as_manager.post(
        action_url("reject", application), {"reason": "A note is not enough"}, follow=True
    )
    assert "Choose a reason for rejecting." in response.content.decode()
    assert StageChange.objects.filter(application=application).count() == 1


def test_an_inactive_reason_is_not_offered_nor_accepted(as_manager, application, skills_mismatch):
    retired = factories.RejectionReasonFactory(label="Retired reason", active=False)
    page = as_manager.get(application.get_dashboard_url()).content.decode()
    assert "Retired reason" not in page and "Skills mismatch" in page
    response = as_manager.post(
        action_url("reject", application), {"rejection_reason": retired.pk}, follow=True
    )
    assert "Select a valid choice." in response.content.decode()
    assert StageChange.objects.filter(application=application).count() == 1


def test_the_candidate_page_moves_without_an_email_when_asked(as_manager, application):
    screen = application.posting.stages.get(name="Screen")
    page = as_manager.get(application.get_dashboard_url()).content.decode()
    assert f'<option value="{screen.pk}">Screen · emails</option>' in page
    assert "Don&#x27;t email the candidate" in page
    response = as_manager.post(
        action_url("move", application), {"stage": screen.pk, "quiet": "on"}, follow=True
    )
    assert "Moved Jane Doe to Screen. The candidate is not emailed." in response.content.decode()
    assert not OutboxEmail.objects.filter(application=application, kind="stage_changed").exists()


def test_moving_to_rejected_from_the_candidate_page_needs_a_reason(as_manager, application):
    rejected = application.posting.stages.get(name="Rejected")
    response = as_manager.post(action_url("move", application), {"stage": rejected.pk}, follow=True)
    assert "Choose a reason for rejecting." in response.content.decode()
    assert StageChange.objects.filter(application=application).count() == 1


def test_other_applications_of_the_candidate_link_to_their_pages(as_recruiter, application):
    other = apply(factories.PostingFactory(title="SRE"), name="Jane Doe", email="JANE@example.com")
    html = as_recruiter.get(page_url(application)).content.decode()
    assert page_url(other) in html and "SRE" in html


def test_an_erased_application_shows_what_is_left_and_offers_no_actions(as_recruiter, application):
    from applications.services import erase

    erase(application=application)
    response = as_recruiter.get(page_url(application))
    html = response.content.decode()
    assert response.status_code == 200
    assert "erased their data" in html
    assert action_url("move", application) not in html
    assert as_recruiter.get(action_url("resume_download", application)).status_code == 404


def test_only_web_addresses_become_links(as_manager, application):
    application.links = ["https://github.com/jane", "javascript:alert(1)"]
    application.save()
    html = as_manager.get(page_url(application)).content.decode()
    assert 'href="https://github.com/jane"' in html
    assert 'href="javascript' not in html
    assert "javascript:alert(1)" in html  # shown, as text
