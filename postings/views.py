from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from postings import jsonld
from postings.cache import cache_for_visitors
from postings.forms import PostingFilterForm
from postings.models import Posting

PAGE_SIZE = 20


@cache_for_visitors
def posting_list(request):
    form = PostingFilterForm(request.GET or None)
    postings = Posting.objects.open().for_listing()
    if form.is_bound:
        postings = form.filter(postings)
    page = Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "postings/posting_list.html",
        {"form": form, "page": page, "postings": page.object_list, "query": query.urlencode()},
    )
    # Called only if the page is stored: a visitor with a session never pays for the query.
    response.cache_until = Posting.objects.next_change_at
    return response


@cache_for_visitors
def posting_detail(request, slug):
    posting = (
        Posting.objects.select_related("team")
        .prefetch_related("locations", "sections")
        .filter(slug=slug)
        .first()
    )
    if posting is None or posting.status == Posting.Status.DRAFT:
        raise Http404("No such posting")
    if not posting.is_open:
        # Closed (or not yet published) postings answer 410 so search engines drop them.
        return render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
    structured = jsonld.job_posting(posting, url=request.build_absolute_uri())
    response = render(
        request,
        "postings/posting_detail.html",
        {"posting": posting, "jsonld": jsonld.as_script_content(structured)},
    )
    response.cache_until = posting.closes_at
    return response
