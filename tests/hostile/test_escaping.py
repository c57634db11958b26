"""Every string a person typed is escaped wherever it is shown.

Each text field of every model is filled with a marker tag of its own, `<b/data-x=M07>` (a
tag a browser would build, with no space or quote, so that it also fits a URL and the quoted
local part of an email address), the pages are requested, and on each one no marker may appear
as markup while each field listed as shown there must appear escaped.

SHOWN and NOT_SHOWN list every field: a new text field fails the first test until it is
listed, with the pages that show it or the reason no page can.
"""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone

from applications import emails as application_emails
from applications.models import (
    Answer,
    Application,
    Candidate,
    RejectionReason,
    Resume,
    Stage,
    StageChange,
)
from applications.resumes import DOCX, pdf_bytes_with_text
from conversations import receiving
from conversations.inbound import Inbound, RawAttachment
from conversations.models import Attachment, EmailTemplate, Message, MessageTemplate
from conversations.services import send_message
from dashboard.emails import queue_mention
from dashboard.models import Note
from interviews import emails as interview_emails
from interviews import scorecards
from interviews.models import (
    AttributeRating,
    CalendarConnection,
    Decision,
    Interview,
    InterviewStep,
    Rating,
    Scorecard,
    ScorecardAmendment,
)
from notifications.models import OutboxEmail
from offers import emails as offer_emails
from offers.models import LetterTemplate, Offer, OfferApprover, OfferEvent
from postings.models import Location, Posting, Question, Section, Team
from search.services import reindex
from sourcing.models import CandidateTag, Origin, Tag
from tests.factories import (
    QuestionFactory,
    UserFactory,
    backend_engineer_posting,
    interview_step,
    reply,
    scheduled_interview,
    submit,
)

pytestmark = pytest.mark.django_db

APPS = [
    "accounts",
    "postings",
    "applications",
    "notifications",
    "interviews",
    "offers",
    "conversations",
    "sourcing",
    "reports",
    "dashboard",
    "auth",
]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)

# Pages that share a part: every dashboard page names the signed-in user; every page of a
# posting's management shows its title and team; the emails by their readers.
CAREERS = ["careers list", "posting page", "apply page", "status page"]
DASHBOARD = [
    "dashboard home",
    "board",
    "board filtered",
    "candidate page",
    "posting list",
    "posting edit",
    "questions",
    "question edit",
    "stages",
    "stage edit",
    "team",
    "plan",
    "step edit",
    "settings",
    "rejection reasons",
    "scorecard page",
    "your interviews",
    "templates page",
    "email template page",
    "posting email templates page",
    "posting email template page",
    "message template page",
    "person page",
    "my referrals",
    "add candidate page",
    "reports page",
    "search page",
]
POSTING_HEADER = [
    "posting email templates page",
    "posting edit",
    "questions",
    "question edit",
    "stages",
    "stage edit",
    "plan",
    "step edit",
    "team",
]
EMAILS_TO_APPLICANT = [
    "email:application_received",
    "email:rejection",
    "email:stage_changed",
    "email:status_link",
    "email:withdrawal",
]
EMAILS_TO_TEAM = [
    "email:candidate_replied",
    "email:digest",
    "email:mention",
    "email:new_application",
    "email:scorecard_due",
]
# What an interviewer reads of the candidate: the scorecard page.
INTERVIEWER = ["scorecard page"]
LOCATION = [
    "careers list",
    "posting page",
    "apply page",
    "posting edit",
    "admin location",
    "admin location list",
    "admin posting",
    "admin posting list",
]

