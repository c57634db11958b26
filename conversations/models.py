"""The conversation with a candidate: emails the team writes and the replies that come back.

An outgoing message is delivered by the outbox (its OutboxEmail row holds the delivery
status); an incoming one is read from the IMAP mailbox. Each application has one reply
address, `<local>+<token>@<domain>`, whose token is its own: knowing it lets a mail server
deliver to the thread, nothing more, so it is never the status page's token.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from applications.models import Application


def new_reply_token() -> str:
    # Lower-case letters and digits only: mail systems may fold the case of a local part.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


class Thread(models.Model):
    """One application's conversation address."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="conversation_thread"
    )
    reply_token = models.CharField(max_length=32, unique=True, default=new_reply_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Conversation on {self.application}"


def attachment_upload_to(instance, filename):
    """Server-generated names in the private storage that holds resumes."""
    return f"replies/{secrets.token_hex(16)}/{filename}"


class MessageQuerySet(models.QuerySet):
    def for_application(self, application):
        return self.filter(application=application).order_by("created_at", "id")

    def unassigned(self):
        """Incoming mail no application claimed: the recruiters' Inbox."""
        return self.filter(direction=Message.Direction.INCOMING, application__isnull=True)

    def inbox(self):
        """The Inbox recruiters work through: unassigned mail not yet discarded."""
        return self.unassigned().filter(discarded_at__isnull=True)


class Message(models.Model):
    class Direction(models.TextChoices):
        OUTGOING = "out", "Sent to the candidate"
        INCOMING = "in", "Received"

    SUBJECT_MAX = 300
    BODY_MAX = 50_000

    # Null only for incoming mail that matched no application (the Inbox).
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # Who wrote an outgoing message; a message outlives its author's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate_messages",
    )
    # An outgoing message's delivery (status, scheduled time, errors) is its outbox row's.
    outbox = models.OneToOneField(
        "notifications.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_message",
    )
    from_address = models.CharField(max_length=320, blank=True)
    to_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=SUBJECT_MAX, blank=True)
    body_text = models.TextField(blank=True)
    # Incoming HTML, only ever stored after the sanitiser; outgoing HTML is the outbox's.
    body_html = models.TextField(blank=True)
    # The RFC 5322 Message-ID, angle brackets included. Unique, so a reply fetched twice (a
    # task run twice, or one that died before marking it read) is stored once.
    message_id = models.CharField(max_length=998, unique=True, null=True, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    # An incoming reply whose From is not the candidate's address: shown with a warning.
    sender_mismatch = models.BooleanField(default=False)
    # An incoming reply's whole text, its quoted history included (body_text is trimmed).
    body_full = models.TextField(blank=True)
    # What the fetcher could not take in, for people to read: the message was oversized or
    # malformed, or an attachment was not kept (and why).
    problems = models.JSONField(default=list, blank=True)
    # Who assigned an Inbox message to an application, or discarded it, and when. A
    # discarded message keeps only its Message-ID, so that it is never stored again.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="message_timeline_idx"),
            models.Index(
                fields=["-created_at"],
                condition=Q(application__isnull=True),
                name="message_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["out", "in"]), name="message_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction="in") | Q(application__isnull=False),
                name="message_outgoing_has_application",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.subject}"

    @property
    def is_incoming(self) -> bool:
        return self.direction == self.Direction.INCOMING


class Attachment(models.Model):
    """A file that came with a reply, checked like a resume and kept in private storage."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self):
        return self.original_name


# Recruiters' wording: a subject fits a header line, a body an email, and a 1 MB paste is
# refused by the form and, failing that, by the database.
WORDING_SUBJECT_MAX = 200
WORDING_BODY_MAX = 10_000


class Wording(models.Model):
    """A subject and body that recruiters write, and who last changed them: the fields the
    candidate emails' wording and the message templates share."""

    SUBJECT_MAX = WORDING_SUBJECT_MAX
    BODY_MAX = WORDING_BODY_MAX

    subject = models.CharField(max_length=SUBJECT_MAX)
    body = models.TextField(max_length=BODY_MAX)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class EmailTemplate(Wording):
    """A recruiter's wording of one candidate email (conversations.email_templates.EMAILS),
    for every posting (posting null) or for one. Only changes are stored: without a row, the
    email uses the global wording, and without that, the default in code."""

    # A key of EMAILS. Not a choices list: a kind retired from the code leaves a row that
    # nothing reads, which is harmless, rather than a migration for every change of wording.
    kind = models.CharField(max_length=50)
    posting = models.ForeignKey(
        "postings.Posting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_templates",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(posting__isnull=True),
                name="email_template_one_global_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "posting"], name="email_template_one_per_kind_and_posting"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("subject"), WORDING_SUBJECT_MAX)
                & LessThanOrEqual(Length("body"), WORDING_BODY_MAX),
                name="email_template_lengths",
            ),
            models.CheckConstraint(
                condition=~Q(subject="") & ~Q(body=""), name="email_template_not_empty"
            ),
        ]

    def __str__(self):
        where = f" for {self.posting}" if self.posting_id else ""
        return f"{self.kind}{where}"


class MessageTemplate(Wording):
    """Saved wording to start a hand-written email from ("Follow-up after interview"), for
    every posting or one; the same placeholders as the candidate emails' base set."""

    NAME_MAX = 100

    name = models.CharField(max_length=NAME_MAX)
    posting = models.ForeignKey(
        "postings.Posting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(posting__isnull=True),
                name="message_template_global_name_unique",
                violation_error_message="A message template for every posting has this name.",
            ),
            models.UniqueConstraint(
                fields=["name", "posting"],
                name="message_template_posting_name_unique",
                violation_error_message="This posting has a message template of this name.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("subject"), WORDING_SUBJECT_MAX)
                & LessThanOrEqual(Length("body"), WORDING_BODY_MAX),
                name="message_template_lengths",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(subject="") & ~Q(body=""),
                name="message_template_not_empty",
            ),
        ]

    def __str__(self):
        return self.name
