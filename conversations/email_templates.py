"""The emails the system sends to candidates, worded by recruiters.

Each candidate email has an entry in EMAILS: a label, when it is sent, the placeholders it
offers beyond the base ones (conversations.placeholders) and how their values are computed
from the email's context, and its default wording. The defaults live here, in code; the
database holds only what recruiters changed (EmailTemplate), globally or for one posting. An
email's wording is the posting's version, else the global one, else the default.

notifications.emails.render asks wording_source() (registered in ConversationsConfig.ready)
before the file templates, so every place that queues a candidate email gets the edited
wording without knowing of it. Emails to staff stay file templates.

Wording is filled by notifications.wording: placeholders are replaced by plain substitution,
everything else is text, and the HTML is escaped piece by piece. No Django template ever sees
what a recruiter typed.

Message templates (MessageTemplate) are the wording a recruiter starts from when writing to a
candidate by hand, with the base placeholders.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from conversations.models import EmailTemplate, MessageTemplate
from conversations.placeholders import BASE_PLACEHOLDERS, LINKS, base_values, first_name
from notifications import wording
from notifications.emails import RenderedEmail

# Every kind may also use these, whether or not it is about one application.
COMPANY = {"company.name": BASE_PLACEHOLDERS["company.name"]}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _when(moment, zone: str) -> str:
    if moment is None:
        return ""
    return f"{dateformat.format(timezone.localtime(moment), 'l, F j, Y, H:i')} ({zone})"


def _interview_values(context: dict) -> dict[str, str]:
    """Times read in the reader's zone: the email is rendered inside timezone.override()."""
    interview, zone = context["interview"], context.get("zone", "")
    step = context.get("step") or interview.step
    values = {"interview.step": step.name}
    if interview.starts_at is not None:
        starts = timezone.localtime(interview.starts_at)
        ends = timezone.localtime(interview.ends_at) if interview.ends_at else None
        span = dateformat.format(starts, "l, F j, Y, H:i")
        if ends is not None:
            span += "–" + dateformat.format(ends, "H:i")
        lines = [f"  {span} ({zone})"]
        if interview.location:
            lines.append(f"  Where: {interview.location}")
        if interview.video_url:
            lines.append(f"  Video call: {interview.video_url}")
        values |= {
            "interview.when": _when(interview.starts_at, zone),
            "interview.when_short": dateformat.format(starts, "D M j, H:i T"),
            "interview.details": "\n".join(lines),
        }
    return values


def _cancel_values(context: dict) -> dict[str, str]:
    reason = context.get("reason", "")
    line = f"Reason: {reason}" if reason else ""
    return _interview_values(context) | {"cancellation.reason": line}


def _slot_values(context: dict) -> dict[str, str]:
    step = context.get("step") or context["interview"].step
    slots = "\n".join(
        f"  - {dateformat.format(timezone.localtime(slot.starts_at), 'l, F j, H:i')}"
        for slot in context.get("slots", ())
    )
    return {
        "interview.step": step.name,
        "interview.duration": f"{step.duration_minutes} minutes",
        "interview.slots": slots,
        "time_zone": context.get("zone", ""),
    }


def _offer_values(context: dict) -> dict[str, str]:
    offer = context["offer"]
    return {
        "offer.job_title": offer.job_title,
        "offer.expires_on": dateformat.format(offer.expires_on, "F j, Y")
        if offer.expires_on
        else "",
        "offer_link": _absolute(offer.application.get_status_url()),
    }


def _erasure_values(context: dict) -> dict[str, str]:
    postings = list(context.get("postings", ()))
    plural = "s" if len(postings) != 1 else ""
    if context.get("address_kept"):
        next_step = (
            "Your other applications are as they were. To erase those too, use the link in "
            "each one's confirmation email, or ask for a link to all your applications on our "
            "careers site."
        )
    else:
        next_step = (
            "This is the last email we will send you about it; we have kept no copy of your "
            "address."
        )
    return {
        "candidate.name": context.get("name", ""),
        "candidate.first_name": first_name(context.get("name", "")) or "there",
        "erasure.applications": f"application{plural} for {', '.join(postings)}",
        "erasure.next_step": next_step,
    }


INTERVIEW_TIME = {
    "interview.step": "The name of the interview step (e.g. Technical interview)",
    "interview.when": "Its day and time in the candidate's time zone, with the zone's name",
    "interview.when_short": "Its day and time, short (for a subject line)",
    "interview.details": "Its time, place and video link, one per line",
}
REASON = {"cancellation.reason": '"Reason: …" when the canceller gave one; empty otherwise'}


