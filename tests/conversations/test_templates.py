"""Candidate email templates: every candidate email renders from its wording, a posting's
version wins over the global one, a reset brings the default back, and no wording reaches
beyond its placeholders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services as applications
from conversations import email_templates
from conversations.email_templates import EMAILS
from conversations.models import EmailTemplate, MessageTemplate
from interviews import services as interviews
from notifications.emails import render
from notifications.models import OutboxEmail
from offers import pdf
from offers import services as offers
from tests import factories
from tests.conftest import need

pytestmark = pytest.mark.django_db


# The real events, through the real services: each returns nothing; the test reads the
# candidate's outbox row of the kind's event afterwards.


def _step(world):
    return factories.interview_step(world["posting"], interviewers=[world["interviewer"]])


def _monday():
    today = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    return today + timedelta(days=(7 - today.weekday()) % 7 + 7)


def _schedule(world):
    return interviews.schedule_interview(
        application=world["application"],
        step=_step(world),
        starts_at=_monday(),
        interviewers=[world["interviewer"]],
        by=world["recruiter"],
        video_url="https://meet.example/abc",
    )


def _offer(world):
    need(pdf.available(), "WeasyPrint or the Pango libraries it needs are not installed")
    application = world["application"]
    applications.move_application(
        application=application, to_stage=application.posting.stages.get(name="Offer")
    )
    application.refresh_from_db()
    terms = factories.offer_terms()
    recruiter = world["recruiter"]
    offer = offers.draft_offer(application=application, by=recruiter, terms=terms)
    offers.submit_for_approval(offer=offer, by=recruiter, approvers=[world["approver"]])
    offers.decide(offer=offer, by=world["approver"], approve=True)
    offer.refresh_from_db()
    return offers.send_offer(offer=offer, by=recruiter)


def _slots(world):
    return interviews.offer_slots(
        application=world["application"],
        step=_step(world),
        starts=[_monday(), _monday() + timedelta(days=1)],
        interviewers=[world["interviewer"]],
        by=world["recruiter"],
    )


def trigger(kind, world):
    application, posting = world["application"], world["posting"]
    if kind == "application_received":
        factories.submit(posting, email="nia@example.com", name="Nia New")
    elif kind == "candidate_added":
        applications.add_application(
            posting=posting,
            applicant=applications.Applicant(name="Nia New", email="nia@example.com"),
            stage=posting.stages.get(name="Screen"),
            source="sourced",
            by=world["recruiter"],
            send_confirmation=True,
        )
    elif kind == "already_applied":
        with pytest.raises(applications.DuplicateApplication):
            factories.submit(posting, email="jane@example.com", name="Jane Doe")
    elif kind == "stage_changed":
        applications.move_application(
            application=application, to_stage=posting.stages.get(name="Screen")
        )
    elif kind == "rejection":
        applications.move_application(
            application=application, to_stage=posting.stages.get(kind="rejected")
        )
    elif kind == "withdrawal":
        applications.withdraw(application=application)
    elif kind == "erasure":
        applications.erase(application=application)
    elif kind == "manage_link":
        applications.request_manage_link(email="jane@example.com")
    elif kind == "interview_invite":
        _schedule(world)
    elif kind == "interview_rescheduled":
        interview = _schedule(world)
        interviews.reschedule_interview(
            interview=interview, starts_at=_monday() + timedelta(hours=3), by=world["recruiter"]
        )
    elif kind == "interview_reminder":
        interview = _schedule(world)
        interviews.queue_due_reminders(now=interview.starts_at - timedelta(hours=2))
    elif kind == "interview_cancelled":
        interview = _schedule(world)
        interviews.cancel_interview(interview=interview, by=world["recruiter"], reason="Ill")
    elif kind == "interview_slots":
        _slots(world)
    elif kind == "interview_request_cancelled":
        interview = _slots(world)
        interviews.cancel_interview(interview=interview, by=world["recruiter"], reason="Ill")
    elif kind == "offer_sent":
        _offer(world)
    elif kind == "offer_withdrawn":
        offers.withdraw_offer(offer=_offer(world), by=world["recruiter"])
    else:  # pragma: no cover - a new kind needs its event here
        raise AssertionError(f"no trigger for {kind}")


# Which outbox kind each template's email is queued as.
OUTBOX_KIND = {
    "interview_rescheduled": "interview_invite",
    "interview_request_cancelled": "interview_cancelled",
    "already_applied": OutboxEmail.Kind.STATUS_LINK,
    "candidate_added": OutboxEmail.Kind.APPLICATION_RECEIVED,
}


def candidate_email(kind, to="jane@example.com") -> OutboxEmail:
    if kind in ("application_received", "candidate_added"):
        to = "nia@example.com"
    rows = OutboxEmail.objects.filter(kind=OUTBOX_KIND.get(kind, kind), to=to).order_by("-pk")
    assert rows, f"no {kind} email to {to}"
    return rows[0]


@pytest.fixture
def world(application, posting, recruiter, hiring_manager, interviewer):
    posting.stages.filter(name="Screen").update(notify_candidate=True)
    return {
        "application": application,
        "posting": posting,
        "recruiter": recruiter,
        "interviewer": interviewer,
        "approver": hiring_manager,
    }


@pytest.fixture(autouse=True)
def _sent_at_once(settings):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 0


def test_every_candidate_email_has_a_trigger_here():
    # trigger() names each kind; a new registry entry without one fails the parametrised test.
    assert set(EMAILS) == {
        "application_received",
        "candidate_added",
        "already_applied",
        "stage_changed",
        "rejection",
        "withdrawal",
        "erasure",
        "manage_link",
        "interview_invite",
        "interview_rescheduled",
        "interview_slots",
        "interview_reminder",
        "interview_cancelled",
        "interview_request_cancelled",
        "offer_sent",
        "offer_withdrawn",
    }


def _custom(kind, mark):
    """Wording using every placeholder the kind offers, with markup that must stay text."""
    names = " ".join(f"[{name}={{{{ {name} }}}}]" for name in EMAILS[kind].placeholders)
    return f"{mark} subject <i>{{{{ company.name }}}}</i>", f"{mark} <b>body</b>\n\n{names}"


@pytest.mark.parametrize("kind", list(EMAILS))
def test_every_candidate_email_renders_from_its_global_wording(kind, world, recruiter):
    subject, body = _custom(kind, "GLOBAL")
    email_templates.save_email_template(kind=kind, subject=subject, body=body, by=recruiter)

    trigger(kind, world)

    row = candidate_email(kind)
    assert row.subject == "GLOBAL subject <i>Pinterest</i>"
    assert row.body_text.startswith("GLOBAL <b>body</b>\n\n[")
    assert row.body_text.endswith("\n\nPinterest Careers\n")
    assert "GLOBAL &lt;b&gt;body&lt;/b&gt;" in row.body_html
    assert "<title>GLOBAL subject &lt;i&gt;Pinterest&lt;/i&gt;</title>" in row.body_html
    # Every placeholder was filled: none is left as typed.
    for name in EMAILS[kind].placeholders:
        assert f"[{name}={{{{" not in row.body_text, name
    if EMAILS[kind].about_application:
        assert "[candidate.name=Jane Doe]" in row.body_text or kind in (
            "application_received",
            "candidate_added",
        )
        assert "[posting.title=Backend Engineer]" in row.body_text


PER_POSTING = [kind for kind, email in EMAILS.items() if email.about_application]


@pytest.mark.parametrize("kind", PER_POSTING)
def test_a_postings_version_wins_over_the_global_wording(kind, world, recruiter, other_posting):
    for posting, mark in ((None, "GLOBAL"), (world["posting"], "POSTING"), (other_posting, "X")):
        subject, body = _custom(kind, mark)
        email_templates.save_email_template(
            kind=kind, posting=posting, subject=subject, body=body, by=recruiter
        )

    trigger(kind, world)

    row = candidate_email(kind)
    assert row.subject.startswith("POSTING subject")
    assert row.body_text.startswith("POSTING <b>body</b>")


@pytest.mark.parametrize("kind", list(EMAILS))
def test_a_reset_brings_back_the_default(kind, world, recruiter):
    about_application = EMAILS[kind].about_application
    for posting in (None, world["posting"]) if about_application else (None,):
        subject, body = _custom(kind, "GONE")
        email_templates.save_email_template(
            kind=kind, posting=posting, subject=subject, body=body, by=recruiter
        )
        assert email_templates.reset_email_template(kind=kind, posting=posting)
    assert not EmailTemplate.objects.exists()

    trigger(kind, world)

    row = candidate_email(kind)
    assert "GONE" not in row.subject + row.body_text + row.body_html
    default = EMAILS[kind]
    assert row.subject.startswith(default.subject.split("{{")[0])
    greeting = default.body.split("\n")[0].split("{{")[0]
    assert row.body_text.startswith(greeting)
    assert "{{" not in row.body_text + row.subject


def test_emails_to_interviewers_stay_file_templates(world, recruiter):
    subject, body = _custom("interview_invite", "GLOBAL")
    email_templates.save_email_template(
        kind="interview_invite", subject=subject, body=body, by=recruiter
    )
    _schedule(world)
    staff = OutboxEmail.objects.get(kind="interview_invite", to=world["interviewer"].email)
    assert "GLOBAL" not in staff.subject + staff.body_text
    assert staff.body_text.startswith("Hi ")


# The sandbox: whatever is typed, only the listed placeholders are filled, and all is escaped.

ESCAPES = [
    "{% load static %}{% static 'x' %}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "{{ candidate.__class__.__mro__ }}",
    "{{ candidate.email|upper }}",
    "{{ application.candidate.email }}",
    "{{candidate.name.__class__}}",
    "<script>alert(1)</script>",
    "{% include 'emails/_base.html' %}",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_no_wording_escapes_the_sandbox(attempt, world, recruiter, settings):
    settings.SECRET_KEY = "s3cr3t-key-for-the-test"
    email_templates.save_email_template(
        kind="stage_changed",
        subject=f"S {attempt}",
        body=f"B {attempt} {{{{ candidate.name }}}}",
        by=recruiter,
    )
    trigger("stage_changed", world)
    row = candidate_email("stage_changed")
    everything = row.subject + row.body_text + row.body_html
    assert "s3cr3t" not in everything
    assert "jane@example.com" not in everything and "JANE@EXAMPLE.COM" not in everything
    assert "<class" not in everything and "object" not in row.body_text
    assert "<script>" not in row.body_html
    # What was typed is sent as typed (the form refuses unknown names before it gets here).
    assert row.body_text.startswith(f"B {attempt} Jane Doe")
    assert row.subject == f"S {' '.join(attempt.split())}"


def test_a_line_break_in_a_stored_subject_cannot_add_a_header(world, recruiter):
    # The form refuses it; a row written around the form is still one header line.
    EmailTemplate.objects.create(
        kind="stage_changed", subject="Hi\r\nBcc: victim@example.com", body="B", updated_by=None
    )
    trigger("stage_changed", world)
    row = candidate_email("stage_changed")
    assert row.subject == "Hi Bcc: victim@example.com"
    assert "\n" not in row.subject and "\r" not in row.subject


def test_a_candidates_name_with_markup_and_line_breaks_is_escaped(posting, recruiter):
    email_templates.save_email_template(
        kind="application_received",
        subject="For {{ candidate.name }}",
        body="Hi {{ candidate.name }}, {{ status_link }}",
        by=recruiter,
    )
    factories.submit(posting, email="x@example.com", name="<img src=x onerror=alert(1)>")
    row = OutboxEmail.objects.get(kind="application_received")
    assert "<img" not in row.body_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in row.body_html
    # The status link is a link the system made; nothing typed becomes one.
    assert row.body_html.count("<a href=") == 1


def test_wording_with_an_empty_placeholder_leaves_no_empty_paragraph(world):
    trigger("interview_request_cancelled", world)  # the default wording, no reason typed
    # (cancel_interview above gives "Ill" as the reason: check the version without one)
    rendered = render(
        "interview_cancelled",
        {
            **email_templates.preview_context("interview_request_cancelled", world["application"]),
            "reason": "",
            "had_time": False,
        },
    )
    assert "<p></p>" not in rendered.body_html
    assert "\n\n\n" not in rendered.body_text
    assert "Reason" not in rendered.body_text


def test_the_constraints_hold_one_global_and_one_per_posting(posting, recruiter):
    from django.db import IntegrityError, transaction

    EmailTemplate.objects.create(kind="rejection", subject="a", body="b")
    EmailTemplate.objects.create(kind="rejection", posting=posting, subject="a", body="b")
    for extra in ({}, {"posting": posting}):
        with pytest.raises(IntegrityError), transaction.atomic():
            EmailTemplate.objects.create(kind="rejection", subject="a", body="b", **extra)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailTemplate.objects.create(kind="rejection", subject="a", body="b" * 10_001, posting=None)


# Message templates for hand-written emails.


def test_compose_templates_offers_the_global_and_the_postings_own(posting, other_posting):
    MessageTemplate.objects.create(name="Follow-up", subject="s", body="b")
    MessageTemplate.objects.create(name="Backend note", posting=posting, subject="s", body="b")
    MessageTemplate.objects.create(name="Other note", posting=other_posting, subject="s", body="b")
    names = [t.name for t in email_templates.compose_templates(posting)]
    assert names == ["Backend note", "Follow-up"]


def test_render_message_fills_the_per_person_placeholders(application, recruiter):
    recruiter.first_name, recruiter.last_name = "Alice", "Archer"
    rendered = email_templates.render_message(
        "Hello {{ candidate.first_name }}",
        "Hi {{ candidate.first_name }}, about {{ posting.title }}.\n\n{{ sender.name }}\n"
        "{{ status_link }} {% debug %}",
        application,
        recruiter,
    )
    assert rendered.subject == "Hello Jane"
    assert rendered.body_text.startswith("Hi Jane, about Backend Engineer.\n\nAlice Archer\n")
    assert "{% debug %}" in rendered.body_text
    assert f'<a href="http://127.0.0.1:8000{application.get_status_url()}"' in rendered.body_html
