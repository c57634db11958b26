"""The applicant's interviews on their status page: times to pick from, the interviews booked
(in a time zone the applicant picks), and what they may still change."""

import zoneinfo
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from applications.status_panels import Panel
from interviews.models import Interview, OfferedSlot

TEMPLATE = "interviews/_status_panel.html"


@cache
def time_zones() -> list[str]:
    """The zones offered in the picker: the tz database's canonical-looking Area/City names,
    and UTC, sorted. Leaves out the legacy aliases (US/Eastern, Etc/GMT+5, ...)."""
    legacy = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(legacy) and name != "localtime"
    }
    return sorted(names | {"UTC"})


def upcoming(application, *, now: datetime | None = None) -> list[Interview]:
    """The application's interviews the applicant has to act on or attend: waiting for them to
    pick a time, or scheduled and not over. Two queries, however many there are."""
    now = now or timezone.now()
    future_slots = OfferedSlot.objects.filter(starts_at__gt=now).order_by("starts_at")
    return list(
        Interview.objects.filter(application=application)
        .filter(status__in=[Interview.Status.AWAITING_CANDIDATE, Interview.Status.SCHEDULED])
        .exclude(status=Interview.Status.SCHEDULED, ends_at__lte=now)
        .select_related("step")
        .prefetch_related(Prefetch("slots", queryset=future_slots))
        .order_by("status", "starts_at", "id")
    )


def zone_of(interviews) -> str:
    for interview in interviews:
        if interview.candidate_time_zone:
            return interview.candidate_time_zone
    return ""


def status_panel(application, request) -> list[Panel]:
    interviews = upcoming(application)
    if not interviews:
        return []
    zone = zone_of(interviews)
    return [
        Panel(
            template=TEMPLATE,
            context={
                "application": application,
                "interviews": interviews,
                # "" until the applicant picks one: the page then shows UTC and the browser's
                # zone is preselected in the picker (static/js/interview_time_zone.js).
                "zone": zone or "UTC",
                "zone_chosen": bool(zone),
                "zones": time_zones(),
                "cutoff_hours": settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS,
            },
        )
    ]
