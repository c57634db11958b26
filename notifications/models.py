from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=OutboxEmail.Status.PENDING, send_after__lte=now or timezone.now())

    def stale_claims(self, older_than):
        return self.filter(status=OutboxEmail.Status.SENDING, claimed_at__lt=older_than)

    def for_application(self, application):
        """An application's email history, oldest first, as recruiters read it."""
        return self.filter(application=application).order_by("created_at", "id")


class OutboxEmail(models.Model):
    """One email, written in the same transaction as the change that causes it.

    `key` names the event ("application:12:received"), so one event can never make two
    emails; a worker claims the row before sending, so two workers never send it twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        APPLICATION_RECEIVED = "application_received", "Application received"
        NEW_APPLICATION = "new_application", "New application alert"
        DIGEST = "digest", "Daily digest"
        STAGE_CHANGED = "stage_changed", "Stage changed"
        REJECTION = "rejection", "Rejection"
        WITHDRAWAL = "withdrawal", "Withdrawal confirmation"
        ERASURE = "erasure", "Erasure confirmation"
        STATUS_LINK = "status_link", "Status link"
        MANAGE_LINK = "manage_link", "Link to all applications"
        MENTION = "mention", "Mention in a note"
        PASSWORD_RESET = "password_reset", "Password reset link"
        INTERVIEW_INVITE = "interview_invite", "Interview invitation"
        INTERVIEW_CANCELLED = "interview_cancelled", "Interview cancelled"
        INTERVIEW_SLOTS = "interview_slots", "Interview times to pick from"
        INTERVIEW_REMINDER = "interview_reminder", "Interview reminder"
        SCORECARD_DUE = "scorecard_due", "Scorecard reminder"
        OFFER_APPROVAL = "offer_approval", "Offer waiting for approval"
        OFFER_DECIDED = "offer_decided", "Offer approved or rejected"
        OFFER_SENT = "offer_sent", "Offer sent"
        OFFER_WITHDRAWN = "offer_withdrawn", "Offer withdrawn"
        OFFER_ANSWERED = "offer_answered", "Offer accepted or declined"
        CANDIDATE_MESSAGE = "candidate_message", "Message from the team"
        CANDIDATE_REPLIED = "candidate_replied", "Candidate replied"
        FAIRNESS_FLAGS = "fairness_flags", "New adverse-impact flags"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to = models.EmailField(max_length=254)
    # Where the recipient's reply goes (a candidate's conversation address), if not From.
    reply_to = models.EmailField(max_length=254, blank=True)
    # The Message-ID the email is sent with, fixed when it is queued so that a reply's
    # In-Reply-To can be matched back to it; empty on rows older than the field.
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # One text attachment (an iCalendar invitation); its MIME type may carry parameters,
    # e.g. "text/calendar; method=REQUEST".
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_text = models.TextField(blank=True)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "send_after"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="outbox_sending_is_claimed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to} ({self.status})"
