"""Health endpoints for load balancers and orchestrators."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ats import storage


@require_GET
@never_cache
def healthz(request):
    """Liveness: the process answers. No I/O, so a slow database never restarts workers."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Readiness: the database answers a query, Redis (when configured) a ping, and private
    storage can be used: a HEAD of the bucket, or the local directory writable."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
            checks["redis"] = "ok"
        except redis.RedisError as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    checks["storage"] = storage.check()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def bad_request(request, exception=None):
    """A 400 that says what was wrong, in words an applicant understands."""
    reason = None
    if isinstance(exception, TooManyFilesSent):
        reason = "The form sent too many files. Attach one resume and submit again."
    elif isinstance(exception, TooManyFieldsSent):
        reason = "The form sent too many fields. Reload the page and submit again."
    elif isinstance(exception, RequestDataTooBig):
        reason = "The form sent more text than we accept. Shorten your answers and try again."
    return render(request, "400.html", {"reason": reason}, status=400)
