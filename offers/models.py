"""Offers: the terms made to one application, the chain of people who approve them, the
letter sent as a PDF, and the candidate's answer, with an audit trail of every step.

A revision is a new Offer (the next version) and the one before it is void: what a candidate
was sent, and what they answered, is never rewritten.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from postings.models import SalaryPeriod
from postings.money import format_amount


def letter_upload_to(instance, filename: str) -> str:
    """Server-generated names in the private storage that holds resumes."""
    return f"offers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OfferQuerySet(models.QuerySet):
    def for_user(self, user):
        """Offers on applications this staff user may see. Interviewers see none: their
        scope (Posting.objects.for_user) holds no posting."""
        return self.filter(application__in=Application.objects.for_user(user).values("pk"))


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        VOID = "void", "Replaced by a revision"

    # Terms may change, and the chain restarts, until the offer goes out.
    EDITABLE = (Status.DRAFT, Status.PENDING, Status.APPROVED)
    # One offer per application is in play at a time; the others are history.
    LIVE = (Status.DRAFT, Status.PENDING, Status.APPROVED, Status.SENT, Status.ACCEPTED)
    # The terms a change is recorded for, and that restart approvals.
    TERMS = (
        "job_title",
        "base_salary",
        "salary_period",
        "equity",
        "bonus",
        "start_date",
        "location",
        "expires_on",
        "letter",
        "justification",
    )

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    job_title = models.CharField(max_length=200)
    # Whole units of the posting's currency, copied when drafted so the offer keeps its
    # meaning if the posting's currency is changed later.
    base_salary = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    salary_period = models.CharField(
        max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    equity = models.CharField(max_length=300, blank=True)
    bonus = models.CharField(max_length=300, blank=True)
    start_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    expires_on = models.DateField(help_text="The last day the candidate may accept.")
    letter = models.TextField(max_length=20_000)
    # Why a salary outside the posting's published range; approvers read it. The posting's
    # range is never changed by an offer.
    justification = models.TextField(max_length=5000, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to=letter_upload_to, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_name = models.CharField(max_length=200, blank=True)
    accepted_ip = models.GenericIPAddressField(null=True, blank=True)
    accepted_letter_sha256 = models.CharField(max_length=64, blank=True)
    decline_reason = models.TextField(max_length=2000, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["application", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="offer_version_unique"),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "pending", "approved", "sent", "accepted"]),
                name="offer_one_live_per_application",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "pending",
                        "approved",
                        "sent",
                        "accepted",
                        "declined",
                        "withdrawn",
                        "void",
                    ]
                ),
                name="offer_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="offer_version_positive"),
            models.CheckConstraint(condition=Q(base_salary__gt=0), name="offer_salary_positive"),
            models.CheckConstraint(
                condition=Q(salary_period__in=SalaryPeriod.values), name="offer_period_valid"
            ),
            # What was sent has its PDF and the PDF's hash.
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "accepted", "declined"])
                | (Q(sent_at__isnull=False) & ~Q(pdf="") & ~Q(pdf_sha256="")),
                name="offer_sent_has_letter",
            ),
            # An acceptance is a typed name, a time and the letter's hash, or nothing.
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | (
                    Q(answered_at__isnull=False)
                    & ~Q(accepted_name="")
                    & ~Q(accepted_letter_sha256="")
                ),
                name="offer_acceptance_recorded",
            ),
        ]

    def __str__(self):
        return f"Offer v{self.version} to {self.application}"

    @property
    def is_expired(self) -> bool:
        """Sent, unanswered, and past its last day (in the server's time zone)."""
        return self.status == self.Status.SENT and self.expires_on < timezone.localdate()

    @property
    def state_label(self) -> str:
        return "Expired" if self.is_expired else self.get_status_display()

    @property
    def badge_tone(self) -> str:
        if self.is_expired:
            return "secondary"
        return {
            self.Status.PENDING: "warning",
            self.Status.APPROVED: "info",
            self.Status.SENT: "primary",
            self.Status.ACCEPTED: "success",
            self.Status.DECLINED: "danger",
        }.get(self.status, "secondary")

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def restarts_on_change(self) -> bool:
        """Saving new terms now sends the offer back to its first approver."""
        return self.status in (self.Status.PENDING, self.Status.APPROVED)

    @property
    def has_staff_actions(self) -> bool:
        return self.is_editable or self.can_send or self.can_revise or self.can_withdraw

    @property
    def can_submit(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_send(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def can_withdraw(self) -> bool:
        return self.status in (*self.EDITABLE, self.Status.SENT)

    @property
    def can_revise(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.DECLINED)

    @property
    def can_answer(self) -> bool:
        return self.status == self.Status.SENT and not self.is_expired

    @property
    def salary_display(self) -> str:
        amount = format_amount(self.base_salary, self.currency)
        code = "" if self.currency in amount else f" {self.currency}"
        return f"{amount}{code} {self.get_salary_period_display()}"

    def current_approver(self):
        """The approver whose decision the chain waits for, or None."""
        if self.status != self.Status.PENDING:
            return None
        return next((a for a in self.approvers.all() if a.decision == a.Decision.PENDING), None)


class OfferApprover(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="approvers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offer", "position"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "position"], name="offer_approver_position"),
            models.UniqueConstraint(fields=["offer", "user"], name="offer_approver_once"),
            models.CheckConstraint(
                condition=Q(decision__in=["pending", "approved", "rejected"]),
                name="offer_approver_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False)),
                name="offer_approver_decided_when",
            ),
        ]

    def __str__(self):
        return f"{self.user} #{self.position} on {self.offer}"

    @property
    def badge_tone(self) -> str:
        return {self.Decision.APPROVED: "success", self.Decision.REJECTED: "danger"}.get(
            self.decision, "secondary"
        )


class OfferEvent(models.Model):
    """The audit trail: who did what to an offer, when, and which terms changed."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", "Drafted"
        UPDATED = "updated", "Terms changed"
        SUBMITTED = "submitted", "Sent for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RESTARTED = "restarted", "Approvals restarted"
        SENT = "sent", "Sent to the candidate"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REVISED = "revised", "Replaced by a revision"
        ACCEPTED = "accepted", "Accepted by the candidate"
        DECLINED = "declined", "Declined by the candidate"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    # {term: [before, after]} for changes; what else the step carried (a comment, a reason).
    changes = models.JSONField(default=dict, blank=True)
    comment = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["offer", "at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.offer})"

    OTHER_LABELS = {
        "pdf_sha256": "letter SHA-256",
        "letter_sha256": "letter SHA-256",
        "from_version": "from version",
    }

    @property
    def change_rows(self) -> list[tuple[str, str]]:
        """(what, how) lines for the trail: a term by its label, a change as before → after."""
        rows = []
        for key, value in self.changes.items():
            if key in Offer.TERMS:
                label = str(Offer._meta.get_field(key).verbose_name)
            else:
                label = self.OTHER_LABELS.get(key, key.replace("_", " "))
            if isinstance(value, list) and len(value) == 2:
                text = f"{_short(value[0])} → {_short(value[1])}"
            else:
                text = _short(value)
            rows.append((label, text))
        return rows


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


class LetterTemplate(models.Model):
    """A posting's own offer letter wording; without one, offers start from DEFAULT_LETTER
    (offers.letter). Placeholders only: see offers.letter.PLACEHOLDERS."""

    posting = models.OneToOneField(
        "postings.Posting", on_delete=models.CASCADE, related_name="offer_letter"
    )
    body = models.TextField(max_length=20_000)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Offer letter of {self.posting}"
