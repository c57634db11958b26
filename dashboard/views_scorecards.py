"""Scorecards and "your interviews": the pages of everyone who sits on interviews.

An interview is looked up through the user's scope (dashboard.scope.get_interview): the
applications they may see, or for an interviewer only the interviews they sit on. What of the
application and of the others' feedback they then see is interviews.policy's answer.
"""

from csp.decorators import csp_replace
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from applications.models import Answer
from applications.views import resume_file_response
from dashboard.forms_scorecards import ScorecardForm
from dashboard.scope import get_interview, staff_required
from dashboard.views_pipeline import PDF, resume_of
from interviews import scorecards
from interviews.models import Interview, InterviewerSeat, Scorecard
from interviews.policy import FeedbackPolicy

# Rows per list of "your interviews": a fixed page, so its cost never grows with the history.
UPCOMING, DUE = 50, 50


def _interview_for(request, pk) -> Interview:
    return get_interview(
        request.user,
        pk,
        Interview.objects.select_related(
            "step",
            "application__candidate",
            "application__posting",
            "application__stage",
            "application__resume",
        ),
    )


def _scorecard_context(request, interview, *, form=None) -> dict:
    application = interview.application
    policy = FeedbackPolicy(request.user)
    writing = policy.writing(interview)
    attributes = list(interview.step.attributes.all())
    if form is None:
        form = ScorecardForm(attributes=attributes, scorecard=writing.scorecard)
    notes = application.notes.select_related("author")
    if not policy.sees_private_notes(application):
        notes = notes.filter(private=False)
    resume = getattr(application, "resume", None)
    return {
        "interview": interview,
        "application": application,
        "step": interview.step,
        "attributes": attributes,
        "writing": writing,
        "form": form,
        "others": policy.others_feedback(application),
        "sees_others": policy.sees_others_feedback(application),
        "answers": list(Answer.objects.filter(application=application).select_related("question")),
        "notes": list(notes),
        "resume": resume,
        "resume_is_pdf": bool(resume and resume.content_type == PDF),
    }


@staff_required
def scorecard(request, pk):
    """The candidate as an interviewer needs them, the step's guidance, and the form:
    a draft saved as one types, submitted, edited within the window, then amended."""
    interview = _interview_for(request, pk)
    if request.method != "POST":
        return render(request, "dashboard/scorecard.html", _scorecard_context(request, interview))
    attributes = list(interview.step.attributes.all())
    form = ScorecardForm(request.POST, attributes=attributes)
    action = request.POST.get("action", "save")
    if not form.is_valid():
        messages.error(request, "The scorecard was not saved: check the fields marked below.")
        return _rerender(request, interview, form)
    feedback = form.feedback()
    try:
        if action == "submit":
            scorecards.submit(interview=interview, interviewer=request.user, feedback=feedback)
            text = "Scorecard submitted. Thank you."
        elif action in ("edit", "amend"):
            mine = Scorecard.objects.filter(interview=interview, interviewer=request.user).first()
            if mine is None:
                raise scorecards.ScorecardRefused("There is no submitted scorecard to change.")
            if action == "edit":
                scorecards.edit(scorecard=mine, by=request.user, feedback=feedback)
                text = "Your changes are saved."
            else:
                scorecards.amend(
                    scorecard=mine,
                    by=request.user,
                    feedback=feedback,
                    reason=form.cleaned_data["reason"],
                )
                text = "Amendment recorded."
        else:
            scorecards.save_draft(interview=interview, interviewer=request.user, feedback=feedback)
            text = "Draft saved."
    except scorecards.ScorecardRefused as exc:
        messages.error(request, str(exc))
        return _rerender(request, interview, form)
    messages.success(request, text)
    return redirect("dashboard:scorecard", pk=interview.pk)


def _rerender(request, interview, form):
    context = _scorecard_context(request, interview, form=form)
    return render(request, "dashboard/scorecard.html", context, status=400)


@staff_required
@require_POST
def scorecard_autosave(request, pk):
    """htmx posts the draft form here as the interviewer types; the answer is a status line."""
    interview = _interview_for(request, pk)
    form = ScorecardForm(request.POST, attributes=interview.step.attributes.all())
    saved, message = False, ""
    if not form.is_valid():
        message = "Not saved yet: check the fields marked when you save."
    else:
        try:
            scorecards.save_draft(
                interview=interview, interviewer=request.user, feedback=form.feedback()
            )
            saved = True
        except scorecards.ScorecardRefused as exc:
            message = str(exc)
    return render(
        request,
        "dashboard/_autosave_status.html",
        {"saved": saved, "message": message, "at": timezone.now()},
    )


def _interview_resume(request, pk):
    interview = get_interview(
        request.user, pk, Interview.objects.select_related("application__resume")
    )
    return resume_of(interview.application)


@staff_required
def resume_download(request, pk):
    return resume_file_response(_interview_resume(request, pk), as_attachment=True)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@staff_required
def resume_inline(request, pk):
    """The PDF, for the scorecard page's frame, reached through the interview."""
    resume = _interview_resume(request, pk)
    if resume.content_type != PDF:
        raise Http404("Only PDF resumes are shown inline.")
    return resume_file_response(resume, as_attachment=False)


@staff_required
def my_interviews(request):
    """Upcoming interviews and scorecards due, for whoever sits on interviews: a fixed number
    of queries however many there are."""
    now = timezone.now()
    seats = InterviewerSeat.objects.filter(
        user=request.user, interview__status=Interview.Status.SCHEDULED
    ).select_related(
        "interview__step", "interview__application__posting", "interview__application__stage"
    )
    upcoming = seats.filter(interview__ends_at__gt=now).order_by("interview__starts_at", "pk")
    mine = Scorecard.objects.filter(interview_id=OuterRef("interview_id"), interviewer=request.user)
    due = (
        seats.filter(interview__ends_at__lte=now)
        .exclude(Exists(mine.submitted()))
        .annotate(has_draft=Exists(mine))
        .order_by("interview__ends_at", "pk")
    )
    return render(
        request,
        "dashboard/my_interviews.html",
        {
            "upcoming": list(upcoming[:UPCOMING]),
            "upcoming_total": upcoming.count(),
            "due": list(due[:DUE]),
            "due_total": due.count(),
        },
    )
