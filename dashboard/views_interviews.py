"""Staff pages of interviews: the candidate page's interview section, scheduling a step,
offering times for the candidate to pick, and each interview's page with its .ics.

Every interview is looked up through Interview.objects.for_user (outside it, a 404);
scheduling, rescheduling, cancelling and no-shows are for recruiters, and anyone else gets
the same 404 as for a page that does not exist. Times are shown and typed in the viewer's
profile time zone (ats.middleware.StaffTimeZoneMiddleware), stored in UTC.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications.models import Application
from dashboard.forms_interviews import (
    CancelForm,
    FindTimesForm,
    OfferForm,
    RescheduleForm,
    ScheduleForm,
    pool_of,
    working_days_end,
)
from dashboard.scope import can_manage_postings, staff_required
from interviews import availability, services
from interviews.models import Interview, InterviewerSeat, InterviewStep
from interviews.views import ics_response

# Offered times start at least this far ahead, so the candidate has time to read the email.
OFFER_LEAD = timedelta(hours=2)


def interview_section(request, application) -> dict:
    """The candidate page's interviews: each with its step and interviewers, and the steps of
    the posting a recruiter may schedule. Three queries, however many interviews there are."""
    seats = InterviewerSeat.objects.select_related("user").order_by("user__username")
    interviews = (
        Interview.objects.filter(application=application)
        .select_related("step")
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("-created_at", "-id")
    )
    can_schedule = can_manage_postings(request.user) and application.can_reject
    steps = (
        InterviewStep.objects.filter(stage__posting_id=application.posting_id).select_related(
            "stage"
        )
        if can_schedule
        else []
    )
    return {
        "interview_section": {
            "interviews": list(interviews),
            "steps": list(steps),
            "can_schedule": can_schedule,
        }
    }


def _recruiter_only(request) -> None:
    if not can_manage_postings(request.user):
        raise Http404


def _application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.for_user(request.user).select_related("posting", "stage", "candidate"),
        pk=pk,
    )


def _step(application, pk) -> InterviewStep:
    return get_object_or_404(
        InterviewStep.objects.filter(stage__posting_id=application.posting_id), pk=pk
    )


def _interview(request, pk) -> Interview:
    return get_object_or_404(
        Interview.objects.for_user(request.user).select_related(
            "application__posting", "application__candidate", "application__stage", "step"
        ),
        pk=pk,
    )


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _common(data, application, step, by) -> dict:
    return {
        "application": application,
        "step": step,
        "interviewers": list(data["interviewers"]),
        "location": data["location"],
        "video_url": data["video_url"],
        "by": by,
    }


def _write(request, form, write, *, success: str):
    """For a valid POSTed form: run `write(cleaned_data)`, then say so and show the interview.
    A refusal from the service becomes the form's error (None: render the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        interview = write(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, success)
    return redirect("dashboard:interview", pk=interview.pk)


@staff_required
def schedule(request, application_pk, step_pk):
    _recruiter_only(request)
    application = _application(request, application_pk)
    step = _step(application, step_pk)
    form = ScheduleForm(request.POST or None, step=step)
    done = _write(
        request,
        form,
        lambda data: services.schedule_interview(
            **_common(data, application, step, request.user), starts_at=data["starts_at"]
        ),
        success=f"{step.name} scheduled. The candidate and interviewers are invited.",
    )
    if done:
        return done
    return render(
        request,
        "dashboard/interview_schedule.html",
        {"application": application, "posting": application.posting, "step": step, "form": form},
    )


@staff_required
def offer(request, application_pk, step_pk):
    """Offer times: GET finds the free times of the interviewers chosen over the next working
    days; POST offers the ones ticked and emails the candidate their link to pick one."""
    _recruiter_only(request)
    application = _application(request, application_pk)
    step = _step(application, step_pk)
    pool = list(pool_of(step))
    source = request.POST if request.method == "POST" else request.GET
    find = FindTimesForm(
        source if "days" in source else None,
        step=step,
        initial={"interviewers": pool, "days": 5},
    )
    if find.is_bound and find.is_valid():
        interviewers, days = list(find.cleaned_data["interviewers"]), find.cleaned_data["days"]
    else:
        interviewers, days = pool, 5
    start = timezone.now() + OFFER_LEAD
    slots = availability.free_slots(
        users=interviewers,
        duration=timedelta(minutes=step.duration_minutes),
        start=start,
        end=working_days_end(start, days),
    )
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        step=step,
        slots=slots,
        initial={"interviewers": interviewers},
    )
    done = _write(
        request,
        form,
        lambda data: services.offer_slots(
            **_common(data, application, step, request.user), starts=data["starts"]
        ),
        success="Times offered. The candidate is emailed a link to pick one.",
    )
    if done:
        return done
    return render(
        request,
        "dashboard/interview_offer.html",
        {
            "application": application,
            "posting": application.posting,
            "step": step,
            "find": find,
            "form": form,
            "days": _by_day(form),
            "pool": pool,
        },
    )


def _by_day(form) -> list[tuple[str, list]]:
    """The offer form's checkboxes grouped by day, in the viewer's time zone."""
    groups: dict[str, list] = {}
    for choice in form["starts"]:
        day = choice.choice_label.rsplit(",", 1)[0]
        groups.setdefault(day, []).append(choice)
    return list(groups.items())


@staff_required
def interview_detail(request, pk):
    interview = _interview(request, pk)
    seats = interview.seats.select_related("user").order_by("user__username")
    application = interview.application
    # Interviewers reach the interview, not the candidate page of the whole team.
    can_open_application = (
        Application.objects.for_user(request.user).filter(pk=application.pk).exists()
    )
    return render(
        request,
        "dashboard/interview_detail.html",
        {
            "interview": interview,
            "application": application,
            "posting": application.posting,
            "seats": list(seats),
            "slots": list(interview.slots.all()) if interview.is_awaiting_candidate else [],
            "can_open_application": can_open_application,
            "hide_application_links": not can_open_application,
            "can_manage": can_manage_postings(request.user),
            "cancel_form": CancelForm(),
        },
    )


@never_cache
@staff_required
def interview_ics(request, pk):
    interview = _interview(request, pk)
    if not interview.has_invite:
        raise Http404
    return ics_response(interview)


@staff_required
def reschedule(request, pk):
    _recruiter_only(request)
    interview = _interview(request, pk)
    initial = {
        "starts_at": timezone.localtime(interview.starts_at) if interview.starts_at else None,
        "location": interview.location,
        "video_url": interview.video_url,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.reschedule_interview(
                interview=interview,
                starts_at=data["starts_at"],
                location=data["location"],
                video_url=data["video_url"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, "Rescheduled. Everyone is sent the new time.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("dashboard:interview", pk=interview.pk)
    return render(
        request,
        "dashboard/interview_reschedule.html",
        {
            "interview": interview,
            "application": interview.application,
            "posting": interview.application.posting,
            "form": form,
        },
    )


@staff_required
@require_POST
def cancel(request, pk):
    _recruiter_only(request)
    interview = _interview(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif services.cancel_interview(
        interview=interview, by=request.user, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, "Cancelled. Everyone invited is told.")
    else:
        messages.info(request, "This interview cannot be cancelled any more.")
    return redirect("dashboard:interview", pk=interview.pk)


@staff_required
@require_POST
def no_show(request, pk):
    _recruiter_only(request)
    interview = _interview(request, pk)
    try:
        if services.mark_no_show(interview=interview, by=request.user):
            messages.success(request, "Recorded: the candidate did not show up.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dashboard:interview", pk=interview.pk)
