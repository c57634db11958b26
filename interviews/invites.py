"""iCalendar invitations (RFC 5545 with iTIP's METHOD, RFC 5546) that calendars accept.

One event per interview: its UID never changes, and SEQUENCE grows with each reschedule, so a
calendar updates the event it already holds instead of adding another; METHOD:CANCEL with the
same UID removes it. Times are written in UTC. The summary names the step and the company, never
the candidate: the event lands in calendars the ATS does not control.

The `icalendar` package does the escaping (commas, semicolons, newlines in text values, and
quoting of parameter values such as a CN with a comma), so no input can add a line or property.
It is imported where an invitation is built, not with this module: a web worker that sends no
invitation does without it.
"""

from datetime import UTC
from email.utils import parseaddr
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

REQUEST = "REQUEST"
# A file to add to a calendar (the downloads), rather than an invitation to answer.
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"
PRODID = "-//ATS//Interviews//EN"


def uid_domain() -> str:
    """The part after "@" of every UID this site makes, to tell its own events apart."""
    return urlparse(settings.SITE_URL).hostname or "localhost"


def uid_for(interview) -> str:
    return f"{interview.uid}@{uid_domain()}"


def mimetype(method: str) -> str:
    return f"text/calendar; method={method}"


def _address(email: str, name: str, **params):
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{email}")
    if name:
        # One line: a parameter value cannot hold a line break, whatever a name contains.
        address.params["CN"] = vText(" ".join(name.split()))
    for key, value in params.items():
        address.params[key] = value
    return address


def summary(interview) -> str:
    return f"{interview.step.name} · {settings.COMPANY_NAME}"


def build(interview, *, method: str | None = REQUEST) -> str:
    """The invitation (REQUEST), its cancellation (CANCEL), a copy to download (PUBLISH), or
    with no method the event stored in an interviewer's CalDAV calendar (RFC 4791 forbids a
    METHOD there), as iCalendar text.

    Reads interview.step, .application and .scheduled_by, and each seat's user: callers
    select or prefetch them.
    """
    from icalendar import Calendar, Event

    cancelled = method == CANCEL
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)

    event = Event()
    event.add("uid", uid_for(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", interview.starts_at.astimezone(UTC))
    event.add("dtend", interview.ends_at.astimezone(UTC))
    event.add("summary", summary(interview))
    where = interview.location or interview.video_url
    if where:
        event.add("location", where)
    if interview.video_url:
        event.add("url", interview.video_url)
    description = [f"{interview.step.name} for {interview.application.posting.title}."]
    if interview.video_url:
        description.append(f"Join: {interview.video_url}")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")

    from_name, from_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    scheduler = interview.scheduled_by
    organizer_name = (scheduler.get_full_name() or scheduler.username) if scheduler else from_name
    event.add("organizer", _address(from_email, organizer_name))

    if method in (REQUEST, CANCEL):
        # iTIP's PUBLISH carries no attendees: a downloaded copy is not a meeting to answer;
        # nor does the copy in an interviewer's own calendar, which must not invite anyone.
        _add_attendees(event, interview)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _add_attendees(event, interview) -> None:
    rsvp = {"PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    application = interview.application
    event.add(
        "attendee",
        _address(
            application.candidate.email,
            application.name,
            CUTYPE="INDIVIDUAL",
            ROLE="REQ-PARTICIPANT",
            **rsvp,
        ),
    )
    for seat in interview.seats.all():
        user = seat.user
        if not user.email:
            continue
        event.add(
            "attendee",
            _address(
                user.email,
                user.get_full_name() or user.username,
                CUTYPE="INDIVIDUAL",
                ROLE="REQ-PARTICIPANT",
                **rsvp,
            ),
        )
