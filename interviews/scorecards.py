"""Writing scorecards: drafts saved as the interviewer types, a submission that locks them, a
short window in which the author may still correct it, and after that only amendments that
say why and record what changed. Also the reminders for scorecards left unwritten.

Every write locks the interview's row for the interviewer's scorecard, re-reads it, checks the
rules below and acts; a rule broken is a ScorecardRefused with a message for the person.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    AttributeRating,
    Interview,
    InterviewerSeat,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
)
from notifications.models import OutboxEmail
from notifications.services import queue_email

NOT_ASSESSED = "Not assessed"


class ScorecardRefused(Exception):
    """A scorecard write the rules do not allow; str() is the message to show."""


@dataclass
class Feedback:
    """What an interviewer writes: ratings are {attribute id: 1-4, or None for not assessed}."""

    recommendation: str = ""
    key_points: str = ""
    concerns: str = ""
    ratings: dict[int, int | None] = field(default_factory=dict)


def edit_window() -> timedelta:
    return timedelta(minutes=settings.ATS_SCORECARD_EDIT_MINUTES)


def in_edit_window(scorecard: Scorecard, *, now=None) -> bool:
    """A submitted scorecard its author may still change without an amendment."""
    if not scorecard.is_submitted:
        return False
    return (now or timezone.now()) < scorecard.submitted_at + edit_window()


def feedback_refusal(interview: Interview, *, now=None) -> str:
    """Why `interview` takes no feedback now, or "" when it does."""
    if interview.status == Interview.Status.CANCELLED:
        return "This interview was cancelled, so it takes no feedback."
    if interview.starts_at is None:
        return "This interview has no time yet; feedback opens when it starts."
    if interview.starts_at > (now or timezone.now()):
        local = timezone.localtime(interview.starts_at)
        when = f"{local:%b} {local.day} at {local:%H:%M}"
        return f"Feedback opens when the interview starts, on {when}."
    return ""


def _check(feedback: Feedback, *, interview: Interview, complete: bool) -> None:
    if feedback.recommendation and feedback.recommendation not in Recommendation.values:
        raise ScorecardRefused("Choose one of the recommendations offered.")
    if complete and not feedback.recommendation:
        raise ScorecardRefused("Choose an overall recommendation before submitting.")
    for text in (feedback.key_points, feedback.concerns):
        if len(text) > Scorecard.NOTES_MAX:
            raise ScorecardRefused(f"Keep each section under {Scorecard.NOTES_MAX:,} characters.")
    known = {attribute.pk for attribute in interview.step.attributes.all()}
    for attribute_id, value in feedback.ratings.items():
        if attribute_id not in known:
            raise ScorecardRefused("Rate only the attributes this interview assesses.")
        if value is not None and value not in Rating.values:
            raise ScorecardRefused("Rate each attribute from 1 (strong no) to 4 (strong yes).")


def _locked_scorecard(*, interview: Interview, interviewer) -> Scorecard:
    """The interviewer's scorecard of `interview`, created as a draft on first write and
    locked; refused unless they hold a seat and the interview takes feedback."""
    interview = Interview.objects.select_for_update().select_related("step").get(pk=interview.pk)
    if not InterviewerSeat.objects.filter(interview=interview, user=interviewer).exists():
        raise ScorecardRefused("Only the interviewers of this interview write its scorecard.")
    refusal = feedback_refusal(interview)
    if refusal:
        raise ScorecardRefused(refusal)
    scorecard, _ = Scorecard.objects.get_or_create(interview=interview, interviewer=interviewer)
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    scorecard.interview = interview
    return scorecard


def _write(scorecard: Scorecard, feedback: Feedback, now) -> None:
    scorecard.recommendation = feedback.recommendation
    scorecard.key_points = feedback.key_points.strip()
    scorecard.concerns = feedback.concerns.strip()
    scorecard.updated_at = now
    scorecard.save()
    attributes = list(scorecard.interview.step.attributes.all())
    AttributeRating.objects.filter(scorecard=scorecard).delete()
    AttributeRating.objects.bulk_create(
        AttributeRating(scorecard=scorecard, attribute=a, value=feedback.ratings.get(a.pk))
        for a in attributes
    )


def save_draft(*, interview: Interview, interviewer, feedback: Feedback) -> Scorecard:
    """Autosave: store what is written so far; nothing is required yet."""
    with transaction.atomic():
        scorecard = _locked_scorecard(interview=interview, interviewer=interviewer)
        if scorecard.is_submitted:
            raise ScorecardRefused(
                "This scorecard is already submitted; save your changes as an edit."
            )
        _check(feedback, interview=scorecard.interview, complete=False)
        _write(scorecard, feedback, timezone.now())
    return scorecard


def submit(*, interview: Interview, interviewer, feedback: Feedback) -> Scorecard:
    """Submit the scorecard: a recommendation is required; it is locked from now on, apart
    from the author's edit window."""
    with transaction.atomic():
        scorecard = _locked_scorecard(interview=interview, interviewer=interviewer)
        if scorecard.is_submitted:
            raise ScorecardRefused("This scorecard is already submitted.")
        _check(feedback, interview=scorecard.interview, complete=True)
        now = timezone.now()
        scorecard.status = Scorecard.Status.SUBMITTED
        scorecard.submitted_at = now
        _write(scorecard, feedback, now)
    return scorecard


