"""Candidates and applications in Django admin."""

import pytest

from applications.models import Application
from tests.factories import PostingFactory, UserFactory, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(posting, internship_question):
    jane = submit(
        posting, email="jane@example.com", name="Jane Doe", answers={internship_question: True}
    )
    max_ = submit(
        posting, email="max@example.com", name="Max Power", answers={internship_question: False}
    )
    other = submit(
        PostingFactory(title="Designer"), email="ola@example.com", name="Ola Nordmann", answers={}
    )
    return jane, max_, other


def listed(response):
    return {str(app.candidate) for app in response.context["cl"].result_list}


def test_search_by_name_and_email(admin_client, applications):
    url = "/admin/applications/application/"
    assert listed(admin_client.get(url, {"q": "jane"})) == {"Jane Doe"}
    assert listed(admin_client.get(url, {"q": "max@example"})) == {"Max Power"}


def test_candidate_search(admin_client, applications):
    response = admin_client.get("/admin/applications/candidate/", {"q": "nordmann"})
    assert [c.name for c in response.context["cl"].result_list] == ["Ola Nordmann"]


def test_filters_by_posting_stage_and_answer(
    admin_client, applications, posting, internship_question
):
    url = "/admin/applications/application/"
    assert listed(admin_client.get(url, {"posting__id__exact": posting.pk})) == {
        "Jane Doe",
        "Max Power",
    }
    assert listed(admin_client.get(url, {"stage__name": "Applied"})) == {
        "Jane Doe",
        "Max Power",
        "Ola Nordmann",
    }
    assert listed(admin_client.get(url, {"answer": f"{internship_question.pk}:yes"})) == {
        "Jane Doe"
    }
    assert listed(admin_client.get(url, {"answer": f"{internship_question.pk}:no"})) == {
        "Max Power"
    }
    page = admin_client.get(url).content.decode()
    assert "Are you applying to the internship?" in page


def test_the_change_page_shows_answers_history_and_resume_link(admin_client, applications):
    jane = applications[0]
    html = admin_client.get(f"/admin/applications/application/{jane.pk}/change/").content.decode()
    assert "Are you applying to the internship?" in html
    assert f"/admin/applications/application/{jane.pk}/resume/" in html
    assert jane.status_token not in html  # the applicant's secret is not shown to staff


def test_staff_download_the_resume_as_an_attachment(admin_client, applications):
    jane = applications[0]
    response = admin_client.get(f"/admin/applications/application/{jane.pk}/resume/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="resume.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_non_staff_cannot_download_a_resume(client, applications):
    jane = applications[0]
    url = f"/admin/applications/application/{jane.pk}/resume/"
    assert client.get(url).status_code == 302  # to the admin login
    recruiter = UserFactory(username="notstaff")
    client.force_login(recruiter)
    assert client.get(url).status_code == 302
    staff_without_permission = UserFactory(username="staffer", is_staff=True)
    client.force_login(staff_without_permission)
    assert client.get(url).status_code == 403
    assert Application.objects.count() == 3
