"""Where an applicant came from, carried from the page they landed on to their submission.

The landing page (a posting, the list of roles, or the form itself) is the one that sees the
link's utm_* parameters and the other site in its Referer; the submission, several pages later,
sees neither. So the first landing that has either leaves a short-lived first-party cookie
holding the checked values, signed, and the submission reads it.

The careers pages are cached for visitors (postings/cache.py): this middleware sits outside
that cache, so it sets the cookie on a page served from the cache as on one rendered afresh,
and the stored page never holds one visitor's cookie. The response that sets the cookie is
marked private, so no shared cache downstream keeps it either.
"""

import contextlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import DisallowedHost, ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.cache import patch_cache_control

from applications.services import Source

COOKIE_NAME = "ats_source"
COOKIE_SALT = "applications.source"
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
UTM_MAX = 100
# A browser sends only the other site's origin unless that site asks otherwise; a longer
# address is cut to its origin.
REFERRER_MAX = 500
_check_url = URLValidator(schemes=["http", "https"])


def _utm(value: str) -> str:
    return UNPRINTABLE.sub("", value).strip()[:UTM_MAX]


def _own_hosts(request) -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    with contextlib.suppress(DisallowedHost):
        hosts.add(request.get_host().rsplit(":", 1)[0].lower())
    return hosts - {""}


def external_referrer(request) -> str:
    """The Referer, if it is a web address on another site; "" for our own pages or junk."""
    referrer = UNPRINTABLE.sub("", request.META.get("HTTP_REFERER", "")).strip()
    try:
        parts = urlsplit(referrer)
        _check_url(referrer)
    except (ValueError, ValidationError):
        return ""
    if (parts.hostname or "").lower() in _own_hosts(request):
        return ""
    if len(referrer) > REFERRER_MAX:
        referrer = f"{parts.scheme}://{parts.netloc}/"[:REFERRER_MAX]
    return referrer


def from_request(request) -> Source:
    """The source this request itself shows: its utm_* parameters and an external Referer."""
    params = request.GET
    return Source(
        utm_source=_utm(params.get("utm_source", "")),
        utm_medium=_utm(params.get("utm_medium", "")),
        utm_campaign=_utm(params.get("utm_campaign", "")),
        referrer=external_referrer(request),
    )


def from_cookie(request) -> Source | None:
    """The source kept by the landing page, if its cookie is ours and still fresh."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None
    try:
        kept = signing.loads(value, salt=COOKIE_SALT, max_age=settings.APPLY_SOURCE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(kept, list) or len(kept) != 4 or not all(isinstance(v, str) for v in kept):
        return None
    utm_source, utm_medium, utm_campaign, referrer = kept
    return Source(
        utm_source=_utm(utm_source),
        utm_medium=_utm(utm_medium),
        utm_campaign=_utm(utm_campaign),
        referrer=referrer[:REFERRER_MAX],
    )


def for_submission(request) -> Source:
    """Where the person came from: what their landing page kept, else what this request shows
    (a browser that refuses cookies still has the form's own address and Referer)."""
    return from_cookie(request) or from_request(request)


def forget(response) -> None:
    """Once an application is in, its source is spent: the next one starts afresh."""
    response.delete_cookie(COOKIE_NAME, samesite="Lax")


class SourceCookieMiddleware:
    """Keep the first landing's source in a cookie. Placed before the careers page cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._careers_prefixes = None

    def _on_careers_site(self, path: str) -> bool:
        if self._careers_prefixes is None:
            home = reverse("postings:list")
            jobs = reverse("postings:detail", args=["x"]).rsplit("x/", 1)[0]
            self._careers_prefixes = (home, jobs)
        home, jobs = self._careers_prefixes
        return path == home or path.startswith(jobs)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and COOKIE_NAME not in request.COOKIES
            and self._on_careers_site(request.path)
        ):
            source = from_request(request)
            if any((source.utm_source, source.utm_medium, source.utm_campaign, source.referrer)):
                self._keep(response, source)
        return response

    @staticmethod
    def _keep(response, source: Source) -> None:
        value = signing.dumps(
            [source.utm_source, source.utm_medium, source.utm_campaign, source.referrer],
            salt=COOKIE_SALT,
            compress=True,
        )
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=settings.APPLY_SOURCE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        patch_cache_control(response, private=True)