@dataclass(frozen=True)
class CandidateEmail:
    kind: str
    label: str
    description: str
    subject: str
    body: str
    extras: dict[str, str] = field(default_factory=dict)
    values: Callable[[dict], dict[str, str]] = lambda context: {}
    # About one application: the base placeholders apply, and a posting may have its own
    # version. Erasure and the manage link speak of every application of an address.
    about_application: bool = True
    links: frozenset[str] = frozenset()

    @property
    def placeholders(self) -> dict[str, str]:
        base = BASE_PLACEHOLDERS if self.about_application else COMPANY
        return {**base, **self.extras}

    @property
    def link_names(self) -> frozenset[str]:
        return (LINKS if self.about_application else frozenset()) | self.links


EMAILS: dict[str, CandidateEmail] = {
    email.kind: email
    for email in [
        CandidateEmail(
            kind="application_received",
            label="Application received",
            description="Right after someone applies.",
            subject="We received your application for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "Thank you for applying for {{ posting.title }} at {{ company.name }}. Your "
                "application has arrived and the hiring team will review it.\n\n"
                "Follow your application here (keep this link private; it works without an "
                "account):\n{{ status_link }}\n\n"
                "From that page you can also withdraw your application, download your data or "
                "erase it."
            ),
        ),
        CandidateEmail(
            kind="candidate_added",
            label="Added by the team",
            description="When a recruiter adds someone to a posting (sourced, referred) and "
            "chooses to send them their status link.",
            subject="You are a candidate for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "The hiring team at {{ company.name }} has added you as a candidate for "
                "{{ posting.title }}.\n\n"
                "Follow your application here (keep this link private; it works without an "
                "account):\n{{ status_link }}\n\n"
                "From that page you can also withdraw your application, download your data or "
                "erase it."
            ),
        ),
        CandidateEmail(
            kind="already_applied",
            label="Already applied",
            description="When someone applies again to the same posting with the same address.",
            subject="You have already applied for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "Someone (we hope you) just applied for {{ posting.title }} with this email "
                "address. You applied for this role already, so we kept your first application "
                "as it was and stored nothing new.\n\n"
                "Follow your application here (keep this link private; it works without an "
                "account):\n{{ status_link }}\n\n"
                "If this was not you, you need not do anything: nobody but this inbox receives "
                "the link."
            ),
        ),
        CandidateEmail(
            kind="stage_changed",
            label="Stage update",
            description="When the application moves to a stage (after a short hold, so that a "
            "second move replaces it).",
            subject="Update on your application for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "Your application for {{ posting.title }} has moved on: its status is now "
                '"{{ stage.name }}".\n\n'
                "See the details: {{ status_link }}"
            ),
            extras={"stage.name": "The new stage, by the name candidates see"},
            values=lambda context: {"stage.name": context["stage"].candidate_name},
        ),
        CandidateEmail(
            kind="rejection",
            label="Rejection",
            description="When the application is rejected (after the posting's delay), "
            "unless the recruiter chose to reject quietly.",
            subject="Your application for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "Thank you for your interest in {{ posting.title }} at {{ company.name }} and "
                "for the time you gave your application. After careful review, we have decided "
                "not to move forward with it.\n\n"
                "We will keep an eye out for you on future roles, and we hope you apply again."
            ),
        ),
        CandidateEmail(
            kind="withdrawal",
            label="Withdrawal confirmed",
            description="When the candidate withdraws their application.",
            subject="You withdrew your application for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "As you asked, we have withdrawn your application for {{ posting.title }}. The "
                "hiring team will not consider it further. This role takes one application per "
                "email address, so it cannot take a new one from you.\n\n"
                "You are welcome to apply to our other roles:\n{{ careers_link }}\n\n"
                "If you withdrew by mistake, reply to this email."
            ),
        ),
        CandidateEmail(
            kind="interview_invite",
            label="Interview scheduled",
            description="When an interview gets its time (the invitation is attached).",
            subject="Interview: {{ interview.step }} for {{ posting.title }}, "
            "{{ interview.when_short }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "Your {{ interview.step }} interview for {{ posting.title }} is scheduled:\n\n"
                "{{ interview.details }}\n\n"
                "The attached invitation adds it to your calendar.\n\n"
                "See or change it: {{ status_link }}"
            ),
            extras=INTERVIEW_TIME,
            values=_interview_values,
        ),
        CandidateEmail(
            kind="interview_rescheduled",
            label="Interview moved",
            description="When a scheduled interview gets a new time (the updated invitation is "
            "attached).",
            subject="New time: {{ interview.step }} for {{ posting.title }}, "
            "{{ interview.when_short }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "The {{ interview.step }} interview for your application to {{ posting.title }} "
                "has a new time:\n\n"
                "{{ interview.details }}\n\n"
                "The attached invitation adds it to your calendar.\n\n"
                "See or change it: {{ status_link }}"
            ),
            extras=INTERVIEW_TIME,
            values=_interview_values,
        ),
        CandidateEmail(
            kind="interview_slots",
            label="Pick an interview time",
            description="When the candidate is offered times to choose from.",
            subject="Pick a time for your {{ interview.step }} interview: {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "We would like to invite you to a {{ interview.step }} interview "
                "({{ interview.duration }}) for {{ posting.title }}. Please pick the time that "
                "suits you best:\n\n"
                "{{ status_link }}\n\n"
                "The times on offer ({{ time_zone }}; the page shows them in your own time "
                "zone):\n{{ interview.slots }}"
            ),
            extras={
                "interview.step": INTERVIEW_TIME["interview.step"],
                "interview.duration": "How long it lasts (e.g. 45 minutes)",
                "interview.slots": "The times on offer, one per line",
                "time_zone": "The time zone the times are written in",
            },
            values=_slot_values,
        ),
        CandidateEmail(
            kind="interview_reminder",
            label="Interview reminder",
            description="The day before a scheduled interview.",
            subject="Reminder: {{ interview.step }} for {{ posting.title }}, "
            "{{ interview.when_short }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "A reminder of the {{ interview.step }} interview for {{ posting.title }}:\n\n"
                "{{ interview.details }}\n\n"
                "{{ status_link }}"
            ),
            extras=INTERVIEW_TIME,
            values=_interview_values,
        ),
        CandidateEmail(
            kind="interview_cancelled",
            label="Interview cancelled",
            description="When a scheduled interview is cancelled (the calendar update is "
            "attached).",
            subject="Cancelled: {{ interview.step }} for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "The {{ interview.step }} interview for your application to {{ posting.title }} "
                "on {{ interview.when }} is cancelled.\n\n"
                "{{ cancellation.reason }}\n\n"
                "The attached update removes it from your calendar.\n\n"
                "{{ status_link }}"
            ),
            extras={**INTERVIEW_TIME, **REASON},
            values=_cancel_values,
        ),
        CandidateEmail(
            kind="interview_request_cancelled",
            label="Interview request cancelled",
            description="When an interview is cancelled before it had a time (the candidate "
            "was picking one).",
            subject="Cancelled: {{ interview.step }} for {{ posting.title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "The {{ interview.step }} interview for your application to {{ posting.title }} "
                "is cancelled.\n\n"
                "{{ cancellation.reason }}\n\n"
                "{{ status_link }}"
            ),
            extras={"interview.step": INTERVIEW_TIME["interview.step"], **REASON},
            values=_cancel_values,
        ),
        CandidateEmail(
            kind="offer_sent",
            label="Offer sent",
            description="When an approved offer is sent to the candidate.",
            subject="Your offer from {{ company.name }}: {{ offer.job_title }}",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "We are happy to offer you the position of {{ offer.job_title }}. Your offer "
                "letter is waiting on your application page, where you can read it, download "
                "it, and accept or decline it until {{ offer.expires_on }}:\n\n"
                "{{ offer_link }}"
            ),
            extras={
                "offer.job_title": "The job title in the offer",
                "offer.expires_on": "The last day the candidate may accept",
                "offer_link": "The page where the candidate reads and answers the offer",
            },
            values=_offer_values,
            links=frozenset({"offer_link"}),
        ),
        CandidateEmail(
            kind="offer_withdrawn",
            label="Offer withdrawn",
            description="When a sent offer is withdrawn.",
            subject="Your offer for {{ offer.job_title }} was withdrawn",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "We have withdrawn the offer we sent you for {{ offer.job_title }}; it can no "
                "longer be accepted. If you have questions, reply to this email.\n\n"
                "{{ status_link }}"
            ),
            extras={"offer.job_title": "The job title in the offer"},
            values=_offer_values,
        ),
        CandidateEmail(
            kind="manage_link",
            label="Link to all applications",
            description="When someone asks for a link to every application made with their "
            "address.",
            subject="Your applications to {{ company.name }}",
            body=(
                "Hello,\n\n"
                "Someone (we hope you) asked for a link to every application made with this "
                "email address. Here it is; it works for {{ link_hours }} hours:\n"
                "{{ manage_link }}\n\n"
                "From that page you can open each application's status page, download all your "
                "data, or erase it.\n\n"
                "If you did not ask for this, you can ignore this email: nobody but this inbox "
                "receives the link."
            ),
            extras={
                "manage_link": "The private page listing every application from the address",
                "link_hours": "How many hours that link works",
            },
            values=lambda context: {
                "manage_link": context["manage_url"],
                "link_hours": str(context["valid_hours"]),
            },
            about_application=False,
            links=frozenset({"manage_link"}),
        ),
        CandidateEmail(
            kind="erasure",
            label="Data erased",
            description="When a candidate's data is erased at their request.",
            subject="Your data has been erased",
            body=(
                "Hi {{ candidate.name }},\n\n"
                "As you asked, we have erased your personal data from your "
                "{{ erasure.applications }}: your contact details, answers, resume and cover "
                "letter.\n\n"
                "{{ erasure.next_step }}"
            ),
            extras={
                "candidate.name": BASE_PLACEHOLDERS["candidate.name"],
                "candidate.first_name": BASE_PLACEHOLDERS["candidate.first_name"],
                "erasure.applications": '"application for …" (or "applications for …, …") '
                "naming the postings",
                "erasure.next_step": "A sentence the system words: whether their other "
                "applications remain, or that this is the last email",
            },
            values=_erasure_values,
            about_application=False,
        ),
    ]
}