# Where each field shows, page by page: the careers site, the dashboard, the HTML part of each
# email ("email:<kind>"), and the Django admin. Section bodies are Markdown: on the posting
# page the sanitiser drops the marker tag outright, so only the check for raw markup applies there.
SHOWN: dict[str, list[str]] = {
    "postings.Team.name": [
        "reports page",
        *CAREERS,
        "dashboard home",
        "board",
        "board filtered",
        "posting list",
        *POSTING_HEADER,
        "admin posting",
        "admin posting list",
        "admin team",
        "admin team list",
    ],
    "postings.Location.city": LOCATION,
    "postings.Location.region": LOCATION,
    "postings.Posting.title": [
        "reports page",
        "fairness page",
        "search page",
        "scorecard page",
        "your interviews",
        *CAREERS,
        "withdraw page",
        "manage page",
        "dashboard home",
        "board",
        "board filtered",
        "candidate page",
        "person page",
        "my referrals",
        "add candidate page",
        "posting list",
        *POSTING_HEADER,
        *EMAILS_TO_APPLICANT,
        *EMAILS_TO_TEAM,
        "admin application",
        "admin application list",
        "admin candidate",
        "admin email",
        "admin email list",
        "admin note",
        "admin note list",
        "admin posting",
        "admin posting list",
        "admin stage",
        "admin stage list",
    ],
    "postings.Posting.summary": ["careers list", "posting edit", "admin posting"],
    "postings.Posting.pay_transparency_note": ["posting page", "posting edit", "admin posting"],
    "postings.Section.heading": ["posting page", "posting edit", "admin posting"],
    "postings.Section.body": ["posting edit", "admin posting"],
    "postings.Question.label": [
        "reports page",
        # A knock-out question is a step of the fairness report.
        "fairness page",
        *INTERVIEWER,
        "apply page",
        "candidate page",
        "questions",
        "question edit",
        "admin application",
        "admin posting",
    ],
    "postings.Question.help_text": ["apply page", "question edit", "admin posting"],
    "postings.Question.choices": ["apply page", "questions", "question edit", "admin posting"],
    "postings.Question.knockout_answer": [
        "reports page",
        "apply page",
        "questions",
        "question edit",
        "admin posting",
    ],
    "postings.Question.card_badge": ["board", "board filtered", "admin posting"],
    # The first application's name; each application shows the name it gave itself.
    "applications.Candidate.name": [
        "person page",
        "admin application",
        "admin application list",
        "admin candidate",
        "admin candidate list",
    ],
    "applications.Candidate.email": [
        "search page",
        "candidate page",
        "person page",
        "manage page",
        "admin candidate",
        "admin candidate list",
        "admin email list",
    ],
    "applications.Candidate.phone": ["admin candidate"],
    "applications.Candidate.location": ["admin candidate", "admin candidate list"],
    "applications.Candidate.links": ["admin candidate"],
    "applications.Stage.name": [
        "reports page",
        "fairness page",
        "search page",
        "dashboard home",
        "board",
        "board filtered",
        "candidate page",
        "person page",
        "add candidate page",
        "stages",
        "stage edit",
        "admin application",
        "admin application list",
        "admin candidate",
        "admin candidate list",
        "admin stage",
        "admin stage list",
    ],
    "applications.Stage.candidate_name": [
        "my referrals",
        "status page",
        "manage page",
        "stages",
        "stage edit",
        "admin stage",
        "admin stage list",
    ],
    "applications.Application.name": [
        "search page",
        "scorecard page",
        "your interviews",
        "status page",
        "dashboard home",
        "board",
        "board filtered",
        "candidate page",
        "person page",
        "my referrals",
        *EMAILS_TO_APPLICANT,
        *EMAILS_TO_TEAM,
        "email:erasure",
        "admin application",
        "admin application list",
        "admin candidate",
        "admin email",
        "admin email list",
        "admin note",
        "admin note list",
    ],
    "applications.Application.phone": ["candidate page", "admin application"],
    "applications.Application.location": ["candidate page", "admin application"],
    "applications.Application.links": ["candidate page", "admin application"],
    "applications.Application.cover_letter": ["candidate page", "admin application"],
    # The board's cards and filter name the source in one vocabulary, never the link's text.
    "applications.Application.utm_source": [
        "candidate page",
        "admin application",
        "admin application list",
    ],
    "applications.Application.utm_medium": ["candidate page", "admin application"],
    "applications.Application.utm_campaign": ["candidate page", "admin application"],
    "applications.Application.referrer": ["candidate page", "admin application"],
    # Set by the code from applications.privacy, but a string all the same.
    "applications.Application.privacy_notice_version": ["candidate page", "admin application"],
    "applications.Answer.value_text": ["candidate page", *INTERVIEWER, "admin application"],
    # Also wherever its question's options show, being one of them.
    "applications.Answer.value_choices": ["candidate page", *INTERVIEWER, "admin application"],
    "applications.Resume.original_filename": ["candidate page", *INTERVIEWER, "admin application"],
    "applications.Resume.text": ["candidate page", *INTERVIEWER],
    "applications.StageChange.reason": ["candidate page", "admin application"],
    # Offered by every reject form (the cards', the candidate page's, the bulk bar's) and
    # named on the timeline of a rejection.
    "applications.RejectionReason.label": [
        "board",
        "board filtered",
        "candidate page",
        "rejection reasons",
        "admin application",
        "admin rejection reason",
        "admin rejection reason list",
    ],
    "notifications.OutboxEmail.key": ["admin email"],
    "notifications.OutboxEmail.to": ["candidate page", "admin email", "admin email list"],
    "notifications.OutboxEmail.subject": ["candidate page", "admin email", "admin email list"],
    "notifications.OutboxEmail.body_text": ["admin email"],
    "notifications.OutboxEmail.body_html": ["admin email"],
    "notifications.OutboxEmail.last_error": ["candidate page", "admin email"],
    # Set by the code (a thread's reply address, a hash); the admin's form shows them.
    "notifications.OutboxEmail.reply_to": ["admin email"],
    "notifications.OutboxEmail.message_id": ["admin email"],
    "dashboard.Note.body": [
        "dashboard home",
        "candidate page",
        "person page",
        *INTERVIEWER,
        "email:mention",
        "admin note",
    ],
    # The plan tab and its step form, the candidate page's scorecard summary, and what an
    # interviewer reads.
    "interviews.InterviewStep.name": [
        "plan",
        "step edit",
        "candidate page",
        "interview page",
        "status page",
        "email:interview_invite",
        "scorecard page",
        "your interviews",
        "email:scorecard_due",
        "admin interview step",
        "admin interview step list",
    ],
    "interviews.InterviewStep.guidance": [
        "plan",
        "step edit",
        "scorecard page",
        "admin interview step",
    ],
    "interviews.Attribute.name": [
        "plan",
        "step edit",
        "candidate page",
        "scorecard page",
        "admin interview step",
    ],
    "interviews.Scorecard.key_points": ["candidate page", "scorecard page", "admin scorecard"],
    "interviews.Scorecard.concerns": ["candidate page", "scorecard page", "admin scorecard"],
    "interviews.ScorecardAmendment.reason": ["scorecard page"],
    "interviews.ScorecardAmendment.changes": ["scorecard page"],
    "interviews.Decision.note": ["candidate page", "admin decision"],
    "auth.User.first_name": [
        *DASHBOARD,
        *EMAILS_TO_TEAM,
        "admin email list",
        "admin user",
        "admin user list",
    ],
    "auth.User.last_name": [
        *DASHBOARD,
        "email:mention",
        "admin email list",
        "admin user",
        "admin user list",
    ],
    "auth.User.email": [
        "candidate page",
        "team",
        "admin email list",
        "admin user",
        "admin user list",
    ],
    "auth.Group.name": ["admin group", "admin group list", "admin user", "admin user list"],
    # The signed-in user's own calendar, on their settings page only.
    "interviews.CalendarConnection.url": ["settings"],
    "interviews.CalendarConnection.username": ["settings"],
    "interviews.CalendarConnection.calendar_url": ["settings"],
    "interviews.CalendarConnection.last_error": ["settings"],
    "interviews.Interview.location": ["interview page", "status page", "email:interview_invite"],
    "interviews.Interview.video_url": ["interview page", "status page", "email:interview_invite"],
    # The accepted offer (v2) on its page, the status page and its emails; v1 was declined.
    "offers.Offer.job_title": ["offer page", "status page", "email:offer_sent"],
    "offers.Offer.equity": ["offer page", "status page"],
    "offers.Offer.bonus": ["offer page", "status page"],
    "offers.Offer.location": ["offer page", "status page"],
    "offers.Offer.letter": ["offer page", "status page"],
    "offers.Offer.justification": ["offer page", "email:offer_approval"],
    "offers.Offer.accepted_name": ["offer page", "status page"],
    "offers.Offer.decline_reason": ["declined offer page", "email:offer_answered"],
    "offers.OfferApprover.comment": ["offer page"],
    "offers.OfferEvent.changes": ["offer page"],
    "offers.OfferEvent.comment": ["offer page"],
    "offers.LetterTemplate.body": ["offer new page", "offer letter page"],
    # A reply in the Inbox (the list shows an excerpt of its text), and the matched reply of
    # a spoofed sender in the email that tells the team.
    # On the candidate page's timeline: the team's messages and the candidate's replies.
    "conversations.Message.from_address": [
        "candidate page",
        "inbox",
        "inbox message",
        "email:candidate_replied",
    ],
    "conversations.Message.to_address": ["inbox message"],
    "conversations.Message.subject": [
        "candidate page",
        "inbox",
        "inbox message",
        "email:candidate_replied",
    ],
    "conversations.Message.body_text": [
        "candidate page",
        "inbox",
        "inbox message",
        "email:candidate_replied",
        "email:candidate_message",
    ],
    "conversations.Message.body_full": ["inbox message"],
    # "Not kept: <the sender's file name>: reason".
    "conversations.Message.problems": ["inbox message"],
    "conversations.Attachment.original_name": ["candidate page", "inbox message"],
    # In the editor's fields and its preview (the global wording, and a posting's own).
    "conversations.EmailTemplate.subject": ["email template page", "posting email template page"],
    "conversations.EmailTemplate.body": ["email template page", "posting email template page"],
    "conversations.MessageTemplate.name": ["templates page", "message template page"],
    "conversations.MessageTemplate.subject": ["message template page"],
    "conversations.MessageTemplate.body": ["message template page"],
    # How a referrer knows the person, and the link they gave: for the hiring team.
    "sourcing.Origin.relationship": ["candidate page", "person page", "admin origin"],
    "sourcing.Origin.link": ["candidate page", "person page", "admin origin"],
    "sourcing.Tag.name": [
        "search page",
        "board",
        "board filtered",
        "person page",
        "admin tag",
        "admin tag list",
    ],
}

