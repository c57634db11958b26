import pytest

from postings.models import Posting
from tests.factories import LocationFactory, PostingFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_postings_are_searchable_and_filterable(admin_client, posting):
    PostingFactory(title="Designer", status=Posting.Status.DRAFT, published_at=None)
    url = "/admin/postings/posting/"
    found = admin_client.get(url, {"q": "backend"}).context["cl"].result_list
    assert [p.title for p in found] == ["Backend Engineer"]
    drafts = admin_client.get(url, {"status__exact": "draft"}).context["cl"].result_list
    assert [p.title for p in drafts] == ["Designer"]


def test_the_add_page_has_inline_questions_and_a_prepopulated_slug(admin_client):
    html = admin_client.get("/admin/postings/posting/add/").content.decode()
    assert "questions-TOTAL_FORMS" in html
    assert "sections-TOTAL_FORMS" in html
    assert 'id="django-admin-prepopulated-fields-constants"' in html


def test_a_posting_with_questions_is_created_through_admin(admin_client):
    team = TeamFactory(name="Core", slug="core")
    location = LocationFactory()
    data = {
        "title": "Platform Engineer",
        "slug": "platform-engineer",
        "team": team.pk,
        "summary": "",
        "status": "open",
        "locations": [location.pk],
        "employment_type": "full_time",
        "workplace_type": "remote",
        "salary_min": "100000",
        "salary_max": "90000",
        "salary_currency": "USD",
        "salary_period": "year",
        "pay_transparency_note": "",
        "published_at_0": "2025-04-24",
        "published_at_1": "09:00:00",
        "closes_at_0": "",
        "closes_at_1": "",
        "rejection_email_delay_hours": "48",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "About",
        "sections-0-body": "Hello",
        "sections-0-position": "0",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Are you applying to the internship?",
        "questions-0-kind": "yes_no",
        "questions-0-required": "on",
        "questions-0-position": "0",
        "questions-0-choices": "[]",
        "questions-0-knockout_answer": "",
        "questions-0-help_text": "",
    }
    response = admin_client.post("/admin/postings/posting/add/", data)
    assert response.status_code == 200  # the bad salary range is explained, not stored
    assert "The maximum must be at least the minimum." in response.content.decode()
    assert not Posting.objects.filter(slug="platform-engineer").exists()

    data["salary_max"] = "150000"
    response = admin_client.post("/admin/postings/posting/add/", data)
    assert response.status_code == 302
    posting = Posting.objects.get(slug="platform-engineer")
    assert posting.questions.get().label == "Are you applying to the internship?"
    assert posting.sections.get().heading == "About"
