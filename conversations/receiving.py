"""Replies from candidates: fetched from the mailbox, matched to their application, stored
once, and put in front of the hiring team.

Exactly once: a message's Message-ID is unique in the database (mail without one gets an id
hashed from its bytes), each message is stored in its own transaction, and it is marked read
(or moved) on the server only after that transaction commits. A run that dies between the
two leaves the message unread; the next run fetches it again, finds the Message-ID stored,
and only marks it. A lock in the cache keeps two fetchers off one mailbox at a time, which
saves work; the unique key is what guarantees it.
"""

import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from applications.resumes import DOCX, PDF, check_resume
from ats.storage import delete_files
from conversations import inbound
from conversations.inbound import Inbound
from conversations.mailbox import Mailbox, MailboxError
from conversations.models import Attachment, Message, Thread
from notifications.models import OutboxEmail
from notifications.services import queue_email

logger = logging.getLogger(__name__)

LOCK_KEY = "conversations:fetch-replies:lock"
# Longer than the slowest run (a batch of messages each read under its budget), so that the
# lock never expires under a live fetcher; a fetcher that died frees it after this.
LOCK_SECONDS = 15 * 60
INBOX_COUNT_KEY = "conversations:inbox-count"
EXCERPT_CHARS = 1000


class NotConfigured(Exception):
    pass


@dataclass
class FetchReport:
    stored: int = 0
    duplicates: int = 0
    to_inbox: int = 0
    failed: int = 0
    locked: bool = False
    left: int = 0
    messages: list[Message] = field(default_factory=list)

    def __str__(self):
        if self.locked:
            return "Another fetcher is reading the mailbox; nothing done."
        more = f" {self.left} more wait for the next run." if self.left else ""
        return (
            f"Stored {self.stored} (of which {self.to_inbox} to the Inbox), "
            f"skipped {self.duplicates} already stored, {self.failed} failed.{more}"
        )


def fetch_replies(*, mark=None) -> FetchReport:
    """Read the unread messages of the mailbox, store each once, and mark it processed.

    `mark(box, uid)` marks a message (Mailbox.mark_processed); tests pass one that fails to
    show that a run dying before it stores nothing twice."""
    if not settings.ATS_IMAP_HOST:
        raise NotConfigured("ATS_IMAP_HOST is not set: fetching replies is off.")
    token = secrets.token_hex(16)
    if not cache.add(LOCK_KEY, token, LOCK_SECONDS):
        return FetchReport(locked=True)
    try:
        with Mailbox() as box:
            return _fetch(box, mark or Mailbox.mark_processed)
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _fetch(box: Mailbox, mark) -> FetchReport:
    report = FetchReport()
    box.ensure_processed_folder()
    uids = box.unseen(settings.ATS_IMAP_BATCH + 1)
    report.left = max(0, len(uids) - settings.ATS_IMAP_BATCH)
    for envelope in box.envelopes(uids[: settings.ATS_IMAP_BATCH]):
        try:
            if envelope.size > settings.ATS_IMAP_MAX_MESSAGE_BYTES:
                parsed = inbound.read_oversized(envelope.headers, envelope.size)
            else:
                parsed = inbound.read_message(box.fetch(envelope.uid))
            message, created = store(parsed)
        except MailboxError:
            raise
        except Exception:
            # One message must not stop the batch. It stays unread, so the next run tries
            # it again (a database that was briefly down); the log says which and why.
            logger.exception("Storing the reply with IMAP UID %s failed", envelope.uid)
            report.failed += 1
            continue
        if created:
            report.stored += 1
            report.to_inbox += message.application_id is None
            report.messages.append(message)
        else:
            report.duplicates += 1
        mark(box, envelope.uid)
    return report


