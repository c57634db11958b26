"""Structured interviewing: each posting's plan, the interviews scheduled from it, the
interviewers' scorecards and the hiring manager's decision.

Times are stored in UTC and shown in each viewer's time zone (a staff profile's, or the one an
applicant picks on their status page).
"""

import calendar
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import validate_time_zone
from applications.models import Application, RejectionReason, Stage


class InterviewKind(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    ONSITE = "onsite", "On-site"


class InterviewStep(models.Model):
    """One interview of a posting's plan, held while an application is in `stage`."""

    NAME_MAX = 80
    GUIDANCE_MAX = 5000
    MIN_MINUTES, MAX_MINUTES = 10, 480

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="interview_steps")
    name = models.CharField(max_length=NAME_MAX)
    kind = models.CharField(max_length=10, choices=InterviewKind.choices, default="video")
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    guidance = models.TextField(
        max_length=GUIDANCE_MAX, blank=True, help_text="What interviewers should look for."
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Who may be asked to run this step; scheduling picks interviewers from here.
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interview_pool", blank=True
    )

    class Meta:
        ordering = ["stage__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "stage", name="interview_step_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10) & Q(duration_minutes__lte=480),
                name="interview_step_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["video", "phone", "onsite"]), name="interview_step_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Attribute(models.Model):
    """A quality a step assesses ("System design"); each scorecard rates it."""

    NAME_MAX = 80

    step = models.ForeignKey(InterviewStep, on_delete=models.CASCADE, related_name="attributes")
    name = models.CharField(max_length=NAME_MAX)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "step", name="attribute_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


class WorkingHours(models.Model):
    """When an interviewer can be booked, in their own time zone; slots are offered inside."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(calendar.day_name)))
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="hours_ordered"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_valid"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


def new_uid() -> str:
    return uuid.uuid4().hex


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user):
        """Interviews this staff user may see: those of the applications in their scope, and
        for an interviewer, the ones they sit on."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        in_scope = Q(application__in=Application.objects.for_user(user).values("pk"))
        return self.filter(in_scope | Q(seats__user=user)).distinct()

    def live(self):
        """Not cancelled: offered to the candidate, scheduled, or held (no-shows included)."""
        return self.exclude(status=Interview.Status.CANCELLED)


class Interview(models.Model):
    """One step of the plan, for one application: offered slots, then a time, then feedback."""

    class Status(models.TextChoices):
        # Slots offered; waiting for the candidate to pick one on their status page.
        AWAITING_CANDIDATE = "awaiting", "Waiting for the candidate to pick a time"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Candidate did not show up"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    step = models.ForeignKey(InterviewStep, on_delete=models.PROTECT, related_name="interviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    # iCalendar: the UID stays the same for the life of the interview and SEQUENCE grows on
    # each change, so calendars update their event instead of adding another.
    uid = models.CharField(max_length=64, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    candidate_time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone]
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="interview_due_idx"),
            models.Index(fields=["application", "starts_at"], name="interview_application_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["awaiting", "scheduled", "cancelled", "no_show"]),
                name="interview_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="interview_times_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "no_show"]) | Q(starts_at__isnull=False),
                name="interview_scheduled_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.step} with {self.application.display_name}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_over(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    @property
    def state_label(self) -> str:
        """The status as staff read it: a scheduled interview whose hour has passed was held."""
        if self.is_scheduled and self.is_over:
            return "Held"
        return self.get_status_display()

    @property
    def badge_tone(self) -> str:
        """The Bootstrap colour of the interview's badge on staff pages."""
        if self.is_scheduled:
            return "success" if self.is_over else "primary"
        return "info" if self.is_awaiting_candidate else "secondary"

    @property
    def is_awaiting_candidate(self) -> bool:
        return self.status == self.Status.AWAITING_CANDIDATE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def change_deadline(self):
        """Until when the candidate may move or cancel a scheduled interview themselves."""
        if self.starts_at is None:
            return None
        return self.starts_at - timedelta(hours=settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS)

    @property
    def candidate_can_change(self) -> bool:
        """The candidate may pick (another) offered time or cancel: any time while the
        interview waits for them, and until the cut-off before a scheduled one."""
        if self.status == self.Status.AWAITING_CANDIDATE:
            return True
        return self.is_scheduled and timezone.now() < self.change_deadline

    # What the team may do, for the interview page; the services enforce the same.
    @property
    def can_reschedule(self) -> bool:
        return self.is_scheduled

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.AWAITING_CANDIDATE)

    @property
    def can_mark_no_show(self) -> bool:
        return self.is_scheduled and self.has_started

    @property
    def has_invite(self) -> bool:
        """Whether there is an .ics to download: the interview has (or had) a time."""
        return self.starts_at is not None


