import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from postings.models import Posting, Section
from tests.factories import LocationFactory, PostingFactory, TeamFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [p.title for p in response.context["postings"]]


def test_careers_page_lists_open_postings_only(client, posting):
    PostingFactory(title="Draft role", status=Posting.Status.DRAFT, published_at=None)
    PostingFactory(title="Closed role", status=Posting.Status.CLOSED)
    PostingFactory(title="Expired role", closes_at=timezone.now() - timedelta(hours=1))
    PostingFactory(title="Future role", published_at=timezone.now() + timedelta(days=3))
    response = client.get("/")
    assert response.status_code == 200
    assert titles(response) == ["Backend Engineer"]
    assert "$118,938 – $244,872 USD per year" in response.content.decode()


def test_filters_by_team_location_type_and_workplace(client, posting):
    dublin = LocationFactory(city="Dublin", region="", country="IE")
    PostingFactory(
        title="Designer",
        teams=[TeamFactory(name="Design", slug="design")],
        locations=[dublin],
        employment_type=Posting.EmploymentType.CONTRACT,
        workplace_type=Posting.WorkplaceType.REMOTE,
    )
    assert titles(client.get("/", {"team": "design"})) == ["Designer"]
    assert titles(client.get("/", {"location": dublin.pk})) == ["Designer"]
    assert titles(client.get("/", {"employment_type": "contract"})) == ["Designer"]
    assert titles(client.get("/", {"workplace": "hybrid"})) == ["Backend Engineer"]
    assert titles(client.get("/", {"team": "core", "workplace": "remote"})) == []


def test_a_posting_on_two_teams_is_listed_under_each_and_names_both(client, posting):
    posting.teams.add(TeamFactory(name="Monetization", slug="monetization"))
    assert titles(client.get("/", {"team": "core"})) == ["Backend Engineer"]
    assert titles(client.get("/", {"team": "monetization"})) == ["Backend Engineer"]
    assert "Core and Monetization" in client.get("/").content.decode()
    page = client.get("/jobs/backend-engineer/").content.decode()
    assert "<dt>Teams</dt><dd>Core and Monetization</dd>" in page
    assert "on the Core and Monetization teams at" in page
    # Listed once, not once per team, when a search joins through both.
    assert titles(client.get("/", {"q": "monetization"})) == ["Backend Engineer"]


def test_unknown_filter_values_show_nothing_rather_than_failing(client, posting):
    response = client.get("/", {"team": "nope", "location": "abc"})
    assert response.status_code == 200
    assert titles(response) == []


def test_search_matches_title_team_city_and_description(client, posting):
    Section.objects.create(posting=posting, heading="Stack", body="We use Kafka heavily.")
    PostingFactory(title="Recruiter", teams=[TeamFactory(name="People", slug="people")])
    assert titles(client.get("/", {"q": "backend"})) == ["Backend Engineer"]
    assert titles(client.get("/", {"q": "people"})) == ["Recruiter"]
    assert titles(client.get("/", {"q": "kafka"})) == ["Backend Engineer"]
    assert set(titles(client.get("/", {"q": "francisco"}))) == {"Backend Engineer", "Recruiter"}


def test_careers_page_paginates(client):
    PostingFactory.create_batch(25)
    first = client.get("/")
    assert len(first.context["postings"]) == 20
    second = client.get("/", {"page": 2})
    assert len(second.context["postings"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_posting_page_shows_what_an_applicant_needs(client, posting):
    Section.objects.create(posting=posting, heading="Responsibilities", body="- Build **APIs**")
    response = client.get("/jobs/backend-engineer/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        '<h1 class="h2 mb-2">Backend Engineer</h1>',
        "Core",
        "San Francisco, CA, US",
        "$118,938 – $244,872 USD per year",
        "US-based applicants only.",
        "Equity</dt><dd>Offered",
        "Relocation assistance</dt><dd>Not provided",
        "<li>Build <strong>APIs</strong></li>",
        'href="/jobs/backend-engineer/apply/"',
    ]:
        assert text in html


def test_markdown_cannot_inject_html(client, posting):
    Section.objects.create(
        posting=posting, heading="Evil", body="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    html = client.get("/jobs/backend-engineer/").content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def jsonld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def test_job_posting_structured_data_field_by_field(client, posting):
    posting.closes_at = timezone.make_aware(timezone.datetime(2031, 1, 31))
    posting.save()
    remote = LocationFactory(city="", region="", country="US", remote=True)
    posting.locations.add(remote)
    data = jsonld(client.get("/jobs/backend-engineer/"))
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Backend Engineer"
    assert "<h3>About the role</h3>" in data["description"]
    assert data["datePosted"] == "2025-04-24"
    assert data["validThrough"].startswith("2031-01-31")
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Pinterest"}
    assert data["jobLocation"][0]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "San Francisco",
        "addressRegion": "CA",
        "addressCountry": "US",
    }
    # Hybrid, with a remote option: a job at its office, not a remote one.
    assert "jobLocationType" not in data
    assert "applicantLocationRequirements" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 118938,
            "maxValue": 244872,
            "unitText": "YEAR",
        },
    }
    assert data["directApply"] is True


