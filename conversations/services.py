"""Writing to candidates: one email each, through the outbox, kept on the timeline.

A message is typed wording, filled per person by notifications.wording (never the template
engine) with the placeholders of conversations.placeholders. The outbox row and the Message
are written in one transaction, so a message on the timeline always has its email and an
email the team wrote always has its message. The outbox delivers it, now or at send_after
(the beat sweep sends rows once due), and holds its status.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import Application, Candidate
from ats.storage import delete_files
from conversations.models import Attachment, Message, Thread
from conversations.placeholders import BASE_PLACEHOLDERS, LINKS, base_values
from notifications import wording
from notifications.models import OutboxEmail
from notifications.services import cancel_pending, queue_email

logger = logging.getLogger(__name__)

ERASED = "The candidate erased their data: there is nobody to write to."
NO_ADDRESS = "The candidate has no email address."


# The conversation address


def thread_for(application: Application) -> Thread:
    """The application's thread, made on first use. Two requests making it at once both end
    with the one row: the loser of the unique constraint reads the winner's."""
    try:
        return Thread.objects.get(application=application)
    except Thread.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Thread.objects.create(application=application)
    except IntegrityError:
        return Thread.objects.get(application=application)


def reply_address(token: str) -> str:
    """`jobs+<token>@example.com` from ATS_REPLY_ADDRESS `jobs@example.com`."""
    local, _, domain = settings.ATS_REPLY_ADDRESS.rpartition("@")
    return f"{local}+{token}@{domain}"


def reply_to_for_candidate(application, to: str) -> str:
    """notifications' Reply-To hook: the conversation address, for an email to the
    application's candidate only. Staff emails about an application (alerts, mentions,
    approvals) keep answering to From, so a teammate's reply never lands on the timeline."""
    if not settings.ATS_REPLY_ADDRESS or application.erased_at is not None:
        return ""
    candidate_email = application.candidate.email
    if not candidate_email or to.strip().lower() != candidate_email.strip().lower():
        return ""
    return reply_address(thread_for(application).reply_token)


# Composing


def check_wording(*, subject: str, body: str, send_at: datetime | None = None) -> dict:
    """The cleaned subject and body, or ValidationError naming each field's problem: the
    same checks for one message and for a bulk send, made before anything is stored."""
    errors: dict[str, list[str]] = {}
    subject = " ".join((subject or "").split())  # one header line, whatever was pasted
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        errors.setdefault("subject", []).append("Write a subject.")
    elif len(subject) > Message.SUBJECT_MAX:
        errors.setdefault("subject", []).append(
            f"Keep the subject to {Message.SUBJECT_MAX} characters (it has {len(subject)})."
        )
    if not body:
        errors.setdefault("body", []).append("Write the message.")
    elif len(body) > Message.BODY_MAX:
        errors.setdefault("body", []).append(
            f"Keep the message to {Message.BODY_MAX:,} characters (it has {len(body):,})."
        )
    for name, text in (("subject", subject), ("body", body)):
        unknown = wording.unknown_placeholders(text, BASE_PLACEHOLDERS)
        if unknown:
            errors.setdefault(name, []).append(
                "Unknown placeholder"
                + ("s" if len(unknown) > 1 else "")
                + ": "
                + ", ".join("{{ " + u + " }}" for u in unknown)
                + ". Use one of the listed placeholders."
            )
    if send_at is not None and send_at < timezone.now():
        errors.setdefault("send_at", []).append("That time has passed: pick a time to come.")
    if errors:
        raise ValidationError(errors)
    return {"subject": subject, "body": body}


@dataclass(frozen=True)
class Filled:
    subject: str
    text: str
    html: str


def fill_for(application: Application, *, author, subject: str, body: str) -> Filled:
    """The wording with this application's placeholders filled: what the candidate reads."""
    values = base_values(application, sender=author)
    rendered = wording.render(body, values, links=LINKS)
    # The subject is a header: its values are plain text, and a name cannot break the line.
    filled_subject = " ".join(wording.fill(subject, values).split())[: Message.SUBJECT_MAX]
    return Filled(subject=filled_subject, text=rendered.text, html=rendered.html)


def why_not(application: Application) -> str:
    """Why this application cannot be written to, or "" when it can."""
    if application.erased_at is not None:
        return ERASED
    if not application.candidate.email:
        return NO_ADDRESS
    return ""


