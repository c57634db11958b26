"""The trust review's attacks on the caches, items 6 and 7.

Without Redis, 320 page views with distinct query strings evicted the apply form's rate-limit
counters from the one local-memory cache and reset the limit; and 1,000 `?page=<uuid>` requests
(or as many Host ports) made 1,000 cached careers pages, in the Redis database the broker used.
"""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache, caches
from django.utils import timezone

from postings import cache as careers_cache
from postings.models import Posting
from tests.conftest import redis_url
from tests.factories import PostingFactory
from tests.postings.test_cache import CAREERS, POSTING, warm
from tests.project.test_settings import load_settings

pytestmark = pytest.mark.django_db


def stored_pages(prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url(offset=1))
    return sum(1 for _ in client.scan_iter(match=f"{prefix}:*careers:page:*"))


def test_what_a_visitor_varies_at_will_makes_no_new_pages(client, posting, redis_cache, settings):
    # Unknown page numbers, parameters no page reads, and the Host's port once made a page
    # each; 10 KB apiece, kept ten minutes, in the Redis the broker used too.
    for _ in range(100):
        assert client.get(CAREERS, {"page": uuid.uuid4()}).status_code == 302
    for port in range(8000, 8100):
        assert client.get(CAREERS, {"utm_source": uuid.uuid4()}).status_code == 200
        page = client.get(POSTING, {"ref": uuid.uuid4()}, HTTP_HOST=f"testserver:{port}")
        assert page.status_code == 200
    assert stored_pages(settings.CACHES["default"]["KEY_PREFIX"]) == 2


def test_an_unknown_page_number_redirects_to_the_first_page_of_the_same_filters(client, posting):
    for page in ["abc", "0", "-1", "01", "2", "99999999999999999999", str(uuid.uuid4())]:
        response = client.get(CAREERS, {"team": "core", "page": page})
        assert response.status_code == 302, page
        assert response["Location"] == "/?team=core"
    assert client.get(CAREERS, {"page": "2"})["Location"] == "/"
    first = client.get(CAREERS, {"team": "core", "page": "1"})
    assert first.status_code == 200
    assert "Backend Engineer" in first.content.decode()


def test_pages_for_filter_values_the_site_does_not_hold_are_shown_but_never_stored(
    client, posting, stored_timeouts
):
    unknown = client.get(CAREERS, {"team": uuid.uuid4(), "workplace": "on-the-moon"})
    assert unknown.status_code == 200
    assert "No open roles match" in unknown.content.decode()
    # A real location, spelled as no link on the site spells it.
    location = posting.locations.get()
    odd = client.get(CAREERS, {"location": f"00{location.pk}"})
    assert "Backend Engineer" in odd.content.decode()
    assert "no-store" in odd["Cache-Control"]
    assert stored_timeouts == []
    client.get(CAREERS, {"location": location.pk})
    # A per-process cache (no Redis) keeps every page for less than a filtered page's limit.
    limit = careers_cache.LOCAL_MAX_AGE if careers_cache._local() else careers_cache.SHARED_MAX_AGE
    assert stored_timeouts == [min(limit, careers_cache.FILTERED_MAX_AGE)]


def test_searches_are_rendered_each_time_and_never_stored(client, posting, stored_timeouts):
    for word in ["backend", "engineer", "backend"]:
        assert "Backend Engineer" in client.get(CAREERS, {"q": word}).content.decode()
    assert stored_timeouts == []


def test_a_page_is_rendered_from_the_parameters_of_its_key_alone(client, posting):
    # Two requests that share a cached page must be shown the same page: parameters the key
    # leaves out never reach the page, and a repeated parameter counts once, everywhere.
    PostingFactory.create_batch(25, teams=posting.teams.all())
    first = client.get(CAREERS, {"team": "core", "page": "2", "utm_source": "evil"}).content
    again = client.get("/?team=other&team=core&page=2&q=&utm_source=elsewhere").content
    assert first == again
    assert b"evil" not in first
    assert b'href="?team=core&amp;page=1"' in first


def test_the_posting_page_names_its_canonical_address_whatever_the_host(client, posting, settings):
    settings.SITE_URL = "https://jobs.example.com"
    html = client.get(POSTING, {"utm_source": "x"}, HTTP_HOST="localhost:8001").content.decode()
    assert '"url": "https://jobs.example.com/jobs/backend-engineer/"' in html


def test_a_host_not_allowed_gets_a_400_even_for_a_cached_page(client, posting):
    warm(client, CAREERS, POSTING)
    assert client.get(POSTING, HTTP_HOST="evil.example.com").status_code == 400
    assert client.get(CAREERS, HTTP_HOST="evil.example.com").status_code == 400


def caches_without_redis() -> dict:
    """CACHES as the settings build them when no REDIS_URL is set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import json, ats.settings as s; print(json.dumps(s.CACHES))"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_redis_page_traffic_never_evicts_the_rate_limits(client, posting, settings):
    # With one local-memory cache for both, 320 pages pushed the apply form's counters out and
    # the limit started again from zero.
    settings.CACHES = caches_without_redis()
    cache.clear()
    caches["ratelimit"].clear()
    # Attempts, failed ones too, count against the looser of the two apply limits.
    settings.APPLY_ATTEMPT_LIMIT = 2
    apply_url = f"/jobs/{posting.slug}/apply/"
    for _ in range(2):
        assert client.post(apply_url, {}).status_code == 400
    roles = Posting.objects.bulk_create(
        Posting(
            title=f"Role {i}",
            slug=f"role-{i}",
            status="open",
            published_at=timezone.now() - timedelta(days=1),
        )
        for i in range(320)
    )
    for role in roles:
        assert client.get(f"/jobs/{role.slug}/").status_code == 200
    assert len(cache._cache) < len(roles)  # the page cache was full and evicted pages
    assert client.post(apply_url, {}).status_code == 429


WRITE_TO_EACH_STORE = """
import django
django.setup()
from django.core.cache import cache
from ats import ratelimit
from ats.celery import app
cache.set("careers:probe", "page")
ratelimit.hit("probe", "203.0.113.9", limit=1, window=60)
app.send_task("probe.task", queue="probe-queue")
"""


def test_the_cache_rate_limits_and_broker_write_to_separate_redis_databases(redis_available):
    import redis

    # Databases of this test's own on the shared Redis: 12 for the broker, 13 and 14 after it.
    broker_url = urlparse(redis_available)._replace(path="/12").geturl()
    clients = [
        redis.Redis.from_url(urlparse(broker_url)._replace(path=f"/{n}").geturl())
        for n in (12, 13, 14)
    ]
    for client in clients:
        client.flushdb()
    try:
        result = load_settings(
            WRITE_TO_EACH_STORE,
            REDIS_URL=broker_url,
            DJANGO_SETTINGS_MODULE="ats.settings",
            DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        )
        assert result.returncode == 0, result.stderr
        broker, pages, limits = ({key.decode() for key in c.keys("*")} for c in clients)
        assert "probe-queue" in broker
        assert not any(key.startswith("ats:") for key in broker)
        assert pages == {"ats:1:careers:probe"}
        assert len(limits) == 1 and limits.pop().startswith("ats:1:ratelimit:probe:203.0.113.9:")
    finally:
        for client in clients:
            client.flushdb()