# File templates shared with interviewers: only the candidate's copy is worded here.
SHARED_WITH_STAFF = {"interview_invite", "interview_cancelled", "interview_reminder"}


def kind_for(name: str, context: dict) -> str | None:
    """The registry entry for rendering email template `name` with this context, or None when
    the file templates word it (an email to staff)."""
    if name.startswith("interview_") and not context.get("to_candidate"):
        return None
    if name == "interview_invite" and context.get("rescheduled"):
        return "interview_rescheduled"
    if name == "interview_cancelled" and not context.get("had_time"):
        return "interview_request_cancelled"
    return name if name in EMAILS else None


def application_of(context: dict):
    if context.get("application") is not None:
        return context["application"]
    if context.get("offer") is not None:
        return context["offer"].application
    return None


def values_for(email: CandidateEmail, context: dict) -> dict[str, str]:
    values = {"company.name": settings.COMPANY_NAME}
    if email.about_application:
        values |= base_values(application_of(context))
    return values | email.values(context)


def wording_for(kind: str, posting=None) -> tuple[str, str, EmailTemplate | None]:
    """(subject, body, the row they come from or None for the default): the posting's
    version, else the global one, else the default. One query."""
    email = EMAILS[kind]
    scope = Q(posting__isnull=True)
    if posting is not None and email.about_application:
        scope |= Q(posting=posting)
    rows = sorted(
        EmailTemplate.objects.filter(scope, kind=kind), key=lambda row: row.posting_id is None
    )
    if rows:
        return rows[0].subject, rows[0].body, rows[0]
    return email.subject, email.body, None