def test_structured_data_cannot_break_out_of_its_script(client, posting):
    posting.title = "</script><script>alert(1)</script>"
    posting.save()
    response = client.get("/jobs/backend-engineer/")
    assert "</script><script>alert(1)" not in response.content.decode()
    assert jsonld(response)["title"] == posting.title


def test_a_closed_postings_410_is_asked_for_again_like_the_open_page(client, posting):
    open_page = client.get("/jobs/backend-engineer/")
    assert open_page["Cache-Control"] == "max-age=0, must-revalidate"
    assert client.get("/")["Cache-Control"] == "max-age=0, must-revalidate"
    posting.status = Posting.Status.CLOSED
    posting.save()
    for url in ("/jobs/backend-engineer/", "/jobs/backend-engineer/apply/"):
        closed = client.get(url)
        assert closed.status_code == 410
        assert closed["Cache-Control"] == open_page["Cache-Control"]
    # Reopened, the same address shows the posting again.
    posting.status = Posting.Status.OPEN
    posting.save()
    assert client.get("/jobs/backend-engineer/").status_code == 200


def test_unknown_and_draft_postings_are_404(client):
    PostingFactory(slug="draft", status=Posting.Status.DRAFT, published_at=None)
    assert client.get("/jobs/nope/").status_code == 404
    assert client.get("/jobs/draft/").status_code == 404


def test_closed_posting_answers_410_with_a_friendly_page(client, posting):
    posting.status = Posting.Status.CLOSED
    posting.save()
    response = client.get("/jobs/backend-engineer/")
    assert response.status_code == 410
    assert "no longer open" in response.content.decode()
    assert client.get("/jobs/backend-engineer/apply/").status_code == 410


def make_postings(count, start=0):
    team = TeamFactory(name="Core", slug="core")
    location = LocationFactory()
    created = Posting.objects.bulk_create(
        Posting(
            title=f"Role {i}",
            slug=f"role-{i}",
            status="open",
            published_at=timezone.now() - timedelta(days=1),
        )
        for i in range(start, start + count)
    )
    Posting.teams.through.objects.bulk_create(
        Posting.teams.through(posting_id=p.pk, team_id=team.pk) for p in created
    )
    Posting.locations.through.objects.bulk_create(
        Posting.locations.through(posting_id=p.pk, location_id=location.pk) for p in created
    )


def queries_at_10_and_1000(client, url, params=None):
    """The queries of a fresh render with 10 postings, then with 1,000."""
    counts = []
    for count, start in ((10, 0), (990, 10)):
        make_postings(count, start)  # a write: the cached page is dropped
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        counts.append(len(queries))
    return counts


def test_careers_page_query_count_is_pinned_and_the_same_at_10_and_1000_postings(client):
    # Seven to render (the page's postings' teams and locations are one query each), and one
    # more to learn when the cached page must expire (the next closing date);
    # tests/postings/test_cache.py shows the cached page needs none.
    assert queries_at_10_and_1000(client, "/", {"team": "core"}) == [8, 8]


def test_a_search_query_count_is_pinned_and_the_same_at_10_and_1000_postings(client):
    # A search is never stored, so it never asks when it would expire.
    assert queries_at_10_and_1000(client, "/", {"q": "role", "team": "core"}) == [7, 7]


def test_posting_page_query_count_is_pinned_and_the_same_at_10_and_1000_postings(client, posting):
    # The posting, then its teams, its locations and its sections.
    assert queries_at_10_and_1000(client, "/jobs/backend-engineer/") == [4, 4]