def store(parsed: Inbound) -> tuple[Message, bool]:
    """Store one message, matched to its application or in the Inbox, with its attachments,
    and tell the hiring team; or find it stored already. Returns (message, created)."""
    saved_files = []
    try:
        with transaction.atomic():
            application = None if parsed.refused else match(parsed)
            message = Message.objects.create(
                application=application,
                direction=Message.Direction.INCOMING,
                from_address=f"{parsed.from_name} <{parsed.from_address}>"[:320]
                if parsed.from_name
                else parsed.from_address[:320],
                to_address=", ".join(parsed.to)[:320],
                subject=parsed.subject[: Message.SUBJECT_MAX],
                body_text=parsed.text[: Message.BODY_MAX],
                body_full=parsed.full_text[: Message.BODY_MAX * 4],
                body_html=parsed.html[: Message.BODY_MAX * 4],
                message_id=parsed.message_id,
                in_reply_to=parsed.in_reply_to,
                references=" ".join(parsed.references),
                sender_mismatch=_mismatch(parsed.from_address, application),
                problems=[parsed.refused] if parsed.refused else list(parsed.problems),
            )
            _keep_attachments(message, parsed, saved_files)
            if application is not None:
                tell_the_team(message)
    except IntegrityError:
        delete_files(saved_files)
        existing = Message.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        delete_files(saved_files)
        raise
    transaction.on_commit(lambda: cache.delete(INBOX_COUNT_KEY))
    return message, True


def match(parsed: Inbound) -> Application | None:
    """The application a reply belongs to: by the plus token of an address it was sent to,
    else by the emails it answers (In-Reply-To, then References, newest first)."""
    tokens = {
        address.split("@", 1)[0].partition("+")[2].lower()
        for address in parsed.recipients
        if "+" in address.split("@", 1)[0]
    }
    tokens.discard("")
    if tokens:
        thread = (
            Thread.objects.filter(reply_token__in=tokens, application__erased_at__isnull=True)
            .select_related("application__candidate", "application__posting")
            .first()
        )
        if thread:
            return thread.application
    answered = [parsed.in_reply_to, *reversed(parsed.references)]
    answered = [message_id for message_id in dict.fromkeys(answered) if message_id]
    if not answered:
        return None
    candidates = {}
    messages = Message.objects.filter(
        message_id__in=answered, application__erased_at__isnull=True
    ).select_related("application__candidate")
    for message in messages:
        # Our own emails to the candidate, and their earlier replies: not an email to staff.
        if message.is_incoming or _same_address(message.to_address, message.application):
            candidates.setdefault(message.message_id, message.application)
    emails = OutboxEmail.objects.filter(
        message_id__in=answered,
        application__isnull=False,
        application__erased_at__isnull=True,
    ).select_related("application__candidate")
    for email in emails:
        # A teammate answering a notification about this candidate is not the candidate.
        if _same_address(email.to, email.application):
            candidates.setdefault(email.message_id, email.application)
    return next((candidates[i] for i in answered if i in candidates), None)


def _same_address(address: str, application: Application) -> bool:
    return address.strip().lower() == application.candidate.email.strip().lower()


def _mismatch(from_address: str, application: Application | None) -> bool:
    return application is not None and not _same_address(from_address, application)


REFUSAL_REASONS = {
    "bad_type": "not a PDF or Word file",
    "empty": "empty",
    "too_large": "larger than the {mb} MB allowed",
    "encrypted": "password-protected",
    "too_large_unpacked": "unpacks to far more than it weighs",
}


