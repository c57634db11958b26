"""The global search: applications across the postings the user may see, best match first."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from applications.models import Application
from dashboard.forms_search import SearchForm
from dashboard.scope import staff_required
from postings.models import Posting
from search import queries
from sourcing.reads import attach_tags

PER_PAGE = 20


@staff_required
def search(request):
    """Recruiters search every posting, hiring managers their own postings' applications.
    Interviewers reach candidates only through the interviews they sit on, and the index
    holds private notes: for them, as every board, a 404.

    Queries, whatever the number of results: the posting and stage choices, the count, the
    page of results with their candidates, postings and stages, their tags, their snippets.
    """
    profile = getattr(request.user, "profile", None)
    if profile is not None and profile.is_interviewer:
        raise Http404("No search here.")
    form = SearchForm(request.GET or None, postings=Posting.objects.for_user(request.user))
    context = {"form": form, "rank_limit": queries.RANK_LIMIT}
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        applications = form.filter(Application.objects.for_user(request.user).active())
        page = Paginator(queries.ranked(applications, query), PER_PAGE).get_page(
            request.GET.get("page")
        )
        results = list(page.object_list)
        attach_tags([document.application for document in results])
        snippets = queries.snippets([document.pk for document in results], query)
        for document in results:
            document.snippet = queries.marked_html(snippets.get(document.pk, ""))
        params = request.GET.copy()
        params.pop("page", None)
        context |= {
            "searched": True,
            "page": page,
            "results": results,
            "query": params.urlencode(),
        }
    return render(request, "dashboard/search.html", context)
