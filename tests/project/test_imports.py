"""What a web worker imports: the project's WSGI application and its URLs, resolved as the
first request does, without the heavy packages only some requests or the tasks need (PDF,
calendars, encryption, and Celery until a task is queued). Each in a fresh interpreter, where
nothing earlier imported them."""

import json

import pytest

from tests.project.test_settings import STRONG_KEY, load_settings

# Packages a worker loads when a request needs them, never at start: together they weigh
# tens of megabytes in every worker.
LAZY = [
    "weasyprint",
    "pypdf",
    "icalendar",
    "caldav",
    "niquests",
    "cryptography",
    "lxml",
    "celery",
    "kombu",
    "markdown",
    "nh3",
    # A posting's salary is written when it is saved, not by the pages that show it.
    "babel",
]

IMPORTED = """
import json, sys
from ats.wsgi import application
from django.urls import resolve
for path in {paths!r}:
    resolve(path)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


@pytest.mark.parametrize(
    "paths",
    [
        ["/dashboard/postings/1/board/", "/dashboard/postings/1/export.csv"],
        ["/", "/jobs/backend-engineer/", "/jobs/backend-engineer/apply/"],
    ],
    ids=["dashboard", "careers"],
)
def test_a_web_worker_starts_without_the_packages_only_some_requests_need(paths):
    result = load_settings(
        IMPORTED.format(paths=paths),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert imported & set(LAZY) == set()
    assert {"django", "dashboard", "postings"} <= imported
