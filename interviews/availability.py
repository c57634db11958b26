"""When interviewers are free: the times offered to candidates come from here.

A person is bookable inside their working hours (in their own time zone; Monday to Friday,
09:00 to 17:00 when they have set none), outside their active interview seats, and outside
whatever busy-time sources are registered (interviewers' own CalDAV calendars). All times
given and returned are aware datetimes; results are in UTC.
"""

import zoneinfo
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from accounts.models import zone_or_utc
from interviews.models import InterviewerSeat, WorkingHours

DEFAULT_HOURS = [(weekday, time(9), time(17)) for weekday in range(5)]

# A busy-time source: (user, start, end) -> [(busy_start, busy_end), ...]. Sources answer
# within their own time budget and return [] when they cannot (a calendar that is down
# should not stop anyone from offering times).
BusySource = Callable[..., list[tuple[datetime, datetime]]]
_busy_sources: list[BusySource] = []


def register_busy_source(source: BusySource) -> BusySource:
    if source not in _busy_sources:
        _busy_sources.append(source)
    return source


def _zone(user) -> zoneinfo.ZoneInfo:
    profile = getattr(user, "profile", None)
    return profile.zone if profile is not None else zone_or_utc("")


def working_windows(user, start: datetime, end: datetime, hours=None):
    """The user's working hours between start and end, as UTC (start, end) pairs."""
    zone = _zone(user)
    if hours is None:
        hours = [(h.weekday, h.starts, h.ends) for h in WorkingHours.objects.filter(user=user)]
    hours = hours or DEFAULT_HOURS
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    windows = []
    while day <= last:
        for weekday, starts, ends in hours:
            if weekday == day.weekday():
                # fold=0: on a day the clocks change, wall times resolve the usual way.
                opens = datetime.combine(day, starts, zone).astimezone(UTC)
                closes = datetime.combine(day, ends, zone).astimezone(UTC)
                if closes > start and opens < end:
                    windows.append((max(opens, start), min(closes, end)))
        day += timedelta(days=1)
    return sorted(windows)


def busy_times(user, start: datetime, end: datetime, *, exclude_interview=None):
    """Times the user is taken between start and end: active seats and registered sources."""
    seats = InterviewerSeat.objects.filter(
        user=user, active=True, starts_at__lt=end, ends_at__gt=start
    )
    if exclude_interview is not None:
        seats = seats.exclude(interview=exclude_interview)
    busy = list(seats.values_list("starts_at", "ends_at"))
    for source in _busy_sources:
        busy.extend(source(user, start, end))
    return busy


def _overlaps(a_start, a_end, spans: Iterable[tuple[datetime, datetime]]) -> bool:
    return any(s < a_end and e > a_start for s, e in spans)


def free_slots(
    *,
    users,
    duration: timedelta,
    start: datetime,
    end: datetime,
    step: timedelta = timedelta(minutes=30),
    exclude_interview=None,
) -> list[datetime]:
    """Start times (UTC, on `step` boundaries) between start and end at which every one of
    `users` is inside working hours and free for `duration`."""
    users = list(users)
    if not users or end <= start:
        return []
    windows = {u.pk: working_windows(u, start, end) for u in users}
    busy = {u.pk: busy_times(u, start, end, exclude_interview=exclude_interview) for u in users}
    first = start.astimezone(UTC)
    # Round up to the step, so offered times read as :00 and :30.
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    remainder = (first - epoch) % step
    moment = first if not remainder else first + (step - remainder)
    slots = []
    while moment + duration <= end:
        finish = moment + duration
        if all(
            any(s <= moment and finish <= e for s, e in windows[u.pk])
            and not _overlaps(moment, finish, busy[u.pk])
            for u in users
        ):
            slots.append(moment)
        moment += step
    return slots


def conflicts(*, users, starts_at: datetime, ends_at: datetime, exclude_interview=None):
    """The users among `users` who already sit on an active interview overlapping the time:
    the service's check of the rule PostgreSQL's exclusion constraint also enforces."""
    clash = Q(active=True, starts_at__lt=ends_at, ends_at__gt=starts_at)
    seats = InterviewerSeat.objects.filter(clash, user__in=list(users))
    if exclude_interview is not None:
        seats = seats.exclude(interview=exclude_interview)
    return sorted({seat.user for seat in seats.select_related("user")}, key=lambda u: u.username)


def hours_of(user) -> list[tuple[int, time, time]]:
    """The user's working hours as (weekday, starts, ends), or the default when none are set."""
    hours = [(h.weekday, h.starts, h.ends) for h in WorkingHours.objects.filter(user=user)]
    return hours or list(DEFAULT_HOURS)


def set_working_hours(*, user, hours: list[tuple[int, time, time]]) -> list[WorkingHours]:
    """Replace the user's working hours. An empty list brings back the default."""
    with transaction.atomic():
        WorkingHours.objects.filter(user=user).delete()
        return WorkingHours.objects.bulk_create(
            WorkingHours(user=user, weekday=weekday, starts=starts, ends=ends)
            for weekday, starts, ends in hours
        )