NOT_SHOWN: dict[str, str] = {
    "offers.Offer.currency": "copied from the posting's currency, validated to ISO 4217",
    "offers.Offer.salary_period": "one of SalaryPeriod (a check constraint)",
    "offers.Offer.status": "one of Offer.Status (a check constraint)",
    "offers.Offer.pdf": "a name the server makes (offers.models.letter_upload_to)",
    "offers.Offer.pdf_sha256": "a hex digest the code makes",
    "offers.Offer.accepted_letter_sha256": "a hex digest the code makes",
    "offers.OfferApprover.decision": "one of OfferApprover.Decision (a check constraint)",
    "offers.OfferEvent.action": "one of OfferEvent.Action, set by the services",
    "accounts.Profile.role": "one of Profile.Role (a check constraint); shown by its label",
    "accounts.Profile.new_application_email": "one of Profile.EmailFrequency (a check "
    "constraint); shown by its label",
    "postings.Team.slug": "a slug, letters, digits and hyphens only: part of a URL",
    "postings.Location.country": "two capital letters (a check constraint)",
    "postings.Posting.slug": "a slug, letters, digits and hyphens only: part of a URL",
    "postings.Posting.employment_type": "one of Posting.EmploymentType; shown by its label",
    "postings.Posting.workplace_type": "one of Posting.WorkplaceType; shown by its label",
    "postings.Posting.salary_currency": "three capital letters (a check constraint)",
    "postings.Posting.salary_period": "one of Posting.SalaryPeriod; shown by its label",
    "postings.Posting.salary_shown": "written by Posting.remember_salary from the amounts, a "
    "currency code and the period's label, never from text anyone typed",
    "postings.Posting.status": "one of Posting.Status (a check constraint); shown by its label",
    "postings.Question.kind": "one of Question.Kind; shown by its label",
    "applications.Stage.kind": "one of Stage.Kind; shown by its label",
    "applications.Application.status_token": "a secret made by the code; only in the "
    "applicant's own links, never shown as text",
    "applications.Resume.file": "the storage path the code makes for the file; never shown",
    "applications.Resume.content_type": "set by the code from the file's sniffed type, one of "
    "two MIME types",
    "applications.Resume.sha256": "a hash the code computes",
    "applications.Resume.text_status": "a choice the code sets (complete or partial); the page "
    "shows its own wording for it",
    "notifications.OutboxEmail.kind": "one of OutboxEmail.Kind; shown by its label",
    "notifications.OutboxEmail.status": "one of OutboxEmail.Status (a check constraint)",
    "accounts.Profile.time_zone": "validated against the tz database's names; the settings "
    "page shows it as the selected option of its own list",
    "notifications.OutboxEmail.attachment_name": "a file name the code sets",
    "notifications.OutboxEmail.attachment_type": "a MIME type the code sets",
    "notifications.OutboxEmail.attachment_text": "an attachment, never shown on a page",
    "interviews.Interview.status": "one of Interview.Status (a check constraint)",
    "interviews.Interview.uid": "a hex UUID the code makes",
    "interviews.Interview.candidate_time_zone": "validated against the tz database's names",
    "interviews.InterviewStep.kind": "one of InterviewKind (a check constraint)",
    "interviews.Scorecard.status": "one of Scorecard.Status",
    "interviews.Scorecard.recommendation": "one of Recommendation (a check constraint)",
    "interviews.Decision.outcome": "one of Decision.Outcome (a check constraint)",
    "interviews.CalendarConnection.password_encrypted": "a ciphertext; never shown",
    "interviews.InterviewerSeat.calendar_event_url": "an address the CalDAV server gave; "
    "never shown",
    "auth.User.password": "a password hash; never shown",
    "auth.User.username": "validated to letters, digits and @.+-_: cannot hold a tag",
    "auth.Permission.name": "made by the code from model names in migrations",
    "auth.Permission.codename": "made by the code from model names in migrations",
    "conversations.Thread.reply_token": "letters and digits the code makes; only in Reply-To",
    "conversations.Message.direction": "one of Message.Direction (a check constraint)",
    "conversations.Message.body_html": "sanitised by nh3 when stored; the Inbox shows text only",
    "conversations.Message.message_id": "a mail header kept to recognise the message; never shown",
    "conversations.Message.in_reply_to": "a mail header kept for matching; never shown",
    "conversations.Message.references": "a mail header kept for matching; never shown",
    "conversations.Attachment.file": "a storage name the server makes (replies/<random>/...)",
    "conversations.Attachment.content_type": "set by the code from the file's sniffed type",
    "conversations.Attachment.sha256": "a hash the code computes",
    "conversations.EmailTemplate.kind": "a key of conversations.email_templates.EMAILS, from "
    "a URL checked against it; pages show the entry's label",
    "sourcing.Origin.source": "one of the added sources (a check constraint); shown by its label",
    # The survey's answers: keys of reports.survey (check constraints), never shown one by one.
    "reports.SurveyResponse.gender": "one of reports.survey.GENDER's keys (a check constraint)",
    "reports.SurveyResponse.race": "one of reports.survey.RACE's keys (a check constraint)",
    "reports.SurveyResponse.veteran": "one of reports.survey.VETERAN's keys (a check constraint)",
    "reports.SurveyResponse.disability": "one of reports.survey.DISABILITY's keys (a check "
    "constraint)",
    "reports.ReportedFlag.step": "a key the code makes from stage and question ids",
    "reports.ReportedFlag.characteristic": "a key of reports.survey.QUESTIONS, set by the code",
    "reports.ReportedFlag.group": "an answer key of reports.survey, set by the code",
}


