"""The careers pages are cached for visitors, and every change to what they show expires them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from postings import cache as careers_cache
from postings.models import Location, Posting, Section, Team
from tests.factories import LocationFactory, PostingFactory

pytestmark = pytest.mark.django_db

CAREERS, POSTING = "/", "/jobs/backend-engineer/"


def warm(client, *paths):
    for path in paths:
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", [CAREERS, POSTING, CAREERS + "?team=core&page=1"])
def test_a_page_seen_once_is_served_again_without_touching_the_database(
    client, posting, path, django_assert_num_queries
):
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers come from the middleware on every response, cached or not.
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"


def test_each_query_string_is_its_own_page(client, posting):
    PostingFactory(title="Designer", teams=[Team.objects.create(name="Design", slug="design")])
    warm(client, CAREERS)
    filtered = client.get(CAREERS, {"team": "design"}).content.decode()
    assert "Designer" in filtered
    assert "Backend Engineer" not in filtered
    assert "Backend Engineer" in client.get(CAREERS).content.decode()


def test_editing_a_posting_shows_at_once_on_both_pages(client, posting):
    warm(client, CAREERS, POSTING)
    posting.title = "Backend Engineer, Payments"
    posting.save()
    assert "Backend Engineer, Payments" in client.get(CAREERS).content.decode()
    assert "Backend Engineer, Payments" in client.get(POSTING).content.decode()


def test_adding_a_team_to_a_posting_shows_at_once(client, posting):
    monetization = Team.objects.create(name="Monetization", slug="monetization")
    warm(client, CAREERS, POSTING, CAREERS + "?team=monetization")
    posting.teams.add(monetization)
    assert "Core and Monetization" in client.get(POSTING).content.decode()
    assert "Backend Engineer" in client.get(CAREERS, {"team": "monetization"}).content.decode()


def test_editing_a_section_shows_at_once(client, posting):
    warm(client, POSTING)
    section = posting.sections.get()
    section.body = "Build the payments ledger."
    section.save()
    assert "Build the payments ledger." in client.get(POSTING).content.decode()


def test_writes_that_send_no_signals_expire_the_pages_too(client, posting):
    # The dashboard's services write with update() and bulk_create(), which skip model signals.
    warm(client, CAREERS, POSTING)
    Posting.objects.filter(pk=posting.pk).update(title="Staff Backend Engineer")
    assert "Staff Backend Engineer" in client.get(CAREERS).content.decode()
    posting.sections.all().delete()
    Section.objects.bulk_create([Section(posting=posting, heading="On call", body="Rarely.")])
    html = client.get(POSTING).content.decode()
    assert "On call" in html
    assert "About the role" not in html


def test_renaming_a_team_or_changing_locations_shows_at_once(client, posting):
    warm(client, CAREERS, POSTING)
    Team.objects.filter(slug="core").update(name="Core Platform")
    assert "Core Platform" in client.get(CAREERS).content.decode()
    posting.locations.add(LocationFactory(city="Dublin", region="", country="IE"))
    assert "Dublin" in client.get(POSTING).content.decode()
    Location.objects.filter(city="Dublin").update(city="Cork")
    assert "Cork" in client.get(POSTING).content.decode()


def test_closing_a_posting_takes_it_off_at_once(client, posting):
    warm(client, CAREERS, POSTING)
    posting.status = Posting.Status.CLOSED
    posting.save()
    assert "Backend Engineer" not in client.get(CAREERS).content.decode()
    assert client.get(POSTING).status_code == 410


def test_pages_expire_when_an_open_posting_reaches_its_closing_date(
    client, posting, stored_timeouts
):
    posting.closes_at = timezone.now() + timedelta(seconds=25)
    posting.save()
    warm(client, CAREERS, POSTING)
    assert len(stored_timeouts) == 2
    assert all(20 <= timeout <= 25 for timeout in stored_timeouts)


def test_the_careers_page_expires_when_a_scheduled_posting_opens(client, posting, stored_timeouts):
    PostingFactory(title="Scheduled", published_at=timezone.now() + timedelta(seconds=15))
    warm(client, CAREERS)
    assert 10 <= stored_timeouts[0] <= 15
    assert "Scheduled" not in client.get(CAREERS).content.decode()


def test_without_closing_dates_pages_keep_for_the_cache_bound(client, posting, stored_timeouts):
    # Short with a per-process cache (other processes cannot expire it), longer with Redis.
    bound = careers_cache.LOCAL_MAX_AGE if careers_cache._local() else careers_cache.SHARED_MAX_AGE
    warm(client, CAREERS, POSTING)
    assert stored_timeouts == [bound] * 2


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_visitors_with_a_session_or_messages_are_never_served_a_cached_page(
    client, posting, cookie, django_assert_max_num_queries
):
    warm(client, CAREERS)
    client.cookies[cookie] = "anything"
    with django_assert_max_num_queries(10) as context:
        client.get(CAREERS)
    assert len(context.captured_queries) > 0


def test_a_signed_in_recruiter_sees_live_pages_and_leaves_nothing_in_the_cache(
    client, posting, recruiter, stored_timeouts
):
    client.force_login(recruiter)
    warm(client, CAREERS, POSTING)
    assert stored_timeouts == []


def test_pages_that_are_not_200_are_not_cached(client, posting, stored_timeouts):
    posting.status = Posting.Status.CLOSED
    posting.save()
    assert client.get(POSTING).status_code == 410
    assert client.get("/jobs/nope/").status_code == 404
    assert stored_timeouts == []


def test_an_unreachable_cache_serves_live_pages(client, posting, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(POSTING)
    assert response.status_code == 200
    assert "Backend Engineer" in response.content.decode()


def test_the_cache_and_its_expiry_work_on_redis(
    client, posting, redis_cache, django_assert_num_queries
):
    warm(client, POSTING)
    with django_assert_num_queries(0):
        assert client.get(POSTING).status_code == 200
    posting.title = "Backend Engineer (Redis)"
    posting.save()
    assert "Backend Engineer (Redis)" in client.get(POSTING).content.decode()


def test_with_redis_a_change_made_by_another_process_shows_at_once(
    client, posting, redis_cache, django_assert_num_queries
):
    # Each process also keeps pages in its own memory; the generation in Redis still rules.
    warm(client, POSTING)
    with django_assert_num_queries(0):
        client.get(POSTING)
    Posting.objects.filter(pk=posting.pk).update(title="Changed elsewhere")
    # What another process's changed() leaves in Redis: a generation this one never saw.
    cache.set(careers_cache.GENERATION_KEY, "another-process", timeout=None)
    assert "Changed elsewhere" in client.get(POSTING).content.decode()


def test_the_redis_backend_reuses_one_client_per_connection_pool(redis_cache):
    # Django's own makes a new client per operation, most of the cost of a cached page.
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("careers:probe", "value")
    assert cache.get("careers:probe") == "value"


def test_clearing_the_page_cache_leaves_the_rate_limits(client, posting, settings):
    settings.APPLY_ATTEMPT_LIMIT = 1
    apply_url = f"/jobs/{posting.slug}/apply/"
    assert client.post(apply_url, {}).status_code == 400
    cache.clear()
    assert client.post(apply_url, {}).status_code == 429
