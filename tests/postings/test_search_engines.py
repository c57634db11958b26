"""What search engines read: each posting's JobPosting data, the sitemap and robots.txt."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from defusedxml import ElementTree
from django.core.management import call_command

from postings.models import Posting
from tests.factories import LocationFactory, PostingFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SCHEMA_EMPLOYMENT_TYPES = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}


def jsonld(client, posting) -> dict:
    html = client.get(posting.get_absolute_url()).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def google_problems(data: dict) -> list[str]:
    """What Google's JobPosting guidelines would flag, required fields and recommended ones.

    https://developers.google.com/search/docs/appearance/structured-data/job-posting
    """
    problems = []
    for field in ("title", "description", "datePosted", "hiringOrganization"):
        if not data.get(field):
            problems.append(f"required {field} missing")
    if not data.get("hiringOrganization", {}).get("name"):
        problems.append("hiringOrganization has no name")
    date.fromisoformat(data["datePosted"][:10])
    remote = data.get("jobLocationType") == "TELECOMMUTE"
    if remote and not data.get("applicantLocationRequirements"):
        problems.append("a remote job names no country applicants may live in")
    if not remote and not data.get("jobLocation"):
        problems.append("an office job has no jobLocation")
    for place in data.get("jobLocation", []):
        address = place["address"]
        if not address.get("addressCountry"):
            problems.append("an address has no country")
        problems += [f"empty {key}" for key, value in address.items() if value == ""]
    # Recommended.
    salary = data.get("baseSalary")
    if not salary:
        problems.append("recommended baseSalary missing")
    else:
        value = salary["value"]
        if not (
            re.fullmatch(r"[A-Z]{3}", salary["currency"])
            and isinstance(value["minValue"], int)
            and isinstance(value["maxValue"], int)
            and value["unitText"] in {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
        ):
            problems.append(f"baseSalary malformed: {salary}")
    if data.get("employmentType") not in SCHEMA_EMPLOYMENT_TYPES:
        problems.append("recommended employmentType missing or unknown")
    if not data.get("identifier", {}).get("value"):
        problems.append("recommended identifier missing")
    if data.get("directApply") is not True:
        problems.append("recommended directApply missing")
    return problems


def test_every_seeded_posting_gives_google_every_required_and_recommended_field(client):
    call_command("seed_demo", "--no-progress", stdout=StringIO())
    postings = list(Posting.objects.open())
    assert len(postings) >= 7
    for posting in postings:
        data = jsonld(client, posting)
        assert google_problems(data) == [], posting.title
        # validThrough is recommended for a job with a closing date, and only then true.
        if posting.closes_at:
            assert data["validThrough"] == posting.closes_at.isoformat()
        else:
            assert "validThrough" not in data, posting.title
    assert any(posting.closes_at for posting in postings)  # the internship's season


def test_only_a_fully_remote_job_is_telecommute(client):
    call_command("seed_demo", "--no-progress", stdout=StringIO())
    # Backend Engineer is hybrid: San Francisco, with a remote option in the US.
    backend = jsonld(client, Posting.objects.get(slug="backend-engineer"))
    assert "jobLocationType" not in backend
    assert "applicantLocationRequirements" not in backend
    assert [place["address"]["addressLocality"] for place in backend["jobLocation"]] == [
        "San Francisco"
    ]
    sre = jsonld(client, Posting.objects.get(slug="site-reliability-engineer"))
    assert sre["jobLocationType"] == "TELECOMMUTE"
    assert sre["applicantLocationRequirements"] == [{"@type": "Country", "name": "US"}]
    assert "jobLocation" not in sre


def test_a_remote_job_names_each_country_once(client, posting):
    posting.workplace_type = Posting.WorkplaceType.REMOTE
    posting.save()
    posting.locations.set(
        [
            LocationFactory(city="", region="", country="US", remote=True),
            LocationFactory(city="", region="CA", country="US", remote=True),
            LocationFactory(city="", region="", country="CA", remote=True),
        ]
    )
    data = jsonld(client, posting)
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "CA"},
        {"@type": "Country", "name": "US"},
    ]


def test_an_empty_region_is_left_out_not_sent_empty(client, posting):
    posting.locations.set([LocationFactory(city="Dublin", region="", country="IE")])
    assert jsonld(client, posting)["jobLocation"] == [
        {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Dublin",
                "addressCountry": "IE",
            },
        }
    ]


def test_a_posting_without_sections_is_described_by_its_summary(client, posting):
    posting.sections.all().delete()
    posting.summary = "Build <the> backend."
    posting.save()
    assert jsonld(client, posting)["description"] == "<p>Build &lt;the&gt; backend.</p>"


def test_the_sitemap_lists_the_careers_page_and_open_postings_with_their_last_change(
    client, posting, settings
):
    settings.SITE_URL = "https://jobs.example.com"
    Posting.objects.filter(pk=posting.pk).update(
        updated_at=posting.published_at.replace(year=2026, month=3, day=2)
    )
    PostingFactory(title="Draft", slug="draft", status="draft", published_at=None)
    PostingFactory(title="Closed", slug="closed", status="closed")
    response = client.get("/sitemap.xml", HTTP_HOST="evil.example.org")
    assert response.status_code == 400  # not one of ours, as for every page
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }
    assert entries == {
        "https://jobs.example.com/": None,
        "https://jobs.example.com/jobs/backend-engineer/": "2026-03-02",
    }


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_private_pages(client, settings):
    settings.SITE_URL = "https://jobs.example.com"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/dashboard/", "/admin/", "/status/", "/my-applications/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the careers pages stay open to crawlers
    assert lines[-1] == "Sitemap: https://jobs.example.com/sitemap.xml"
    assert client.post("/robots.txt").status_code == 405