def model_text_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, TEXT_FIELDS)
    }


def test_every_model_text_field_is_listed_as_shown_or_not():
    fields = model_text_fields()
    assert set(SHOWN) & set(NOT_SHOWN) == set()
    assert sorted(fields - set(SHOWN) - set(NOT_SHOWN)) == [], (
        "new text fields: add each to SHOWN with the pages that show it, or to NOT_SHOWN "
        "with the reason no page can"
    )
    assert sorted((set(SHOWN) | set(NOT_SHOWN)) - fields) == [], "fields that no longer exist"


MARKERS = {name: f"<b/data-x=M{index:02d}>" for index, name in enumerate(sorted(SHOWN))}


def marker(name: str) -> str:
    return MARKERS[name]


def marked_email(name: str) -> str:
    """An address Django's validator accepts that carries the marker: a quoted local part."""
    return f'"{marker(name)}"@example.com'


def escaped_forms(mark: str) -> tuple[str, ...]:
    """How the marker reads once safely escaped: in HTML, in the JSON of a <script> block,
    and percent-encoded in a URL."""
    inner = mark[1:-1]
    return (f"&lt;{inner}&gt;", f"\\u003C{inner}\\u003E", f"%3C{inner.replace('=', '%3D')}%3E")


@pytest.fixture
def world(settings):
    """One of everything, every listed text field holding its marker."""
    settings.SITE_URL = "https://careers.example.com"
    posting = backend_engineer_posting()
    internship = posting.questions.get()
    choice = QuestionFactory(
        posting=posting,
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=[
            marker("postings.Question.choices"),
            marker("postings.Question.knockout_answer"),
            marker("applications.Answer.value_choices"),
        ],
        knockout_answer=marker("postings.Question.knockout_answer"),
        required=False,
        position=1,
    )
    short = QuestionFactory(
        posting=posting, kind=Question.Kind.SHORT_TEXT, required=False, position=2
    )
    staff = UserFactory(username="alice", role="recruiter")
    staff.profile.new_application_email = "instant"
    staff.profile.save()
    posting.hiring_team.add(staff)
    admin = UserFactory(username="root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    stages = list(posting.stages.all())
    application = submit(
        posting, answers={internship: True, choice: [], short: "an answer"}, name="Jane Doe"
    )

    # The plan step, and an interview to come with no interviewer seated, so that its
    # invitation is one email; _interview_world adds one held yesterday.
    step = interview_step(posting, attributes=[marker("interviews.Attribute.name")])
    InterviewStep.objects.filter(pk=step.pk).update(
        name=marker("interviews.InterviewStep.name"),
        guidance=marker("interviews.InterviewStep.guidance"),
    )
    step.refresh_from_db()
    interview = scheduled_interview(
        application,
        step,
        interviewers=[],
        location=marker("interviews.Interview.location"),
        video_url=f"https://example.com/{marker('interviews.Interview.video_url')}",
    )

    Team.objects.update(name=marker("postings.Team.name"))
    Location.objects.update(
        city=marker("postings.Location.city"), region=marker("postings.Location.region")
    )
    Posting.objects.filter(pk=posting.pk).update(
        title=marker("postings.Posting.title"),
        summary=marker("postings.Posting.summary"),
        pay_transparency_note=marker("postings.Posting.pay_transparency_note"),
    )
    Section.objects.update(
        heading=marker("postings.Section.heading"), body=marker("postings.Section.body")
    )
    Question.objects.filter(pk=choice.pk).update(
        label=marker("postings.Question.label"), help_text=marker("postings.Question.help_text")
    )
    Question.objects.filter(pk=internship.pk).update(
        card_badge=marker("postings.Question.card_badge")
    )
    Candidate.objects.update(
        name=marker("applications.Candidate.name"),
        email=marked_email("applications.Candidate.email"),
        phone=marker("applications.Candidate.phone"),
        location=marker("applications.Candidate.location"),
        links=[f"https://example.com/{marker('applications.Candidate.links')}"],
    )
    current = application.stage
    Stage.objects.filter(pk=current.pk).update(
        name=marker("applications.Stage.name"),
        candidate_name=marker("applications.Stage.candidate_name"),
    )
    Application.objects.update(
        name=marker("applications.Application.name"),
        phone=marker("applications.Application.phone"),
        location=marker("applications.Application.location"),
        links=[f"https://example.com/{marker('applications.Application.links')}"],
        cover_letter=marker("applications.Application.cover_letter"),
        utm_source=marker("applications.Application.utm_source"),
        utm_medium=marker("applications.Application.utm_medium"),
        utm_campaign=marker("applications.Application.utm_campaign"),
        referrer=f"https://example.com/{marker('applications.Application.referrer')}",
        privacy_notice_version=marker("applications.Application.privacy_notice_version"),
    )
    Answer.objects.filter(question=short).update(
        value_text=marker("applications.Answer.value_text")
    )
    Answer.objects.filter(question=choice).update(
        value_choices=[marker("applications.Answer.value_choices")]
    )
    # A Word document, whose extracted text the candidate page shows (a PDF shows in a frame).
    Resume.objects.update(
        content_type=DOCX,
        original_filename=marker("applications.Resume.original_filename"),
        text=marker("applications.Resume.text"),
    )
    StageChange.objects.update(reason=marker("applications.StageChange.reason"))
    get_user_model().objects.filter(pk=staff.pk).update(
        first_name=marker("auth.User.first_name"),
        last_name=marker("auth.User.last_name"),
        email=marked_email("auth.User.email"),
    )
    group = Group.objects.create(name=marker("auth.Group.name"))
    staff.groups.add(group)
    staff.refresh_from_db()
    note = Note.objects.create(
        application=application, author=staff, body=marker("dashboard.Note.body")
    )
    CalendarConnection.objects.create(
        user=staff,
        url=f"https://cal.example.com/{marker('interviews.CalendarConnection.url')}/",
        username=marker("interviews.CalendarConnection.username"),
        password_encrypted="not shown",
        calendar_url=f"https://cal.example.com/{marker('interviews.CalendarConnection.calendar_url')}/",
        last_error=marker("interviews.CalendarConnection.last_error"),
    )
    outbox = OutboxEmail.objects.create(
        key=marker("notifications.OutboxEmail.key"),
        kind=OutboxEmail.Kind.STAGE_CHANGED,
        to=marked_email("notifications.OutboxEmail.to"),
        subject=marker("notifications.OutboxEmail.subject"),
        body_text=marker("notifications.OutboxEmail.body_text"),
        body_html=marker("notifications.OutboxEmail.body_html"),
        last_error=marker("notifications.OutboxEmail.last_error"),
        reply_to=marked_email("notifications.OutboxEmail.reply_to"),
        message_id=marker("notifications.OutboxEmail.message_id"),
        status=OutboxEmail.Status.FAILED,
        application=application,
    )

    # Every email, written now that the rows hold their markers.
    application.refresh_from_db()
    OutboxEmail.objects.exclude(pk=outbox.pk).delete()
    application_emails.queue_application_received(application)
    application_emails.queue_new_application_alerts(application)
    later = next(s for s in stages if s.pk != current.pk and s.kind == Stage.Kind.ACTIVE)
    rejected = next(s for s in stages if s.kind == Stage.Kind.REJECTED)
    reason = RejectionReason.objects.create(label=marker("applications.RejectionReason.label"))
    for stage in (current, rejected):
        change = StageChange.objects.create(
            application=application,
            from_stage=later,
            to_stage=stage,
            reason="moved",
            rejection_reason=reason if stage == rejected else None,
        )
        application_emails.queue_stage_email(change)
    application_emails.queue_withdrawal(application)
    application_emails.queue_already_applied(application)
    application_emails.queue_manage_link(application.candidate)
    queue_mention(note, staff)
    application_emails.queue_digest(user=staff, day=date.today(), applications=[application])
    interview_emails.queue_invites(Interview.objects.get(pk=interview.pk))
    application_emails.queue_erasure_confirmation(
        key="erasure",
        email="jane@example.com",
        name=application.name,
        postings=[application.posting.title],
        address_kept=True,
    )
    held = _interview_world(application, staff, step)
    scorecard = held.scorecards.get()
    AttributeRating.objects.create(
        scorecard=scorecard, attribute=step.attributes.get(), value=Rating.STRONG_YES
    )
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.HOLD,
        note=marker("interviews.Decision.note"),
        decided_by=staff,
    )
    accepted, declined = _offer_world(application, staff)
    inbox_message = _conversation_world(application)
    _team_conversation_world(application, staff)
    # Wording, stored after the emails above were written: they keep their default wording.
    for where, kind in ((None, "rejection"), (posting, "withdrawal")):
        EmailTemplate.objects.create(
            kind=kind,
            posting=where,
            subject=marker("conversations.EmailTemplate.subject"),
            body=marker("conversations.EmailTemplate.body"),
        )
    message_template = MessageTemplate.objects.create(
        name=marker("conversations.MessageTemplate.name"),
        posting=posting,
        subject=marker("conversations.MessageTemplate.subject"),
        body=marker("conversations.MessageTemplate.body"),
    )
    origin = Origin.objects.create(
        application=application,
        source="referral",
        by=staff,
        added_by=staff,
        relationship=marker("sourcing.Origin.relationship"),
        link=f"https://example.com/{marker('sourcing.Origin.link')}",
    )
    tag = Tag.objects.create(name=marker("sourcing.Tag.name"))
    CandidateTag.objects.create(candidate=application.candidate, tag=tag, added_by=staff)
    # The rows above were written without signals: index them as their commit would.
    reindex(Application.objects.values_list("pk", flat=True))
    return {
        "inbox_message": inbox_message,
        "message_template": message_template,
        "origin": origin,
        "tag": tag,
        "accepted_offer": accepted,
        "declined_offer": declined,
        "interview": interview,
        "posting": Posting.objects.get(pk=posting.pk),
        "application": application,
        "choice": choice,
        "internship": internship,
        "stage": current,
        "staff": staff,
        "admin": admin,
        "team": posting.teams.get(),
        "location": posting.locations.get(),
        "group": group,
        "outbox": outbox,
        "rejection_reason": reason,
        "step": step,
        "scorecard": scorecard,
        "decision": decision,
        "held_interview": held,
    }