def _keep_attachments(message: Message, parsed: Inbound, saved_files: list) -> None:
    """Each attachment checked like a resume (sniffed type, size, bombs); those that pass go
    to private storage under a name the server makes, the others are listed as not kept."""
    problems = list(message.problems)
    for raw in parsed.attachments:
        name = _display_name(raw.name)
        if raw.problem or raw.data is None:
            reason = REFUSAL_REASONS.get(raw.problem, raw.problem) or "could not be read"
            problems.append(f"Not kept: {name}: {_reason(reason)}.")
            continue
        try:
            checked = check_resume(ContentFile(raw.data, name=name))
        except ValidationError as refusal:
            reason = REFUSAL_REASONS.get(refusal.code, "could not be read")
            problems.append(f"Not kept: {name}: {_reason(reason)}.")
            continue
        extension = ".pdf" if checked.content_type == PDF else ".docx"
        attachment = Attachment(
            message=message,
            original_name=checked.original_filename,
            content_type=checked.content_type if checked.content_type in (PDF, DOCX) else PDF,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(f"attachment{extension}", ContentFile(raw.data), save=False)
        saved_files.append(attachment.file.name)
        attachment.save()
    if problems != message.problems:
        message.problems = problems
        message.save(update_fields=["problems"])


def _reason(reason: str) -> str:
    return reason.format(mb=settings.RESUME_MAX_BYTES // 1_048_576)


def _display_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable()).strip()[:150] or "attachment"


def tell_the_team(message: Message, *, besides=None) -> list[OutboxEmail]:
    """Email the posting's hiring team, and whoever wrote to the candidate last, that the
    candidate replied; in the caller's transaction, like a note's mentions."""
    application = message.application
    people = {
        user.pk: user
        for user in application.posting.hiring_team.filter(is_active=True).exclude(email="")
    }
    last_out = (
        Message.objects.filter(application=application, direction=Message.Direction.OUTGOING)
        .exclude(author=None)
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    if last_out and last_out.author.is_active and last_out.author.email:
        people.setdefault(last_out.author.pk, last_out.author)
    if besides is not None:
        people.pop(besides.pk, None)
    excerpt = message.body_text[:EXCERPT_CHARS]
    if len(message.body_text) > EXCERPT_CHARS:
        excerpt += " …"
    queued = []
    for user in people.values():
        email = queue_email(
            key=f"message:{message.pk}:replied:user:{user.pk}",
            kind=OutboxEmail.Kind.CANDIDATE_REPLIED,
            to=user.email,
            template="candidate_replied",
            context={
                "message": message,
                "excerpt": excerpt,
                "user": user,
                "application": application,
                "candidate": application.candidate,
                "posting": application.posting,
                "dashboard_url": settings.SITE_URL + application.get_dashboard_url(),
            },
            # Erasing the applicant erases these emails with the application's others.
            application=application,
        )
        if email:
            queued.append(email)
    return queued


class CannotAssign(Exception):
    pass


def assign(*, message: Message, application: Application, by) -> Message:
    """Put an Inbox message on an application's timeline, and tell its hiring team."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.application_id is not None or message.discarded_at is not None:
            raise CannotAssign("Someone has dealt with this message already.")
        application = Application.objects.select_related("candidate", "posting").get(
            pk=application.pk
        )
        if application.erased_at:
            raise CannotAssign("This applicant erased their data.")
        message.application = application
        message.sender_mismatch = _mismatch(_address_of(message.from_address), application)
        message.handled_by = by
        message.handled_at = timezone.now()
        message.save(update_fields=["application", "sender_mismatch", "handled_by", "handled_at"])
        tell_the_team(message, besides=by)
    transaction.on_commit(lambda: cache.delete(INBOX_COUNT_KEY))
    return message


def discard(*, message: Message, by) -> Message:
    """Drop an Inbox message: its words and files go, its Message-ID stays so that the same
    mail fetched again is recognised and not stored a second time."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.application_id is not None or message.discarded_at is not None:
            raise CannotAssign("Someone has dealt with this message already.")
        files = [attachment.file.name for attachment in message.attachments.all()]
        message.attachments.all().delete()
        Message.objects.filter(pk=message.pk).update(
            from_address="",
            to_address="",
            subject="",
            body_text="",
            body_full="",
            body_html="",
            in_reply_to="",
            references="",
            problems=[],
            handled_by=by,
            handled_at=timezone.now(),
            discarded_at=timezone.now(),
        )
        transaction.on_commit(lambda: delete_files(files))
    transaction.on_commit(lambda: cache.delete(INBOX_COUNT_KEY))
    return message


def _address_of(from_address: str) -> str:
    """The address part of a stored "Name <address>"."""
    if from_address.endswith(">") and "<" in from_address:
        return from_address.rsplit("<", 1)[1][:-1]
    return from_address


def inbox_count() -> int:
    """How many messages wait in the Inbox; cached, since every recruiter's page shows it."""
    count = cache.get(INBOX_COUNT_KEY)
    if count is None:
        count = Message.objects.inbox().count()
        cache.set(INBOX_COUNT_KEY, count, 60)
    return count


def search_applications(user, query: str, *, limit: int = 20):
    """Applications in the user's scope whose name or address holds `query`."""
    query = query.strip()
    if len(query) < 2:
        return Application.objects.none()
    return (
        Application.objects.for_user(user)
        .filter(erased_at__isnull=True)
        .filter(Q(name__icontains=query) | Q(candidate__email__icontains=query))
        .select_related("candidate", "posting", "stage")
        .order_by("-submitted_at")[:limit]
    )