def _submitted_by_author(scorecard: Scorecard, by) -> Scorecard:
    locked = (
        Scorecard.objects.select_for_update().select_related("interview__step").get(pk=scorecard.pk)
    )
    if locked.interviewer_id != by.pk:
        raise ScorecardRefused("Only its author may change a scorecard.")
    if not locked.is_submitted:
        raise ScorecardRefused("This scorecard is a draft: save or submit it instead.")
    return locked


def edit(*, scorecard: Scorecard, by, feedback: Feedback) -> Scorecard:
    """Change a submitted scorecard, by its author, within the edit window."""
    with transaction.atomic():
        scorecard = _submitted_by_author(scorecard, by)
        if not in_edit_window(scorecard):
            raise ScorecardRefused(
                "The time to edit this scorecard has passed: amend it, saying why."
            )
        _check(feedback, interview=scorecard.interview, complete=True)
        _write(scorecard, feedback, timezone.now())
    return scorecard


def _as_seen(scorecard: Scorecard) -> dict[str, str]:
    """The scorecard's content in words, one entry per thing an amendment can change."""
    shown = {
        "Recommendation": scorecard.get_recommendation_display(),
        "Key points": scorecard.key_points,
        "Concerns": scorecard.concerns,
    }
    values = {r.attribute_id: r.value for r in scorecard.ratings.all()}
    for attribute in scorecard.interview.step.attributes.all():
        value = values.get(attribute.pk)
        shown[f"Rating: {attribute.name}"] = Rating(value).label if value else NOT_ASSESSED
    return shown


def amend(*, scorecard: Scorecard, by, feedback: Feedback, reason: str) -> ScorecardAmendment:
    """After the edit window: change a submitted scorecard, with a written reason, keeping
    {"what": [before, after]} of each change."""
    reason = reason.strip()
    if not reason:
        raise ScorecardRefused("Say why you are amending this scorecard.")
    if len(reason) > ScorecardAmendment.REASON_MAX:
        raise ScorecardRefused(
            f"Keep the reason under {ScorecardAmendment.REASON_MAX:,} characters."
        )
    with transaction.atomic():
        scorecard = _submitted_by_author(scorecard, by)
        if in_edit_window(scorecard):
            raise ScorecardRefused("You can still edit this scorecard; no amendment is needed.")
        _check(feedback, interview=scorecard.interview, complete=True)
        before = _as_seen(scorecard)
        _write(scorecard, feedback, timezone.now())
        after = _as_seen(Scorecard.objects.get(pk=scorecard.pk))
        changes = {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}
        if not changes:
            raise ScorecardRefused("Nothing changed, so there is nothing to amend.")
        return ScorecardAmendment.objects.create(
            scorecard=scorecard, author=by, reason=reason, changes=changes
        )


# Reminders for scorecards left unwritten.


def reminder_key(seat_pk: int) -> str:
    return f"scorecard-due:seat:{seat_pk}"


def overdue_seats(*, now=None):
    """Seats of held interviews that ended more than ATS_SCORECARD_REMINDER_HOURS ago with no
    submitted scorecard from their interviewer and no reminder yet."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ATS_SCORECARD_REMINDER_HOURS)
    submitted = Scorecard.objects.submitted().filter(
        interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id")
    )
    reminded = OutboxEmail.objects.filter(
        key=Concat(Value("scorecard-due:seat:"), Cast(OuterRef("pk"), CharField()))
    )
    return (
        InterviewerSeat.objects.filter(
            interview__status=Interview.Status.SCHEDULED,
            interview__ends_at__lte=cutoff,
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(Exists(submitted))
        .exclude(Exists(reminded))
        .select_related(
            "user__profile",
            "interview__step",
            "interview__application__posting",
        )
        .order_by("pk")
    )


def queue_scorecard_reminders(*, now=None) -> int:
    """Email each interviewer whose scorecard is overdue, once per seat (the outbox key)."""
    queued = 0
    for seat in overdue_seats(now=now).iterator(chunk_size=200):
        with transaction.atomic():
            if _queue_reminder(seat):
                queued += 1
    return queued


def _queue_reminder(seat: InterviewerSeat):
    interview, user = seat.interview, seat.user
    application = interview.application
    profile = getattr(user, "profile", None)
    # The email's times read in the interviewer's own zone, as their dashboard shows them.
    with timezone.override(profile.zone if profile else None):
        return queue_email(
            key=reminder_key(seat.pk),
            kind=OutboxEmail.Kind.SCORECARD_DUE,
            to=user.email,
            template="scorecard_due",
            context={
                "user": user,
                "interview": interview,
                "step": interview.step,
                "application": application,
                "posting": application.posting,
                "ended_at": interview.ends_at,
                "scorecard_url": settings.SITE_URL
                + reverse("dashboard:scorecard", args=[interview.pk]),
            },
            # Tied to the application, so erasing the applicant erases the email too.
            application=application,
        )