def _offer_world(application, staff):
    """Version 1 was declined; version 2, above the range, approved by Alice and accepted.
    Their emails are queued once the rows hold their markers."""
    today = timezone.localdate()
    sent = {
        "sent_at": timezone.now(),
        "pdf": "offers/letter.pdf",
        "pdf_sha256": "0" * 64,
        "answered_at": timezone.now(),
    }
    terms = {
        "application": application,
        "job_title": marker("offers.Offer.job_title"),
        "base_salary": 999_999,
        "currency": "USD",
        "equity": marker("offers.Offer.equity"),
        "bonus": marker("offers.Offer.bonus"),
        "location": marker("offers.Offer.location"),
        "start_date": today + timedelta(days=30),
        "expires_on": today + timedelta(days=7),
        "letter": "Dear {{ candidate_name }}, " + marker("offers.Offer.letter"),
        "justification": marker("offers.Offer.justification"),
        "created_by": staff,
    }
    declined = Offer.objects.create(
        version=1,
        status=Offer.Status.DECLINED,
        decline_reason=marker("offers.Offer.decline_reason"),
        **terms,
        **sent,
    )
    accepted = Offer.objects.create(
        version=2,
        status=Offer.Status.ACCEPTED,
        accepted_name=marker("offers.Offer.accepted_name"),
        accepted_letter_sha256="0" * 64,
        **terms,
        **sent,
    )
    approver = OfferApprover.objects.create(
        offer=accepted,
        user=staff,
        position=0,
        decision=OfferApprover.Decision.APPROVED,
        decided_at=timezone.now(),
        comment=marker("offers.OfferApprover.comment"),
    )
    changed = marker("offers.OfferEvent.changes")
    OfferEvent.objects.create(
        offer=accepted,
        by=staff,
        action=OfferEvent.Action.UPDATED,
        changes={changed: [changed, changed]},
        comment=marker("offers.OfferEvent.comment"),
    )
    LetterTemplate.objects.create(
        posting=application.posting, body=marker("offers.LetterTemplate.body")
    )
    offer_emails.approval_requested(accepted, approver, round_=1)
    offer_emails.sent(accepted)
    offer_emails.answered(declined)
    return accepted, declined


