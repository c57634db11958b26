"""Writes of interviews: scheduling, offering times, the candidate's booking, rescheduling,
cancelling, no-shows and reminders.

Each locks the rows it changes, re-reads them, acts, queues its emails in the same transaction,
and tells others (interviewers' calendars) through `interview_changed` once it commits.

Nobody sits on two interviews at once: the service checks it (availability.conflicts), and on
PostgreSQL the exclusion constraint `seat_no_double_booking` holds it even between two requests
that both passed the check; its refusal becomes the same ValidationError, naming who is busy.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import is_time_zone
from applications import pipeline
from applications.pipeline import OPEN_KINDS
from interviews import availability
from interviews import emails as interview_emails
from interviews.models import (
    Decision,
    Interview,
    InterviewerSeat,
    OfferedSlot,
    Scorecard,
    ScorecardAmendment,
)
from interviews.signals import interview_changed

SCHEDULED, RESCHEDULED, CANCELLED = "scheduled", "rescheduled", "cancelled"
EXCLUSION = "seat_no_double_booking"
MAX_OFFERED_SLOTS = 20

JUST_TAKEN = "That time was just taken. Please pick another."


def _announce(interview: Interview, action: str) -> None:
    pk = interview.pk
    transaction.on_commit(
        lambda: interview_changed.send(sender=Interview, interview_id=pk, action=action)
    )


def _names(users) -> str:
    return ", ".join(u.get_full_name() or u.username for u in users)


def _busy_error(users) -> ValidationError:
    if users:
        verb = "is" if len(users) == 1 else "are"
        return ValidationError(f"{_names(users)} {verb} already booked at that time.")
    return ValidationError("An interviewer is already booked at that time.")


def _check_open(application) -> None:
    if application.erased_at is not None or application.stage.kind not in pipeline.OPEN_KINDS:
        raise ValidationError("Only an open application can have interviews scheduled.")


def _check_step(application, step) -> None:
    if step.stage.posting_id != application.posting_id:
        raise ValidationError("That interview step belongs to another posting.")


def _check_interviewers(interviewers) -> list:
    interviewers = list(dict.fromkeys(interviewers))
    if not interviewers:
        raise ValidationError("Choose at least one interviewer.")
    for user in interviewers:
        if not user.is_active or not (user.is_superuser or hasattr(user, "profile")):
            raise ValidationError(f"{_names([user])} cannot interview: not an active staff user.")
    return interviewers


def _check_future(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError("Pick a time in the future.")


def _check_free(users, starts_at, ends_at, *, exclude_interview=None) -> None:
    busy = availability.conflicts(
        users=users, starts_at=starts_at, ends_at=ends_at, exclude_interview=exclude_interview
    )
    if busy:
        raise _busy_error(busy)


def _write_seats(interview, users, write, *, message: str | None = None) -> None:
    """Run `write` (which activates or moves seats) in a savepoint; PostgreSQL's exclusion
    constraint refusing it becomes a ValidationError naming who is busy (or `message`)."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        if EXCLUSION not in str(exc):
            raise
        if message:
            raise ValidationError(message) from exc
        busy = availability.conflicts(
            users=users,
            starts_at=interview.starts_at,
            ends_at=interview.ends_at,
            exclude_interview=interview,
        )
        raise _busy_error(busy) from exc


def _locked_application(application):
    from applications.models import Application

    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("stage", "candidate", "posting")
        .get(pk=application.pk)
    )


def _locked(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__stage", "application__candidate", "application__posting")
        .select_related("step", "scheduled_by")
        .get(pk=interview.pk)
    )


def _for_email(interview: Interview) -> Interview:
    """The interview with what its emails and invitation read, in a few queries."""
    return (
        Interview.objects.select_related(
            "application__candidate", "application__posting", "step", "scheduled_by"
        )
        .prefetch_related("seats__user__profile")
        .get(pk=interview.pk)
    )


def _validate_fields(interview: Interview) -> None:
    try:
        interview.full_clean(exclude=["application", "step", "scheduled_by"])
    except ValidationError as exc:
        raise ValidationError(
            [m for messages in exc.message_dict.values() for m in messages]
        ) from exc


@transaction.atomic
def schedule_interview(
    *, application, step, starts_at: datetime, interviewers, location="", video_url="", by
) -> Interview:
    """Schedule `step` for `application` at `starts_at` and invite everyone."""
    application = _locked_application(application)
    _check_step(application, step)
    _check_open(application)
    interviewers = _check_interviewers(interviewers)
    _check_future(starts_at)
    ends_at = starts_at + timedelta(minutes=step.duration_minutes)
    _check_free(interviewers, starts_at, ends_at)

    interview = Interview(
        application=application,
        step=step,
        status=Interview.Status.SCHEDULED,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_url=video_url,
        scheduled_by=by,
    )
    _validate_fields(interview)
    interview.save()
    _write_seats(
        interview,
        interviewers,
        lambda: InterviewerSeat.objects.bulk_create(
            InterviewerSeat(
                interview=interview, user=user, starts_at=starts_at, ends_at=ends_at, active=True
            )
            for user in interviewers
        ),
    )
    interview_emails.queue_invites(_for_email(interview))
    _announce(interview, SCHEDULED)
    return interview


