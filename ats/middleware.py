from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """Refuse oversized uploads from their Content-Length, before any of the body is read.

    Must sit before CsrfViewMiddleware, which would otherwise parse the body first.
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
