"""The yardstick: a bare Django view, served by gunicorn exactly as the project is.

    gunicorn benchmarks.bare:application --workers 2

No database, no middleware, no template: one view returning a short HTML page. Every page's
throughput in `make bench` is given as a ratio to this one's.
"""

import os

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
        ALLOWED_HOSTS=os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1").split(","),
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAGE = b"<!doctype html><html><head><title>Bare</title></head><body><p>Hello.</p></body></html>"


def bare(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", bare)]

application = get_wsgi_application()
