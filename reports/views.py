"""The applicant's voluntary self-identification survey, reached from their status page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from applications.models import Application
from ats import ratelimit
from reports import applicant, services, survey
from reports.forms import SurveyForm

# Per status link, like the answers to an offer: a person changing their mind a few times
# is never stopped, a script posting to one link is.
ANSWER_LIMIT, ANSWER_WINDOW = 20, 3600


def _application(token) -> Application:
    return get_object_or_404(
        Application.objects.select_related("posting", "stage", "candidate").filter(
            erased_at__isnull=True
        ),
        status_token=token,
    )


def _private(response):
    # As the status page: the URL is the secret, kept out of other sites' referrer logs.
    response["Referrer-Policy"] = "same-origin"
    return response


def _render(request, application, form, *, status=200, error=""):
    return _private(
        render(
            request,
            "reports/survey.html",
            {
                "application": application,
                "posting": application.posting,
                "form": form,
                "error": error,
                "introduction": survey.INTRODUCTION,
                "answered": applicant.response_of(application) is not None,
            },
            status=status,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request, token):
    application = _application(token)
    if not survey.enabled():
        raise Http404("No survey")
    if not services.can_answer(application):
        messages.info(request, "The voluntary survey is closed for this application.")
        return redirect("applications:status", token=token)
    questions = survey.asked()
    if request.method == "GET":
        response = applicant.response_of(application)
        initial = response.answers() if response else {}
        return _render(request, application, SurveyForm(questions=questions, initial=initial))

    if not ratelimit.hit("eeo-survey", token, limit=ANSWER_LIMIT, window=ANSWER_WINDOW):
        return _render(
            request,
            application,
            SurveyForm(questions=questions),
            status=429,
            error="Too many answers in the last hour: please try again later.",
        )
    action = request.POST.get("action", "save")
    if action == "skip":
        messages.info(request, "Nothing was recorded. You can answer later from this page.")
        return redirect("applications:status", token=token)
    form = SurveyForm(request.POST, questions=questions)
    if action != "remove" and not form.is_valid():
        return _render(request, application, form, status=400)
    try:
        if action == "remove":
            services.remove_answers(application=application)
            messages.success(request, "Your survey answers were removed.")
        elif services.save_answers(application=application, answers=form.cleaned_data):
            messages.success(
                request, "Thank you: your answers were saved, apart from your application."
            )
        else:
            messages.info(request, "Nothing was recorded: you left every question unanswered.")
    except services.SurveyClosed:
        messages.info(request, "The voluntary survey is closed for this application.")
    return redirect("applications:status", token=token)
