"""The fairness report: self-identified groups per stage and adverse impact, per posting.

For recruiters and admins only. Hiring managers and interviewers decide on the applications
these counts come from, so to them the pages are not there at all (a 404, as every
recruiters-only page). The report reads counts only (reports.fairness); no page links a count
to a person.
"""

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render

from dashboard.scope import can_manage_postings, staff_required
from postings.models import Posting
from reports import fairness, survey


def _recruiters_only(request):
    if not can_manage_postings(request.user):
        raise Http404("No such page.")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@staff_required
def fairness_index(request):
    refused = _recruiters_only(request)
    if refused:
        return refused
    return render(
        request,
        "dashboard/reports/fairness_index.html",
        {
            "postings": fairness.postings_with_answers(),
            "survey_on": survey.enabled(),
            "min_group": fairness.MIN_GROUP,
        },
    )


@staff_required
def fairness_posting(request, posting_pk):
    refused = _recruiters_only(request)
    if refused:
        return refused
    posting = get_object_or_404(Posting.objects.for_user(request.user), pk=posting_pk)
    return render(
        request,
        "dashboard/reports/fairness_posting.html",
        {
            "report": fairness.report(posting),
            "posting": posting,
            "min_group": fairness.MIN_GROUP,
            "threshold": fairness.FOUR_FIFTHS,
        },
    )