@dataclass(frozen=True)
class Filled:
    subject: str
    html: str  # paragraphs, every piece escaped
    text: str


def fill(subject: str, body: str, values: dict, *, links=frozenset()) -> Filled:
    rendered = wording.render(body, values, links=links)
    # A placeholder that is empty in this email (no reason given) leaves no empty paragraph.
    html = re.sub(r"<p>(\s|<br>)*</p>\n?", "", rendered.html)
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", rendered.text).strip()
    return Filled(subject=" ".join(wording.fill(subject, values).split()), html=html, text=text)


def render_wording(subject: str, body: str, values: dict, *, links=frozenset()) -> RenderedEmail:
    """Subject, plain text and HTML (inside the emails' own frame) from wording and values."""
    filled = fill(subject, body, values, links=links)
    frame = render_to_string(
        "emails/_wording.html",
        {
            "title": filled.subject,
            # Safe: wording.render escaped every piece of the wording and every value.
            "body": mark_safe(filled.html),  # noqa: S308  # nosec B308 B703
            "COMPANY_NAME": settings.COMPANY_NAME,
        },
    )
    return RenderedEmail(
        subject=filled.subject[:300],
        body_text=f"{filled.text}\n\n{settings.COMPANY_NAME} Careers\n",
        body_html=frame,
    )


