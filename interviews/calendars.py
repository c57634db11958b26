"""Interviewers' own CalDAV calendars: connecting one, reading its busy times to offer slots,
and writing each interview into it as an event.

A calendar address is typed by a user and fetched by the server, so every request goes
through a guarded session (interviews.caldav_http): https only (http and private addresses only with
ATS_CALDAV_ALLOW_PRIVATE), the host's address checked to be public and then pinned so a second
DNS answer cannot swap it, no redirect to another origin, and each operation under a budget of
time (ATS_CALDAV_BUDGET_SECONDS) and bytes. Whatever the server answers, the caller gets a
short error of ours, recorded on the connection, never the server's text and never a 500.
"""

import ipaddress
import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from interviews import crypto, invites
from interviews.models import CalendarConnection, Interview, InterviewerSeat

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 1000
MAX_REDIRECTS = 3
BUSY_CACHE_SECONDS = 60


class CalendarError(Exception):
    """A calendar problem in words fit for the settings page."""


class TransportError(CalendarError):
    """The server could not be reached or answered too slowly: worth trying again later."""


# Addresses: what the server may fetch.


def _allow_private() -> bool:
    return settings.ATS_CALDAV_ALLOW_PRIVATE


def check_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address) of a calendar URL the server may fetch, or CalendarError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise CalendarError("That is not a valid address.") from None
    schemes = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in schemes:
        raise CalendarError("Use an https:// address for your calendar.")
    if not parts.hostname:
        raise CalendarError("That address names no server.")
    if parts.username or parts.password:
        raise CalendarError("Put the username and password in their own fields, not the address.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise CalendarError("That server's name could not be found.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not _allow_private():
        for address in addresses:
            mapped = getattr(address, "ipv4_mapped", None) or address
            if not mapped.is_global or mapped.is_multicast:
                raise CalendarError("That server is on a private network address; it is refused.")
    return parts.scheme, parts.hostname.lower(), port, str(addresses[0])


class _Budget:
    def __init__(self, seconds: float | None = None):
        self.seconds = seconds or settings.ATS_CALDAV_BUDGET_SECONDS
        self.ends = time.monotonic() + self.seconds

    def left(self) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise TransportError("The calendar server took too long to answer.")
        return remaining


def _client(url: str, username: str, password: str, budget: _Budget):
    """A caldav client whose requests go through the guarded session (interviews.caldav_http).
    Imported here, not at the top: caldav and its HTTP stack weigh some 20 MB that a web
    worker needs only when a calendar is connected or written to."""
    from interviews import caldav_http

    return caldav_http.client(url, username, password, budget)


def _calling(operation):
    """Run a caldav operation; turn whatever it raises into a CalendarError of ours."""
    from interviews import caldav_http

    return caldav_http.calling(operation)


# Connecting.


def _pick_calendar(client, url: str):
    calendars = client.principal().calendars()
    if not calendars:
        raise CalendarError("No calendar was found for that account.")
    wanted = url.rstrip("/")
    for calendar in calendars:
        if str(calendar.url).rstrip("/") == wanted:
            return calendar
    return calendars[0]


def connect_calendar(*, user, url: str, username: str, password: str) -> CalendarConnection:
    """Check the address and credentials by talking to the server, pick the calendar (the one
    at `url` if it is one, else the account's first), and save the connection."""
    if not crypto.enabled():
        raise CalendarError(crypto.KEY_MISSING)
    client = _client(url, username, password, _Budget())
    calendar = _calling(lambda: _pick_calendar(client, url))
    with transaction.atomic():
        connection, _ = CalendarConnection.objects.select_for_update().update_or_create(
            user=user,
            defaults={
                "url": url,
                "username": username,
                "password_encrypted": crypto.encrypt(password),
                "calendar_url": str(calendar.url)[:500],
                "last_synced_at": timezone.now(),
                "last_error": "",
            },
        )
    return connection


def disconnect_calendar(*, user) -> bool:
    """Forget the user's calendar (their events stay in it). True if there was one."""
    deleted, _ = CalendarConnection.objects.filter(user=user).delete()
    return bool(deleted)


def _calendar_of(connection: CalendarConnection, budget: _Budget):
    password = crypto.decrypt(connection.password_encrypted)
    client = _client(connection.url, connection.username, password, budget)
    return client, client.calendar(url=connection.calendar_url or connection.url)


def _record(connection: CalendarConnection, error: str = "") -> None:
    fields = {"last_error": error[:500]}
    if not error:
        fields["last_synced_at"] = timezone.now()
    CalendarConnection.objects.filter(pk=connection.pk).update(**fields)


# Reading busy times.


def _as_utc(value, zone) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
    # An all-day event: the whole day where the interviewer lives.
    return datetime.combine(value, datetime.min.time(), zone).astimezone(UTC)


def _own_uid_suffix() -> str:
    return "@" + invites.uid_domain()


def busy_spans(components, zone, start: datetime, end: datetime):
    """(start, end) UTC pairs of the VEVENTs that make their owner busy inside the window."""
    spans = []
    own = _own_uid_suffix()
    for count, event in enumerate(components):
        if count >= MAX_EVENTS:
            break
        if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        # Our own interviews are already busy through their seats, and a cancelled or moved
        # one must not block its old time while the calendar catches up.
        if str(event.get("UID", "")).endswith(own):
            continue
        dtstart = event.get("DTSTART")
        if dtstart is None:
            continue
        begins = dtstart.dt
        if event.get("DTEND") is not None:
            finishes = event["DTEND"].dt
        elif event.get("DURATION") is not None:
            finishes = begins + event["DURATION"].dt
        else:
            # RFC 5545: a date lasts the day, a date-time with neither lasts no time.
            finishes = begins + (timedelta() if isinstance(begins, datetime) else timedelta(days=1))
        if isinstance(begins, datetime) != isinstance(finishes, datetime):
            continue  # a start and an end of different kinds: malformed
        begins, finishes = _as_utc(begins, zone), _as_utc(finishes, zone)
        if finishes > begins and begins < end and finishes > start:
            spans.append((begins, finishes))
    return spans


def _events(objects):
    for obj in objects:
        yield from obj.icalendar_instance.walk("VEVENT")


def calendar_busy_times(user, start: datetime, end: datetime):
    """The busy source registered with interviews.availability: the user's calendar's busy
    times between start and end, or [] when there is no calendar or it cannot answer."""
    if not crypto.enabled():
        return []
    connection = CalendarConnection.objects.filter(user=user).first()
    if connection is None:
        return []
    # Keyed on the connection's id and two datetimes, never on anything a user typed.
    key = f"caldav:busy:{connection.pk}:{start.timestamp():.0f}:{end.timestamp():.0f}"
    cached = cache.get(key)
    if cached is not None:
        return [(datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC)) for s, e in cached]
    from interviews.availability import _zone

    try:
        _, calendar = _calendar_of(connection, _Budget())
        objects = _calling(lambda: calendar.search(start=start, end=end, event=True, expand=True))
        spans = _calling(lambda: busy_spans(_events(objects), _zone(user), start, end))
    except (CalendarError, crypto.CannotDecrypt) as exc:
        _record(connection, str(exc))
        return []
    _record(connection)
    cache.set(key, [(s.timestamp(), e.timestamp()) for s, e in spans], timeout=BUSY_CACHE_SECONDS)
    return spans