def _team_conversation_world(application, staff):
    """A message the team wrote (its email queued like any other) and a reply with a file."""
    send_message(
        application=application,
        author=staff,
        subject=marker("conversations.Message.subject"),
        body="Hi {{ candidate.first_name }}, " + marker("conversations.Message.body_text"),
    )
    incoming = reply(
        application,
        from_address=marked_email("conversations.Message.from_address"),
        subject=marker("conversations.Message.subject"),
        body_text=marker("conversations.Message.body_text"),
        sender_mismatch=True,
    )
    Attachment.objects.create(
        message=incoming,
        file="replies/0/cv.pdf",
        original_name=marker("conversations.Attachment.original_name"),
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )


def _conversation_world(application):
    """A reply waiting in the Inbox, with an attachment kept and one refused, and a reply
    from a spoofed sender on the application, which the team is told of."""
    fields = {
        "from_address": marker("conversations.Message.from_address"),
        "to": [marker("conversations.Message.to_address")],
        "subject": marker("conversations.Message.subject"),
        "text": marker("conversations.Message.body_text"),
        "full_text": marker("conversations.Message.body_full"),
    }
    pdf = pdf_bytes_with_text("CV")
    waiting, _ = receiving.store(
        Inbound(
            message_id="<unmatched@example.com>",
            attachments=[
                RawAttachment(name=marker("conversations.Attachment.original_name"), data=pdf),
                RawAttachment(name=marker("conversations.Message.problems"), data=b"MZ"),
            ],
            **fields,
        )
    )
    # The sender's file name loses its directories when kept (the marker holds a "/"); the
    # page must escape whatever the column holds.
    waiting.attachments.update(original_name=marker("conversations.Attachment.original_name"))
    matched, _ = receiving.store(Inbound(message_id="<matched@example.com>", **fields))
    Message.objects.filter(pk=matched.pk).update(application=application, sender_mismatch=True)
    matched.refresh_from_db()
    receiving.tell_the_team(matched)
    return waiting