def wording_source(name: str, context: dict) -> RenderedEmail | None:
    """notifications.emails' hook: the candidate emails, worded as recruiters left them."""
    kind = kind_for(name, context)
    if kind is None:
        return None
    email = EMAILS[kind]
    application = application_of(context)
    posting = application.posting if application is not None else None
    subject, body, _ = wording_for(kind, posting)
    return render_wording(subject, body, values_for(email, context), links=email.link_names)


# Previews: the recruiter's wording filled with a real application's data.

# Private links are the candidate's keys: a preview shows where they go, never the key.
PREVIEW_LINK = "/…/private-link-shown-to-the-candidate-only"


def _sample_interview(application):
    interview = (
        application.interviews.select_related("step").order_by("-starts_at", "-pk").first()
        if application.pk
        else None
    )
    if interview is not None and interview.starts_at is not None:
        return interview
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    starts += timedelta(days=3)
    step = (
        interview.step
        if interview is not None
        else SimpleNamespace(name="Technical interview", duration_minutes=45)
    )
    return SimpleNamespace(
        step=step,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=step.duration_minutes),
        location="",
        video_url="https://meet.example.com/abc-defg-hij",
        candidate_time_zone="",
    )


def _sample_offer(application):
    offer = application.offers.order_by("-version").first() if application.pk else None
    if offer is not None:
        return offer
    return SimpleNamespace(
        application=application,
        job_title=application.posting.title,
        expires_on=timezone.localdate() + timedelta(days=7),
    )


def preview_context(kind: str, application) -> dict:
    """A context like the real one for `kind`, from `application` and what it has (its last
    interview or offer, else plausible samples)."""
    context = {
        "application": application,
        "candidate": application.candidate,
        "posting": application.posting,
        "stage": application.stage,
        "to_candidate": True,
    }
    if kind.startswith("interview_"):
        interview = _sample_interview(application)
        zone = interview.candidate_time_zone or settings.TIME_ZONE
        slots = [
            SimpleNamespace(starts_at=interview.starts_at + timedelta(days=day)) for day in (0, 1)
        ]
        context |= {
            "interview": interview,
            "step": interview.step,
            "zone": zone,
            "slots": slots,
            "reason": "The interviewer is ill.",
        }
    if kind.startswith("offer_"):
        context["offer"] = _sample_offer(application)
    if kind == "manage_link":
        context |= {"manage_url": "", "valid_hours": 24}
    if kind == "erasure":
        context |= {
            "name": application.name,
            "postings": [application.posting.title],
            "address_kept": False,
        }
    return context


def preview(kind: str, subject: str, body: str, application) -> Filled:
    email = EMAILS[kind]
    context = preview_context(kind, application)
    if context.get("interview") is not None:
        with timezone.override(context["zone"]):
            values = values_for(email, context)
    else:
        values = values_for(email, context)
    for name in email.link_names:
        values[name] = settings.SITE_URL + PREVIEW_LINK
    return fill(subject, body, values, links=email.link_names)


# Writes: the overrides and the message templates.


def save_email_template(*, kind: str, posting=None, subject: str, body: str, by) -> EmailTemplate:
    """Set the wording of `kind` globally (posting None) or for one posting."""
    if posting is not None and not EMAILS[kind].about_application:
        raise ValueError(f"{kind} has no per-posting versions")
    with transaction.atomic():
        row, _ = EmailTemplate.objects.update_or_create(
            kind=kind,
            posting=posting,
            defaults={
                "subject": subject,
                "body": body,
                "updated_by": by,
                "updated_at": timezone.now(),
            },
        )
    return row


def reset_email_template(*, kind: str, posting=None) -> bool:
    """Back to the default (or, for a posting, to the global wording). True if it had one."""
    deleted, _ = EmailTemplate.objects.filter(kind=kind, posting=posting).delete()
    return bool(deleted)


def compose_templates(posting) -> list[MessageTemplate]:
    """The message templates a recruiter may start from when writing about an application
    of `posting`: the global ones and the posting's own, by name."""
    return list(
        MessageTemplate.objects.filter(Q(posting__isnull=True) | Q(posting=posting))
        .select_related("posting")
        .order_by("name", "pk")
    )


def render_message(subject: str, body: str, application, sender) -> RenderedEmail:
    """A hand-written message (from a template or not) filled for one application."""
    values = base_values(application, sender=sender)
    return render_wording(subject, body, values, links=LINKS)