# Writing interviews as events.


def event_uid(interview: Interview) -> str:
    """The invite's UID, so the calendar merges our event with the emailed invite."""
    return invites.uid_for(interview)


def interview_event(interview: Interview) -> str:
    """The interview as the invitation describes it, without METHOD or attendees."""
    return invites.build(interview, method=None)


def sync_interview(*, interview_id: int) -> dict[int, str]:
    """Bring every connected interviewer's calendar in line with the interview as it is now:
    an event while it is scheduled and their seat active, none otherwise. Idempotent: the
    same state writes the same event again. Returns {seat id: what was done}.
    Raises TransportError (after recording it) so the task can retry."""
    interview = (
        Interview.objects.select_related("step", "application__posting", "scheduled_by")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        return {}
    seats = InterviewerSeat.objects.filter(
        interview=interview, user__calendar_connection__isnull=False
    ).select_related("user__calendar_connection")
    done, retry = {}, None
    for seat in seats:
        wanted = interview.status == Interview.Status.SCHEDULED and seat.active
        if not wanted and not seat.calendar_event_url:
            continue
        connection = seat.user.calendar_connection
        try:
            done[seat.pk] = _sync_seat(seat, interview, connection, wanted)
        except TransportError as exc:
            _record(connection, str(exc))
            retry = exc
        except (CalendarError, crypto.CannotDecrypt, crypto.KeyMissing) as exc:
            _record(connection, str(exc))
            done[seat.pk] = "failed"
        else:
            _record(connection)
    if retry is not None:
        raise retry
    return done


def _sync_seat(seat, interview, connection, wanted: bool) -> str:
    client, calendar = _calendar_of(connection, _Budget())
    if wanted:
        # SEQUENCE is the interview's own, not bumped by caldav on each write.
        ical = interview_event(interview)
        event = _calling(lambda: calendar.add_event(ical, increase_seqno=False))
        url = str(event.url)[:500]
        InterviewerSeat.objects.filter(pk=seat.pk).update(calendar_event_url=url)
        return "saved"
    # Only an address on the connection's own server, even if the row were tampered with.
    response = _calling(lambda: client.request(seat.calendar_event_url, "DELETE"))
    if response.status not in (200, 202, 204, 404, 410):
        raise CalendarError("The calendar server refused to delete the event.")
    InterviewerSeat.objects.filter(pk=seat.pk).update(calendar_event_url="")
    return "deleted"


def on_interview_changed(sender, *, interview_id, action, **kwargs):
    """Receiver of interviews.signals.interview_changed (sent on commit): queue the calendar
    writes. A broker that is down must not fail the scheduling that already committed, nor
    (with eager Celery, run in the request) a calendar server that is down."""
    from celery.exceptions import Retry
    from kombu.exceptions import OperationalError

    from interviews.tasks import sync_calendar_events

    if not crypto.enabled():
        return
    try:
        sync_calendar_events.delay(interview_id)
    except OperationalError:
        log.warning("Calendar events of interview %s not queued: broker down", interview_id)
    except Retry:
        log.warning("Calendar events of interview %s not written: calendar down", interview_id)
