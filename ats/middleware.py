import functools
import logging
import time

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import request_finished, setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from ats import logs
from ats.log_redaction import redact

request_log = logging.getLogger("ats.request")


class RequestLogMiddleware:
    """One line per request (method, path with secret tokens redacted, status, time, user id),
    under a request id that the response returns in X-Request-ID and the request's tasks carry.

    First in the chain, so that the line also covers answers from the page cache and refusals
    of the middleware below it. The time is until the response is handed to the server: a
    streamed body (the CSV export) goes on after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = logs.request_id_from(request.headers.get(logs.HEADER))
        # Not reset when this returns: Django logs a 4xx or 5xx after the middleware, and a
        # streamed body runs later still. request_finished clears it (below).
        logs.REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[logs.HEADER] = request_id
            return response
        finally:
            user = getattr(request, "user", None)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": redact(request.path),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )


@receiver(request_finished)
def _end_of_request(**kwargs):
    # The thread serves another request next; nothing it logs in between is this one's.
    logs.REQUEST_ID.set("")


class RequestSizeLimitMiddleware:
    """Refuse oversized uploads from their Content-Length, before any of the body is read.

    Must sit before CsrfViewMiddleware, which would otherwise parse the body first, and after
    the middleware that set the security headers, which its 413 needs like any page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.APPLY_MAX_REQUEST_BYTES:
            response = render(
                request,
                "413.html",
                {"limit_mb": settings.RESUME_MAX_BYTES // 1_048_576},
                status=413,
            )
            # We did not read the body; the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site-wide header built once rather than on every
    response: building it took a quarter of the time of a cached careers page. Responses that
    change the policy (csp_update, csp_replace, csp_exempt, a nonce) go django-csp's way."""

    PER_RESPONSE = [
        f"_csp_{kind}{suffix}"
        for kind in ("config", "update", "replace", "exempt")
        for suffix in ("", "_ro")
    ]

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) for name in self.PER_RESPONSE)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            )
        ):
            return super().process_response(request, response)
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        policy = site_policy()
        if policy and not debug_page and csp.constants.HEADER not in response:
            response[csp.constants.HEADER] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def site_policy() -> str:
    return csp.utils.build_policy()


@receiver(setting_changed)
def _forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


class StaffTimeZoneMiddleware:
    """Show a staff user every time in their profile's time zone; everyone else sees UTC
    unless a page picks a zone itself (the status page uses the applicant's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
        if profile is not None:
            timezone.activate(profile.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