class InterviewerSeat(models.Model):
    """An interviewer on an interview. The interview's times are copied here, so that the
    database itself can refuse to book one person twice: on PostgreSQL an exclusion
    constraint over (user, [starts_at, ends_at)) for active seats, added in migration 0001
    and not declared in Meta because SQLite cannot hold it; services check the same rule."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_seats"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    # False while the interview waits for the candidate, and once it is cancelled.
    active = models.BooleanField(default=False)
    # The event this seat wrote into the interviewer's CalDAV calendar, to update or delete.
    calendar_event_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "user"], name="seat_once_per_interview"),
            models.CheckConstraint(
                condition=Q(active=False)
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="seat_active_has_time",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_at"], name="seat_calendar_idx")]

    def __str__(self):
        return f"{self.user} on {self.interview_id}"


class OfferedSlot(models.Model):
    """A time the candidate may pick for an interview awaiting them."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "starts_at"], name="slot_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


class Rating(models.IntegerChoices):
    STRONG_NO = 1, "Strong no"
    NO = 2, "No"
    YES = 3, "Yes"
    STRONG_YES = 4, "Strong yes"


class ScorecardQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Scorecard.Status.SUBMITTED)


class Scorecard(models.Model):
    """One interviewer's feedback on one interview."""

    NOTES_MAX = 10_000

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecards"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    key_points = models.TextField(max_length=NOTES_MAX, blank=True)
    concerns = models.TextField(max_length=NOTES_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_once_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(status="submitted", submitted_at__isnull=False) & ~Q(recommendation="")),
                name="scorecard_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=["", "strong_no", "no", "yes", "strong_yes"]),
                name="scorecard_recommendation_valid",
            ),
        ]

    def __str__(self):
        return f"Scorecard by {self.interviewer} on interview {self.interview_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AttributeRating(models.Model):
    """A scorecard's rating of one attribute; no row, or a null value, is "not assessed"."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    # PROTECT: an attribute somebody rated stays, so the feedback given keeps its meaning.
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "attribute"], name="rating_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=4),
                name="rating_value_valid",
            ),
        ]

    def __str__(self):
        return f"{self.attribute}: {self.get_value_display() or 'not assessed'}"


class ScorecardAmendment(models.Model):
    """A change to a submitted scorecard after its edit window: who, when, why, and what."""

    REASON_MAX = 2000

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(max_length=REASON_MAX)
    # {"field": [before, after], ...}, as the author saw them.
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
        ]

    def __str__(self):
        return f"Amendment of scorecard {self.scorecard_id} by {self.author}"


class Decision(models.Model):
    """The hiring manager's call after the interviews, and the move it made."""

    class Outcome(models.TextChoices):
        ADVANCE = "advance", "Advance"
        REJECT = "reject", "Reject"
        HOLD = "hold", "Hold"

    NOTE_MAX = 5000

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interview_decisions"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    to_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["advance", "reject", "hold"]),
                name="decision_outcome_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.application_id}"


class CalendarConnection(models.Model):
    """An interviewer's CalDAV calendar: read for busy times, written with their interviews.
    The password is stored encrypted (interviews.crypto, with ATS_CALENDAR_KEY)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connection"
    )
    url = models.URLField(max_length=500, help_text="The CalDAV address of your calendar.")
    username = models.CharField(max_length=200)
    password_encrypted = models.TextField()
    calendar_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return f"Calendar of {self.user}"