def _interview_world(application, staff, step):
    """Alice and Ivy interviewed the applicant yesterday: Ivy submitted and amended her
    scorecard, Alice owes hers and is reminded."""
    ivy = UserFactory(username="ivy", role="interviewer")
    interview = scheduled_interview(
        application, step, interviewers=[staff, ivy], starts_at=timezone.now() - timedelta(days=1)
    )
    card = Scorecard.objects.create(
        interview=interview,
        interviewer=ivy,
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(hours=20),
        recommendation="yes",
        key_points=marker("interviews.Scorecard.key_points"),
        concerns=marker("interviews.Scorecard.concerns"),
    )
    changed = marker("interviews.ScorecardAmendment.changes")
    ScorecardAmendment.objects.create(
        scorecard=card,
        author=ivy,
        reason=marker("interviews.ScorecardAmendment.reason"),
        changes={changed: [changed, changed]},
    )
    scorecards.queue_scorecard_reminders()
    return interview


def staff_pages(world) -> dict[str, str]:
    posting, application = world["posting"], world["application"]
    manage = "dashboard:posting_"
    return {
        "dashboard home": reverse("dashboard:home"),
        "board": reverse("dashboard:board", args=[posting.pk]),
        # The summary line of the filters in force names the stage, source and question.
        "board filtered": reverse("dashboard:board", args=[posting.pk])
        + "?"
        + urlencode(
            {
                "stage": world["stage"].pk,
                "source": marker("applications.Application.utm_source"),
                f"answer_{world['internship'].pk}": "yes",
            }
        ),
        "candidate page": application.get_dashboard_url(),
        "compose page": reverse("dashboard:compose", args=[posting.pk, application.pk]),
        "posting list": reverse("dashboard:postings"),
        "posting edit": reverse(manage + "edit", args=[posting.pk]),
        "questions": reverse(manage + "questions", args=[posting.pk]),
        "question edit": reverse("dashboard:question_edit", args=[posting.pk, world["choice"].pk]),
        "stages": reverse(manage + "stages", args=[posting.pk]),
        "stage edit": reverse("dashboard:stage_edit", args=[posting.pk, world["stage"].pk]),
        "team": reverse(manage + "team", args=[posting.pk]),
        "plan": reverse(manage + "plan", args=[posting.pk]),
        "step edit": reverse("dashboard:step_edit", args=[posting.pk, world["step"].pk]),
        "settings": reverse("dashboard:settings"),
        "rejection reasons": reverse("dashboard:rejection_reasons"),
        "scorecard page": reverse("dashboard:scorecard", args=[world["held_interview"].pk]),
        "your interviews": reverse("dashboard:my_interviews"),
        "interview page": reverse("dashboard:interview", args=[world["interview"].pk]),
        "offer page": reverse("dashboard:offer", args=[world["accepted_offer"].pk]),
        "declined offer page": reverse("dashboard:offer", args=[world["declined_offer"].pk]),
        "offer new page": reverse("dashboard:offer_new", args=[world["application"].pk]),
        "offer letter page": reverse("dashboard:offer_letter_template", args=[posting.pk]),
        "inbox": reverse("dashboard:inbox"),
        "inbox message": reverse("dashboard:inbox_message", args=[world["inbox_message"].pk]),
        "templates page": reverse("dashboard:templates"),
        "email template page": reverse("dashboard:email_template", args=["rejection"]),
        "posting email templates page": reverse(
            "dashboard:posting_email_templates", args=[posting.pk]
        ),
        "posting email template page": reverse(
            "dashboard:email_template_posting", args=[posting.pk, "withdrawal"]
        ),
        "message template page": reverse(
            "dashboard:message_template_edit", args=[world["message_template"].pk]
        ),
        "person page": reverse("dashboard:candidate", args=[application.candidate_id]),
        "my referrals": reverse("dashboard:my_referrals"),
        "add candidate page": reverse("dashboard:add_candidate", args=[posting.pk]),
        "reports page": reverse("dashboard:reports"),
        "fairness page": reverse("dashboard:reports-fairness-posting", args=[posting.pk]),
        # Every marker holds "data": each application is found, with its snippet.
        "search page": reverse("dashboard:search") + "?q=data",
    }