def _move(interview: Interview, starts_at: datetime, ends_at: datetime, *, message=None) -> None:
    """Give a locked interview new times, on its seats too, and invite everyone again."""
    users = [seat.user for seat in interview.seats.select_related("user")]
    busy = availability.conflicts(
        users=users, starts_at=starts_at, ends_at=ends_at, exclude_interview=interview
    )
    if busy:
        # The candidate sees no names (`message`): "just taken" is all they need to know.
        raise ValidationError(message) if message else _busy_error(busy)
    was_scheduled = interview.status == Interview.Status.SCHEDULED
    interview.starts_at, interview.ends_at = starts_at, ends_at
    if was_scheduled:
        interview.sequence += 1
    interview.status = Interview.Status.SCHEDULED
    interview.updated_at = timezone.now()
    interview.save()
    _write_seats(
        interview,
        users,
        lambda: interview.seats.update(starts_at=starts_at, ends_at=ends_at, active=True),
        message=message,
    )
    interview_emails.queue_invites(_for_email(interview))
    _announce(interview, RESCHEDULED if was_scheduled else SCHEDULED)


@transaction.atomic
def reschedule_interview(
    *, interview: Interview, starts_at: datetime, by, location=None, video_url=None
) -> Interview | None:
    """Move a scheduled interview to `starts_at` (same UID, SEQUENCE + 1) and invite everyone
    again. Returns None when nothing changed."""
    interview = _locked(interview)
    if interview.status != Interview.Status.SCHEDULED:
        raise ValidationError("Only a scheduled interview can be rescheduled.")
    _check_open(interview.application)
    _check_future(starts_at)
    place_changed = False
    for field, value in (("location", location), ("video_url", video_url)):
        if value is not None and getattr(interview, field) != value:
            setattr(interview, field, value)
            place_changed = True
    if place_changed:
        _validate_fields(interview)
    if starts_at == interview.starts_at and not place_changed:
        return None
    ends_at = starts_at + timedelta(minutes=interview.step.duration_minutes)
    interview.scheduled_by = by or interview.scheduled_by
    _move(interview, starts_at, ends_at)
    return interview


def _cancel(interview: Interview, *, reason: str, notify: bool = True) -> bool:
    if interview.status not in (Interview.Status.SCHEDULED, Interview.Status.AWAITING_CANDIDATE):
        return False
    had_time = interview.status == Interview.Status.SCHEDULED
    interview.status = Interview.Status.CANCELLED
    interview.cancelled_at = interview.updated_at = timezone.now()
    interview.sequence += 1
    interview.save()
    interview.seats.update(active=False)
    if notify:
        interview_emails.queue_cancellations(
            _for_email(interview), reason=reason, had_time=had_time
        )
    _announce(interview, CANCELLED)
    return True


@transaction.atomic
def cancel_ahead(*, application, reason: str = "", notify: bool = True) -> int:
    """Cancel the application's interviews still ahead (offered, or scheduled and not yet
    started), when the candidate withdrew or was erased: nobody should keep an hour for an
    interview that will not happen. `notify=False` writes no email (after an erasure there is
    nobody left to name). Returns how many were cancelled."""
    ahead = (
        Interview.objects.select_for_update()
        .filter(application=application)
        .filter(
            Q(status=Interview.Status.AWAITING_CANDIDATE)
            | Q(status=Interview.Status.SCHEDULED, starts_at__gt=timezone.now())
        )
    )
    return sum(_cancel(interview, reason=reason, notify=notify) for interview in ahead)


def forget_feedback(*, applications) -> None:
    """Blank the words written about erased applications (scorecard notes, amendments'
    reasons and changes, decision notes); ratings and recommendations stay for statistics,
    as the stage history does."""
    Scorecard.objects.filter(interview__application__in=applications).update(
        key_points="", concerns=""
    )
    ScorecardAmendment.objects.filter(scorecard__interview__application__in=applications).update(
        reason="(erased)", changes={}
    )
    Decision.objects.filter(application__in=applications).update(note="")


@transaction.atomic
def cancel_interview(*, interview: Interview, by, reason: str = "") -> bool:
    """Cancel an offered or scheduled interview: seats freed, METHOD:CANCEL to everyone
    invited. Returns False when it was not cancellable (already cancelled, or held)."""
    interview = _locked(interview)
    return _cancel(interview, reason=reason.strip())


@transaction.atomic
def mark_no_show(*, interview: Interview, by) -> bool:
    """Record that the candidate did not come. Only once the interview has started."""
    interview = _locked(interview)
    if interview.status == Interview.Status.NO_SHOW:
        return False
    if interview.status != Interview.Status.SCHEDULED:
        raise ValidationError("Only a scheduled interview can be marked as a no-show.")
    if interview.starts_at > timezone.now():
        raise ValidationError("A no-show can be recorded only once the interview has started.")
    interview.status = Interview.Status.NO_SHOW
    interview.updated_at = timezone.now()
    interview.save(update_fields=["status", "updated_at"])
    return True


