"""Where an applicant came from: kept from the landing page to the submission, and named in
one vocabulary everywhere."""

import pytest
from django.core import signing
from django.test import Client

from applications import sources
from applications.models import Application, Source, source_of
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db

LANDING = "/jobs/backend-engineer/?utm_source=linkedin&utm_medium=social&utm_campaign=fall"


def apply_from(client, posting, form_data, *, apply_referrer="http://testserver/"):
    """Open the form from the posting page, as a person clicking Apply does, and submit it."""
    apply_url = f"/jobs/{posting.slug}/apply/"
    page = f"http://testserver/jobs/{posting.slug}/"
    assert client.get(apply_url, HTTP_REFERER=page).status_code == 200
    response = client.post(apply_url, form_data(), HTTP_REFERER=f"http://testserver{apply_url}")
    assert response.status_code == 302
    return Application.objects.get()


# As "utm_source|referrer": the referrer counts only when utm_source is empty.
NAMED = {
    Source.LINKEDIN: ["linkedin|", "LinkedIn|https://www.google.com/", "|https://lnkd.in/abc"],
    Source.INDEED: ["indeed|", "|https://uk.indeed.com/viewjob?jk=1", "|https://www.indeed.co.uk/"],
    Source.REFERRAL: ["employee_referral|", "Referral|", "refer|"],
    Source.CAREERS_SITE: ["careers|", "Careers Site|"],
    Source.OTHER: ["newsletter|", "|https://www.google.com/", "|https://notlinkedin.com/"],
    Source.DIRECT: ["|"],
}


@pytest.mark.parametrize(
    ("link", "expected"), [(link, source) for source, links in NAMED.items() for link in links]
)
def test_raw_tracking_values_are_named_in_one_vocabulary(link, expected):
    utm_source, referrer = link.split("|")
    assert source_of(utm_source, referrer) == expected
    assert Application(utm_source=utm_source, referrer=referrer).source == expected.label


def test_the_database_filter_names_every_application_as_the_property_does(posting):
    raw = [
        ("linkedin", ""),
        ("LI", ""),
        ("", "https://www.linkedin.com/feed/"),
        ("indeed", "https://www.linkedin.com/"),
        ("", "https://de.indeed.com/"),
        ("Employee Referral", ""),
        ("careers-site", ""),
        ("twitter", ""),
        ("", "https://duckduckgo.com/"),
        ("", ""),
    ]
    made = bulk_applications(posting, len(raw))
    for application, (utm_source, referrer) in zip(made, raw, strict=True):
        application.utm_source, application.referrer = utm_source, referrer
    Application.objects.bulk_update(made, ["utm_source", "referrer"])
    applications = Application.objects.filter(posting=posting)
    for source in Source:
        in_sql = set(applications.from_source(source).values_list("pk", flat=True))
        in_python = {a.pk for a in applications if a.source_kind == source}
        assert in_sql == in_python, source
    assert applications.from_source(Source.OTHER).count() == 2


def test_utm_parameters_on_the_posting_page_reach_the_stored_application(
    client, posting, form_data
):
    assert client.get(LANDING).status_code == 200
    application = apply_from(client, posting, form_data)
    assert (application.utm_source, application.utm_medium, application.utm_campaign) == (
        "linkedin",
        "social",
        "fall",
    )
    # The site's own pages are never the referrer.
    assert application.referrer == ""
    assert application.source == "LinkedIn"


def test_the_first_external_referrer_is_kept_and_our_own_pages_are_not(client, posting, form_data):
    client.get("/", HTTP_REFERER="https://uk.indeed.com/")
    client.get(f"/jobs/{posting.slug}/", HTTP_REFERER="http://testserver/")
    client.get(f"/jobs/{posting.slug}/?utm_source=newsletter", HTTP_REFERER="https://x.example/")
    application = apply_from(client, posting, form_data)
    assert application.referrer == "https://uk.indeed.com/"
    assert application.utm_source == ""
    assert application.source == "Indeed"


def test_a_cached_posting_page_still_keeps_its_visitors_source_and_never_anothers(
    posting, form_data
):
    first, second = Client(), Client()
    assert "Set-Cookie" not in first.get(f"/jobs/{posting.slug}/").headers  # now cached
    landing = second.get(LANDING)
    assert landing.cookies[sources.COOKIE_NAME].value
    assert "private" in landing["Cache-Control"]
    assert "public" not in landing["Cache-Control"]
    # The page the cache now hands to someone who came with no link carries no source.
    third = Client()
    plain = third.get(f"/jobs/{posting.slug}/")
    assert sources.COOKIE_NAME not in plain.cookies
    assert apply_from(third, posting, form_data).source == "Direct"


def test_after_applying_the_source_is_forgotten(client, posting, form_data):
    client.get(LANDING)
    apply_from(client, posting, form_data)
    assert client.cookies[sources.COOKIE_NAME].value == ""


def test_a_forged_or_expired_source_cookie_is_ignored(client, posting, form_data, settings):
    client.cookies[sources.COOKIE_NAME] = signing.dumps(
        ["linkedin", "", "", ""], salt="another purpose"
    )
    assert apply_from(client, posting, form_data).source == "Direct"
    Application.objects.all().delete()

    settings.APPLY_SOURCE_MAX_AGE = -1
    other = Client()
    other.get(LANDING)
    assert apply_from(other, posting, form_data).source == "Direct"


def test_junk_in_the_landing_link_is_cleaned_before_it_is_kept(client, posting, form_data):
    client.get(
        f"/jobs/{posting.slug}/?utm_source=%00link%0Aedin&utm_campaign=" + "x" * 400,
        HTTP_REFERER="javascript:alert(1)",
    )
    application = apply_from(client, posting, form_data)
    assert application.utm_source == "linkedin"
    assert application.utm_campaign == "x" * 100
    assert application.referrer == ""