def admin_pages(world) -> dict[str, str]:
    objects = {
        "team": ("postings_team", world["team"]),
        "location": ("postings_location", world["location"]),
        "posting": ("postings_posting", world["posting"]),
        "application": ("applications_application", world["application"]),
        "candidate": ("applications_candidate", world["application"].candidate),
        "stage": ("applications_stage", world["stage"]),
        "note": ("dashboard_note", world["application"].notes.get()),
        "email": ("notifications_outboxemail", world["outbox"]),
        "user": ("auth_user", world["staff"]),
        "group": ("auth_group", world["group"]),
        "rejection reason": ("applications_rejectionreason", world["rejection_reason"]),
        "interview step": ("interviews_interviewstep", world["step"]),
        "scorecard": ("interviews_scorecard", world["scorecard"]),
        "decision": ("interviews_decision", world["decision"]),
        "origin": ("sourcing_origin", world["origin"]),
        "tag": ("sourcing_tag", world["tag"]),
    }
    pages = {}
    for name, (prefix, obj) in objects.items():
        pages[f"admin {name} list"] = reverse(f"admin:{prefix}_changelist")
        pages[f"admin {name}"] = reverse(f"admin:{prefix}_change", args=[obj.pk])
    return pages


def rendered_pages(client, world) -> dict[str, str]:
    posting, application = world["posting"], world["application"]
    public = {
        "careers list": reverse("postings:list"),
        "posting page": posting.get_absolute_url(),
        "apply page": reverse("applications:apply", args=[posting.slug]),
        "status page": application.get_status_url(),
        "withdraw page": reverse("applications:withdraw", args=[application.status_token]),
        "manage page": application.candidate.get_manage_url(),
    }
    pages = {}
    for user, urls in [(None, public), (world["staff"], staff_pages(world))]:
        client.logout()
        if user:
            client.force_login(user)
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            pages[name] = response.content.decode()
    client.force_login(world["admin"])
    for name, url in admin_pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content.decode()
    for email in OutboxEmail.objects.exclude(pk=world["outbox"].pk):
        assert f"email:{email.kind}" not in pages, "one email of each kind"
        pages[f"email:{email.kind}"] = email.body_html
    return pages


def test_every_text_field_is_escaped_on_every_page(client, world):
    pages = rendered_pages(client, world)
    assert {page for shown_on in SHOWN.values() for page in shown_on} - set(pages) == set()
    raw = [
        (page, name)
        for page, html in pages.items()
        for name, mark in MARKERS.items()
        if mark in html
    ]
    assert raw == [], "shown as markup"
    missing = [
        (name, page)
        for name, shown_on in SHOWN.items()
        for page in shown_on
        if not any(form in pages[page] for form in escaped_forms(marker(name)))
    ]
    assert missing == [], "listed as shown there, but not found escaped"
