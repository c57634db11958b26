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


def add_form_data(*, teams, locations) -> dict:
    """The admin's add form for Platform Engineer, with one section and one question."""
    return {
        "title": "Platform Engineer",
        "slug": "platform-engineer",
        "teams": [team.pk for team in teams],
        "summary": "",
        "status": "open",
        "locations": [location.pk for location in locations],
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


def test_a_posting_with_questions_is_created_through_admin(admin_client):
    data = add_form_data(
        teams=[TeamFactory(name="Core", slug="core")], locations=[LocationFactory()]
    )
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


def test_a_posting_is_put_on_two_teams_through_admin(admin_client):
    teams = [
        TeamFactory(name="Core", slug="core"),
        TeamFactory(name="Monetization", slug="monetization"),
    ]
    data = add_form_data(teams=[], locations=[LocationFactory()])
    data["salary_max"] = "150000"
    response = admin_client.post("/admin/postings/posting/add/", data)
    assert response.status_code == 200  # a posting needs a team
    assert not Posting.objects.filter(slug="platform-engineer").exists()

    data["teams"] = [team.pk for team in teams]
    assert admin_client.post("/admin/postings/posting/add/", data).status_code == 302
    posting = Posting.objects.get(slug="platform-engineer")
    assert list(posting.teams.all()) == teams
    assert "Core and Monetization" in admin_client.get("/admin/postings/posting/").content.decode()


def test_a_team_with_postings_cannot_be_deleted_from_admin(admin_client, posting):
    team = posting.teams.get()
    assert admin_client.get(f"/admin/postings/team/{team.pk}/delete/").status_code == 403
    assert "delete_selected" not in admin_client.get("/admin/postings/team/").content.decode()
    empty = TeamFactory(name="Design", slug="design")
    response = admin_client.post(f"/admin/postings/team/{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(posting.teams.all()) == [team]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABC", "ABC is not a currency code. Use an ISO 4217 code, such as USD, EUR or GBP."),
        ("DEM", "DEM is not a currency in use today. Use a current code, such as EUR."),
    ],
)
def test_the_admin_explains_a_currency_that_is_not_in_use(admin_client, code, message):
    data = add_form_data(teams=[TeamFactory()], locations=[LocationFactory()])
    data.update(salary_max="150000", salary_currency=code)
    response = admin_client.post("/admin/postings/posting/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["salary_currency"] == [message]
    assert not Posting.objects.exists()
