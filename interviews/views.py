"""The applicant's interview pages, reached from their status page by its secret link: the
.ics download, picking an offered time, cancelling, and the time zone they read times in.

Every lookup goes through the status token: an interview of another application is a 404.
Changes are POSTs with CSRF, limited per application, and answer with a message on the status
page, so everything works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application
from ats import ratelimit
from interviews import invites, services
from interviews.models import Interview

# Changes per application per hour: plenty for someone choosing, too few to churn calendars.
CHANGE_LIMIT, CHANGE_WINDOW = 20, 3600


def _application(token) -> Application:
    return get_object_or_404(Application.objects.filter(erased_at__isnull=True), status_token=token)


def _interview(token, uid) -> Interview:
    return get_object_or_404(
        Interview.objects.filter(
            application__status_token=token, application__erased_at__isnull=True
        ).select_related(
            "application__candidate", "application__posting", "application__stage", "step"
        ),
        uid=uid,
    )


def _back(token):
    return redirect(reverse("applications:status", args=[token]) + "#interviews")


def _allowed(request, token) -> bool:
    if ratelimit.hit("interview-change", token, limit=CHANGE_LIMIT, window=CHANGE_WINDOW):
        return True
    messages.error(request, "Too many changes in a short time. Please try again in an hour.")
    return False


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@never_cache
@require_GET
def invite_ics(request, token, uid):
    """The interview as a calendar file. PUBLISH, not REQUEST: a file opened from disk is an
    event to add, not an invitation to answer (the emails carry the REQUEST)."""
    interview = _interview(token, uid)
    if not interview.has_invite:
        return _back(token)
    return ics_response(interview)


def ics_response(interview) -> HttpResponse:
    """The .ics download of an interview found in someone's scope."""
    interview = (
        Interview.objects.select_related(
            "application__candidate", "application__posting", "step", "scheduled_by"
        )
        .prefetch_related("seats__user")
        .get(pk=interview.pk)
    )
    method = invites.CANCEL if interview.is_cancelled else invites.PUBLISH
    response = HttpResponse(
        invites.build(interview, method=method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def book(request, token, uid):
    interview = _interview(token, uid)
    if not _allowed(request, token):
        return _back(token)
    chosen = request.POST.get("slot", "")
    slot = interview.slots.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if slot is None:
        messages.error(request, "Pick one of the times offered.")
        return _back(token)
    try:
        services.book_slot(
            interview=interview, slot=slot, time_zone=request.POST.get("time_zone", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            "Your interview is booked. We have emailed you an invitation for your calendar.",
        )
    return _back(token)


@require_POST
def cancel(request, token, uid):
    interview = _interview(token, uid)
    if not _allowed(request, token):
        return _back(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was changed: tick the box to confirm the cancellation.")
        return _back(token)
    try:
        cancelled = services.cancel_by_candidate(
            interview=interview, reason=request.POST.get("reason", "")[:500]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if cancelled:
            messages.success(request, "Your interview is cancelled. We have let the team know.")
        else:
            messages.info(request, "This interview was already cancelled.")
    return _back(token)


@require_POST
def time_zone(request, token):
    application = _application(token)
    if not _allowed(request, token):
        return _back(token)
    try:
        services.set_candidate_time_zone(
            application=application, time_zone=request.POST.get("time_zone", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return _back(token)
