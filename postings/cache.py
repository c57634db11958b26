"""A cache of the careers pages (the list of open roles, and each posting) for visitors.

Pages are stored under a *generation*: a random token kept in the cache, which any change to
what these pages show replaces (`changed()`), so that every page renders afresh afterwards.
Model signals call it for saves, deletes and changes of a posting's locations and teams
(connected in apps.py); the `CareersQuerySet` of those models calls it for `update()` and bulk
writes, which send no signals. A page also expires by itself when an open posting reaches its
closing date or a scheduled one its publication date: its timeout ends at the next such moment.

Views opt in with @cache_for_visitors; CareersPageCacheMiddleware serves and stores their
pages. Only requests without a session or messages cookie are served from the cache and stored
in it: everything a visitor without a session sees is the same for everyone, and these pages
render no CSRF token. A response that sets a cookie or says no-store is never stored.

A page is stored under its path and its *variant*: the query parameters the view reads, in one
spelling (the view's `variant` function), never the raw query string, the Host or the scheme,
which a visitor can vary without end. The view renders from those same parameters only, and
marks a page whose parameters are not valid and canonical no-store, so the number of pages
kept is bounded by what the site holds, not by what visitors send.

With Redis the cache, and so the generation, is shared by every process. With the default
local-memory cache each process has its own: a change made in one process reaches the pages
cached by another only once they expire, LOCAL_MAX_AGE seconds at most.
"""

import hashlib
import logging
import math
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.db import models, transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "careers:generation"
SHARED_MAX_AGE = 600
LOCAL_MAX_AGE = 30
# Filtered pages are many and seldom asked for twice; keep each one briefly.
FILTERED_MAX_AGE = 60
MAX_QUERY_STRING = 300

Variant = Callable[..., str | None]

# With a shared cache, each process also keeps the pages it serves in its own memory, under the
# same keys (which hold the generation): a hit then reads only the small generation from Redis,
# not the page, a second round trip and most of the time of a cached page.
_process_pages = LocMemCache("careers-pages", {"OPTIONS": {"MAX_ENTRIES": 500}})


def changed(action: str | None = None, **_signal_kwargs) -> None:
    """Expire every cached careers page. Usable as a signal receiver.

    Once now, and again when the transaction commits: a page rendered between the two from
    rows not yet committed would otherwise stay cached under the new generation.
    """
    if action and not action.startswith("post_"):
        return  # m2m_changed: its pre_add, pre_remove and pre_clear change nothing yet.
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Could not expire the careers page cache", exc_info=True)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Random rather than a counter, so a generation lost from the cache never comes back.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


class CareersQuerySet(models.QuerySet):
    """Writes that bypass model signals still expire the cached careers pages."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            changed()
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        if created:
            changed()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        if rows:
            changed()
        return rows

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            changed()
        return deleted


def _local() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _allowed_host(request) -> bool:
    """The pages do not depend on the Host, but a request for a host not in ALLOWED_HOSTS must
    still get Django's 400, never a cached page."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        and _allowed_host(request)
    )


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in cache_control
        and "private" not in cache_control
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and getattr(request, "_csp_nonce", None) is None  # a nonce is good for one response
    )


def _key(request, variant: str, generation: str) -> str:
    htmx = "htmx" if request.headers.get("HX-Request") == "true" else ""
    parts = "\n".join([request.path, variant, htmx])
    return f"careers:page:{generation}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _timeout(variant: str, response) -> int:
    seconds = LOCAL_MAX_AGE if _local() else SHARED_MAX_AGE
    if set(QueryDict(variant)) - {"page"}:
        seconds = min(seconds, FILTERED_MAX_AGE)
    until = getattr(response, "cache_until", None)
    if callable(until):
        until = until()
    if until is not None:
        seconds = min(seconds, math.floor((until - timezone.now()).total_seconds()))
    return seconds


def revalidate_in_browsers(response) -> None:
    """A browser may keep a careers page but must ask again before showing it: a posting
    that closes, reopens or changes shows at once. Without a Cache-Control of its own, a 410
    (the page of a closed posting) is one a browser may reuse for as long as it likes."""
    patch_cache_control(response, max_age=0, must_revalidate=True)


def no_variant(request) -> str:
    """For a page that reads no query parameter: every query string gets the same page."""
    return ""


def cache_for_visitors(*, variant: Variant = no_variant):
    """Mark the view's pages for the cache (CareersPageCacheMiddleware serves and stores them).

    `variant(request)` returns the query parameters the page reads, validated only as far as
    it can be without the database and in one spelling, as a query string; or None when the
    page is not to be cached (a free-text search). It must not touch the database: cached pages
    are found with it. The view renders from those parameters alone, and marks its response
    no-store when they turn out invalid or not in their canonical spelling.

    The view may set `response.cache_until` to the moment its page stops being true, or to a
    function returning it (called only when the page is stored).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = page_variant = None
            if _cacheable_request(request):
                # The generation is read before the view reads the database, never after: a
                # page rendered from rows older than its generation could outlive a change.
                key = getattr(request, "_careers_cache_key", None)
                page_variant = variant(request)
                if key is None and page_variant is not None:
                    try:
                        key = _key(request, page_variant, _generation())
                    except Exception:
                        logger.warning("Careers page cache unavailable", exc_info=True)
            response = view(request, *args, **kwargs)
            revalidate_in_browsers(response)
            if key:
                response.careers_cache_key = key
                response.careers_cache_variant = (variant, page_variant)
            return response

        return wrapped

    return decorator


# The paths this process has stored a page for, with the variant function of their view: only
# these are looked up, so that other pages (the dashboard, the admin, static files) never pay
# for a cache round trip.
_known_paths: dict[str, Variant] = {}
KNOWN_PATHS_MAX = 20_000


class CareersPageCacheMiddleware:
    """Serve cached careers pages before the rest of the middleware runs, and store them, with
    the headers the rest of the middleware gave them, on the way out.

    Sits right after SecurityMiddleware and WhiteNoise: a cached page then skips sessions,
    CSRF, authentication, messages and URL resolving, most of what it used to cost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        variant = _known_paths.get(request.path)
        page_variant = variant(request) if variant else None
        if page_variant is not None:
            hit = None
            try:
                key = request._careers_cache_key = _key(request, page_variant, _generation())
                hit = None if _local() else _process_pages.get(key)
                if hit is None:
                    hit = cache.get(key)
                    if hit is not None and not _local():
                        _process_pages.set(key, hit, hit[2] - time.time())
            except Exception:
                logger.warning("Careers page cache unavailable", exc_info=True)
            if hit is not None:
                content, headers, _expires = hit
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        key = getattr(response, "careers_cache_key", None)
        if key and _cacheable_response(request, response):
            self._store(request, response, key)
        return response

    def _store(self, request, response, key) -> None:
        variant, page_variant = response.careers_cache_variant
        timeout = _timeout(page_variant, response)
        if timeout < 1:
            return
        page = (response.content, list(response.items()), time.time() + timeout)
        try:
            cache.set(key, page, timeout)
        except Exception:
            logger.warning("Careers page cache unavailable", exc_info=True)
            return
        if not _local():
            _process_pages.set(key, page, timeout)
        if len(_known_paths) >= KNOWN_PATHS_MAX:
            _known_paths.clear()
        _known_paths[request.path] = variant