def _write(application: Application, *, author, subject: str, body: str, send_at) -> Message:
    filled = fill_for(application, author=author, subject=subject, body=body)
    key = f"application:{application.pk}:message:{uuid.uuid4().hex}"
    outbox = queue_email(
        key=key,
        kind=OutboxEmail.Kind.CANDIDATE_MESSAGE,
        to=application.candidate.email,
        template="candidate_message",
        context={
            "subject": filled.subject,
            "body_text": filled.text,
            "body_html": wording.Rendered(html=filled.html, text=filled.text).safe_html,
        },
        application=application,
        send_after=send_at,
    )
    return Message.objects.create(
        application=application,
        direction=Message.Direction.OUTGOING,
        author=author,
        outbox=outbox,
        from_address=settings.DEFAULT_FROM_EMAIL,
        to_address=outbox.to,
        subject=filled.subject,
        body_text=filled.text,
        message_id=outbox.message_id,
    )


def _locked(application_ids) -> list[Application]:
    """The applications, re-read under a lock: an erasure waits for us, or we for it."""
    return list(
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate", "posting")
        .filter(pk__in=application_ids)
        .order_by("pk")
    )


def send_message(
    *, application: Application, author, subject: str, body: str, send_at=None
) -> Message:
    """Write one email to the candidate, sent now or at `send_at`. Raises ValidationError
    (keyed by subject, body, send_at, or for the message as a whole) and stores nothing."""
    clean = check_wording(subject=subject, body=body, send_at=send_at)
    with transaction.atomic():
        locked = _locked([application.pk])
        if not locked:
            raise ValidationError({NON_FIELD_ERRORS: ["This application no longer exists."]})
        reason = why_not(locked[0])
        if reason:
            raise ValidationError({NON_FIELD_ERRORS: [reason]})
        return _write(locked[0], author=author, send_at=send_at, **clean)


@dataclass
class BulkSent:
    sent: list[Message] = field(default_factory=list)
    skipped: list[tuple[Application, str]] = field(default_factory=list)


def send_bulk(*, applications, author, subject: str, body: str, send_at=None) -> BulkSent:
    """One email to each application's candidate, each with its own placeholders. The
    wording is checked once, before anything is stored; applications nobody can be written
    to (erased, no address) are skipped and reported with the reason."""
    clean = check_wording(subject=subject, body=body, send_at=send_at)
    ids = [a.pk for a in applications]
    if not ids:
        raise ValidationError({NON_FIELD_ERRORS: ["Select at least one application first."]})
    result = BulkSent()
    with transaction.atomic():
        for application in _locked(ids):
            reason = why_not(application)
            if reason:
                result.skipped.append((application, reason))
                continue
            result.sent.append(_write(application, author=author, send_at=send_at, **clean))
    return result


class CannotCancel(Exception):
    pass


def cancel_scheduled(*, message: Message, by) -> None:
    """Cancel a message still waiting for its time. One that is due, sending or sent is no
    longer ours to stop: a worker may be sending it this very moment."""
    if message.outbox_id is None or not cancel_pending(
        OutboxEmail.objects.filter(pk=message.outbox_id)
    ):
        raise CannotCancel("This message is no longer scheduled: it is being sent or was sent.")
    logger.info("Message %s cancelled by user %s", message.pk, getattr(by, "pk", None))


# Erasure


def _inbox_mail_from_erased_addresses(applications) -> Q:
    """Unassigned mail from an address that is being erased altogether (no application from
    it is left): it is the person's too, though no application claimed it."""
    ids = [a.pk for a in applications]
    leaving = (
        Candidate.objects.filter(pk__in={a.candidate_id for a in applications})
        .exclude(applications__in=Application.objects.active().exclude(pk__in=ids))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    match = Q(pk__in=[])
    for address in leaving:
        match |= Q(application__isnull=True, from_address__iexact=address)
    return match


def forget_erased(*, applications) -> int:
    """Erasure: the conversation goes, messages both ways, their files and the thread (its
    reply address then leads nowhere). The outbox rows go with the application's emails."""
    ids = [a.pk for a in applications]
    theirs = Q(application_id__in=ids) | _inbox_mail_from_erased_addresses(applications)
    attachments = Attachment.objects.filter(message__in=Message.objects.filter(theirs))
    files = [a.file.name for a in attachments if a.file]
    deleted, _ = Message.objects.filter(theirs).delete()
    Thread.objects.filter(application_id__in=ids).delete()
    # The files go only once the erasure is committed: a rollback must not lose them.
    transaction.on_commit(lambda: delete_files(files))
    return deleted
