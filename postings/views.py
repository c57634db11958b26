from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from postings import jsonld
from postings.cache import cache_for_visitors, revalidate_in_browsers
from postings.forms import PostingFilterForm
from postings.models import Posting

PAGE_SIZE = 20
FILTERS = ("q", "team", "location", "employment_type", "workplace")
# More pages than any careers site has; longer numbers are not worth parsing.
MAX_PAGE_DIGITS = 6


def _requested(query) -> dict[str, str]:
    """What the careers list reads from the query string: the last value of each filter and
    the page, stripped, empty ones left out, in one order. Page 1 is the page without a number.
    """
    values = {name: query.get(name, "").strip() for name in (*FILTERS, "page")}
    if values["page"] == "1":
        values["page"] = ""
    return {name: value for name, value in values.items() if value}


def _list_variant(request) -> str | None:
    requested = _requested(request.GET)
    if "q" in requested:
        return None  # Free-text searches vary without end: each is rendered, none is kept.
    return urlencode(requested)


def _canonical_filters(form: PostingFilterForm) -> dict[str, str]:
    """The filters that are valid, each spelled as the form itself would write it."""
    if not form.is_bound:
        return {}
    form.is_valid()
    canonical = {}
    for name in FILTERS:
        value = form.cleaned_data.get(name)
        if value not in (None, ""):
            canonical[name] = str(form.fields[name].prepare_value(value))
    return canonical


def _page_number(requested: str | None, num_pages: int) -> int | None:
    """The page asked for, if it exists; None for a page number that is not one of ours."""
    if requested is None:
        return 1
    if not requested.isdigit() or requested.startswith("0") or len(requested) > MAX_PAGE_DIGITS:
        return None
    number = int(requested)
    return number if number <= num_pages else None


@cache_for_visitors(variant=_list_variant)
def posting_list(request):
    requested = _requested(request.GET)
    filters = {name: value for name, value in requested.items() if name != "page"}
    form = PostingFilterForm(filters or None)
    postings = Posting.objects.open().for_listing()
    if form.is_bound:
        postings = form.filter(postings)
    paginator = Paginator(postings, PAGE_SIZE)
    number = _page_number(requested.get("page"), paginator.num_pages)
    if number is None:
        # Not a page we have: the first page of the same filters, never a new page to cache.
        return redirect(f"{request.path}?{urlencode(filters)}" if filters else request.path)
    page = paginator.page(number)
    response = render(
        request,
        "postings/posting_list.html",
        {"form": form, "page": page, "postings": page.object_list, "query": urlencode(filters)},
    )
    if _canonical_filters(form) != filters:
        # An unknown team, a location spelled "007": shown, but not kept under a key of its own.
        add_never_cache_headers(response)
    # Called only if the page is stored: a visitor with a session never pays for the query.
    response.cache_until = Posting.objects.next_change_at
    return response


def closed_posting(request, posting):
    """The page of a posting closed (or not yet published): 410, so that search engines drop
    it, and asked for again by browsers, so that it goes once the posting reopens."""
    response = render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
    revalidate_in_browsers(response)
    return response


@cache_for_visitors()
def posting_detail(request, slug):
    posting = (
        Posting.objects.prefetch_related("teams", "locations", "sections").filter(slug=slug).first()
    )
    if posting is None or posting.status == Posting.Status.DRAFT:
        raise Http404("No such posting")
    if not posting.is_open:
        return closed_posting(request, posting)
    # The canonical address, whatever Host or query string this request came with: the page
    # is cached once for all of them.
    url = f"{settings.SITE_URL}{posting.get_absolute_url()}"
    structured = jsonld.job_posting(posting, url=url)
    response = render(
        request,
        "postings/posting_detail.html",
        {"posting": posting, "jsonld": jsonld.as_script_content(structured)},
    )
    response.cache_until = posting.closes_at
    return response


# Pages of people (applicants' status and manage links) and of staff: never for a search
# engine, even when a link to one leaks onto the web.
ROBOTS_DISALLOW = ("/dashboard/", "/admin/", "/status/", "/my-applications/", "/accounts/")


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('postings:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
