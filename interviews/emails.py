"""The interview emails: invitations (with the .ics), cancellations, times to pick from and
reminders, to the candidate and to each interviewer, each in the reader's own time zone.

Each is queued in the caller's transaction. The key names the interview, the event, the
interview's SEQUENCE and the reader, so one change never sends one person two emails and a new
time gets a new email.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import zone_or_utc
from interviews import invites
from notifications.models import OutboxEmail
from notifications.services import queue_email


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL + "/", path.lstrip("/"))


def staff_url(interview) -> str:
    # By name: interviews/ does not import the dashboard, but may link to its pages.
    return _absolute(reverse("dashboard:interview", args=[interview.pk]))


def status_url(application) -> str:
    return _absolute(application.get_status_url())


def readers(interview):
    """(key part, address, name, time zone, link) for the candidate and each interviewer."""
    application = interview.application
    yield (
        "candidate",
        application.candidate.email,
        application.name,
        interview.candidate_time_zone,
        status_url(application),
    )
    for seat in interview.seats.all():
        user = seat.user
        if user.email:
            profile = getattr(user, "profile", None)
            yield (
                f"user{user.pk}",
                user.email,
                user.get_full_name() or user.username,
                getattr(profile, "time_zone", ""),
                staff_url(interview),
            )


def _queue(
    interview,
    *,
    event: str,
    kind: str,
    template: str,
    attachment=None,
    candidate_only=False,
    **context,
):
    application = interview.application
    queued = 0
    for who, address, name, zone, link in readers(interview):
        if candidate_only and who != "candidate":
            continue
        zone = zone_or_utc(zone)
        # Times in the body read in the reader's zone; the .ics carries UTC for calendars.
        with timezone.override(zone):
            email = queue_email(
                key=f"interview:{interview.pk}:{event}:{interview.sequence}:{who}",
                kind=kind,
                to=address,
                template=template,
                context={
                    "interview": interview,
                    "application": application,
                    "posting": application.posting,
                    "step": interview.step,
                    "name": name,
                    "to_candidate": who == "candidate",
                    "zone": zone.key,
                    "link": link,
                    **context,
                },
                application=application,
                attachment=attachment,
            )
        queued += email is not None
    return queued


def queue_invites(interview) -> int:
    ics = invites.build(interview, method=invites.REQUEST)
    return _queue(
        interview,
        event="invite",
        kind=OutboxEmail.Kind.INTERVIEW_INVITE,
        template="interview_invite",
        attachment=("invite.ics", invites.mimetype(invites.REQUEST), ics),
        rescheduled=interview.sequence > 0,
    )


def queue_cancellations(interview, *, reason: str = "", had_time: bool) -> int:
    attachment = None
    if had_time:
        ics = invites.build(interview, method=invites.CANCEL)
        attachment = ("invite.ics", invites.mimetype(invites.CANCEL), ics)
    return _queue(
        interview,
        event="cancel",
        kind=OutboxEmail.Kind.INTERVIEW_CANCELLED,
        template="interview_cancelled",
        attachment=attachment,
        # Interviewers hear of an interview once it has a time, not of an offer withdrawn.
        candidate_only=not had_time,
        reason=reason,
        had_time=had_time,
    )


def queue_slots(interview, slots) -> int:
    return _queue(
        interview,
        event="slots",
        kind=OutboxEmail.Kind.INTERVIEW_SLOTS,
        template="interview_slots",
        candidate_only=True,
        slots=slots,
    )


def queue_reminders(interview) -> int:
    return _queue(
        interview,
        event="reminder",
        kind=OutboxEmail.Kind.INTERVIEW_REMINDER,
        template="interview_reminder",
    )