@transaction.atomic
def offer_slots(
    *,
    application,
    step,
    starts: list[datetime],
    interviewers,
    by,
    location="",
    video_url="",
) -> Interview:
    """Offer the candidate times to pick from on their status page, and email them the link.
    Each time must still be free for every interviewer (working hours, interviews, calendars)."""
    application = _locked_application(application)
    _check_step(application, step)
    _check_open(application)
    interviewers = _check_interviewers(interviewers)
    starts = sorted(set(starts))
    if not starts:
        raise ValidationError("Pick at least one time to offer.")
    if len(starts) > MAX_OFFERED_SLOTS:
        raise ValidationError(f"Offer at most {MAX_OFFERED_SLOTS} times.")
    duration = timedelta(minutes=step.duration_minutes)
    for start in starts:
        _check_future(start)
        free = availability.free_slots(
            users=interviewers,
            duration=duration,
            start=start,
            end=start + duration,
            step=timedelta(minutes=1),
        )
        if start not in free:
            shown = timezone.localtime(start).strftime("%a %b %-d, %H:%M")
            raise ValidationError(f"{shown} is no longer free for every interviewer.")

    interview = Interview(
        application=application,
        step=step,
        status=Interview.Status.AWAITING_CANDIDATE,
        location=location,
        video_url=video_url,
        scheduled_by=by,
    )
    _validate_fields(interview)
    interview.save()
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(interview=interview, user=user, active=False) for user in interviewers
    )
    slots = OfferedSlot.objects.bulk_create(
        OfferedSlot(interview=interview, starts_at=start, ends_at=start + duration)
        for start in starts
    )
    interview_emails.queue_slots(_for_email(interview), slots)
    return interview


def change_cutoff() -> timedelta:
    return timedelta(hours=settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS)


@transaction.atomic
def book_slot(*, interview: Interview, slot: OfferedSlot, time_zone: str = "") -> Interview:
    """The candidate picks `slot`: the interviewers' seats become active at its times. Two
    candidates can never hold overlapping times of one interviewer: the one who comes second
    is told the time was just taken. A booked candidate may pick another offered time until
    the cut-off before their booked one."""
    interview = _locked(interview)
    if slot.interview_id != interview.pk:
        raise ValidationError("That time is not one offered for this interview.")
    if interview.status == Interview.Status.SCHEDULED:
        if not interview.candidate_can_change:
            raise ValidationError("It is too late to change this interview here.")
        if interview.starts_at == slot.starts_at:
            return interview
    elif interview.status != Interview.Status.AWAITING_CANDIDATE:
        raise ValidationError("This interview can no longer be booked.")
    _check_open(interview.application)
    if slot.starts_at <= timezone.now():
        raise ValidationError("That time has passed. Please pick another.")
    if is_time_zone(time_zone):
        interview.candidate_time_zone = time_zone
    _move(interview, slot.starts_at, slot.ends_at, message=JUST_TAKEN)
    return interview


@transaction.atomic
def cancel_by_candidate(*, interview: Interview, reason: str = "") -> bool:
    """The candidate cancels, up to the cut-off before the interview (or any time before they
    have picked a time)."""
    interview = _locked(interview)
    if not interview.candidate_can_change:
        raise ValidationError("It is too late to cancel this interview here.")
    return _cancel(interview, reason=reason.strip() or "The candidate cancelled.")


@transaction.atomic
def set_candidate_time_zone(*, application, time_zone: str) -> int:
    """Remember the zone the candidate reads their interview times in, on each of the
    application's interviews still to come. Returns how many changed."""
    if not is_time_zone(time_zone):
        raise ValidationError("Pick a time zone from the list.")
    return (
        Interview.objects.live()
        .filter(application=application)
        .exclude(candidate_time_zone=time_zone)
        .update(candidate_time_zone=time_zone)
    )


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Remind the candidate and each interviewer of every interview starting within
    ATS_INTERVIEW_REMINDER_HOURS. Once per interview time: the outbox key holds the SEQUENCE,
    so running this again sends nothing new, and a rescheduled interview is reminded again."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.ATS_INTERVIEW_REMINDER_HOURS)
    due = (
        Interview.objects.filter(
            status=Interview.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=horizon,
            application__erased_at__isnull=True,
            # A rejected candidate's interview left standing is the team's to sort out; it
            # is not the moment to remind anyone of it.
            application__stage__kind__in=OPEN_KINDS,
        )
        .select_related("application__candidate", "application__posting", "step", "scheduled_by")
        .prefetch_related("seats__user__profile")
    )
    queued = 0
    for interview in due:
        with transaction.atomic():
            queued += interview_emails.queue_reminders(interview)
    return queued
