"""The fairness pages: recruiters and admins only, counts without names, a pinned budget."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(cohort, eeo_on):
    posting = factories.PostingFactory(title="Data Analyst", slug="data-analyst")
    cohort(
        posting, 3, reached="Screen", answers={"gender": "female", "race": "white"}, prefix="Wanda"
    )
    cohort(
        posting, 7, reached="Applied", answers={"gender": "female", "race": "white"}, prefix="Wanda"
    )
    cohort(posting, 8, reached="Screen", answers={"gender": "male", "race": "black"}, prefix="Mo")
    cohort(posting, 2, reached="Applied", answers={"gender": "male", "race": "asian"}, prefix="Mo")
    return posting


def urls(posting):
    return [
        reverse("dashboard:reports-fairness"),
        reverse("dashboard:reports-fairness-posting", args=[posting.pk]),
    ]


def test_a_recruiter_sees_the_flag_the_small_cells_hidden_and_what_it_means(
    client, recruiter, analyst
):
    client.force_login(recruiter)
    index = client.get(urls(analyst)[0]).content.decode()
    assert "Data Analyst" in index and urls(analyst)[1] in index
    page = client.get(urls(analyst)[1]).content.decode()
    assert "2 flags" in page and "Applied → Screen (Gender: Female)" in page
    assert "Applied → Screen (Race / ethnicity: White (not Hispanic or Latino))" in page
    assert "0.37" in page and "0.30" in page and "under 0.8" in page
    assert "What these numbers can and cannot say" in page
    assert "fewer than 5: not compared" in page  # the two Asian applicants
    assert "&lt;5" in page
    # Counts only: no applicant's name, no link to a person.
    assert "Wanda" not in page and "Mo " not in page and "/applications/" not in page


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_the_hiring_team_finds_no_fairness_page(client, analyst, role):
    member = factories.UserFactory(username="member", role=role)
    analyst.hiring_team.add(member)
    client.force_login(member)
    for url in urls(analyst):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_an_admin_sees_it_and_nobody_may_post_to_it(client, analyst):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in urls(analyst):
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


def test_an_unknown_posting_is_a_404(client, recruiter, db):
    client.force_login(recruiter)
    assert client.get(reverse("dashboard:reports-fairness-posting", args=[999])).status_code == 404


def test_the_posting_page_query_count_does_not_grow_with_applicants(
    client, recruiter, analyst, cohort, django_assert_num_queries
):
    client.force_login(recruiter)
    url = urls(analyst)[1]
    client.get(url)  # the menu's Inbox count, cached from here on
    # session, user, profile, the posting, then the report's three.
    with django_assert_num_queries(7):
        client.get(url)
    cohort(analyst, 40, reached="Interview", answers={"gender": "female", "veteran": "protected"})
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_index_takes_a_fixed_number_of_queries(
    client, recruiter, analyst, cohort, django_assert_num_queries
):
    client.force_login(recruiter)
    other = factories.PostingFactory(title="Other", slug="other")
    cohort(other, 6, reached="Applied", answers={"gender": "male"})
    client.get(urls(analyst)[0])  # the menu's Inbox count, cached from here on
    with django_assert_num_queries(4):  # session, user, profile, the postings with counts
        page = client.get(urls(analyst)[0]).content.decode()
    assert "Other" in page
