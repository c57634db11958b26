"""The candidate page across postings, tags, adding to another posting, and merges that keep
every applicant-identity rule."""

import json

import pytest
from django.urls import reverse

from applications import services as applications
from applications.models import Application, Candidate
from dashboard.services import add_note
from notifications.models import OutboxEmail
from sourcing.models import CandidateTag, Tag
from tests import factories

pytestmark = pytest.mark.django_db


def page_of(candidate):
    return reverse("dashboard:candidate", args=[candidate.pk])


def test_the_candidate_page_lists_their_applications_notes_and_tags(
    as_recruiter, application, other_posting, recruiter
):
    second = factories.apply(other_posting, name="Jane Doe", email="jane@example.com")
    add_note(application=second, author=recruiter, body="Strong SQL.")
    as_recruiter.post(
        reverse("dashboard:candidate_tag_add", args=[application.candidate_id]),
        {"name": "  Python   Backend "},
    )
    page = as_recruiter.get(page_of(application.candidate)).content.decode()
    assert "Backend Engineer" in page and "Data Scientist" in page
    assert second.get_dashboard_url() in page and "Strong SQL." in page
    assert "python backend" in page


def test_a_hiring_manager_sees_only_their_postings_applications_and_none_is_a_404(
    as_manager, application, other_posting, recruiter
):
    other = factories.apply(other_posting, name="Jane Doe", email="jane@example.com")
    add_note(application=other, author=recruiter, body="Strong SQL.")
    page = as_manager.get(page_of(application.candidate)).content.decode()
    assert "Backend Engineer" in page
    assert "Data Scientist" not in page and "Strong SQL" not in page
    zoe = factories.apply(other_posting, name="Zoe Other", email="zoe@example.com")
    assert as_manager.get(page_of(zoe.candidate)).status_code == 404
    assert as_manager.get(reverse("dashboard:candidate", args=[999999])).status_code == 404


def test_tags_are_lower_cased_made_once_and_removed(as_recruiter, application, applicants):
    url = reverse("dashboard:candidate_tag_add", args=[application.candidate_id])
    as_recruiter.post(url, {"name": "Python"})
    as_recruiter.post(url, {"name": "PYTHON"})
    as_recruiter.post(
        reverse("dashboard:candidate_tag_add", args=[applicants["ben"].candidate_id]),
        {"name": "python"},
    )
    assert list(Tag.objects.values_list("name", flat=True)) == ["python"]
    assert CandidateTag.objects.count() == 2
    board = as_recruiter.get(reverse("dashboard:board", args=[application.posting_id]))
    assert board.content.decode().count('text-bg-light border fw-normal">python</span>') == 2
    tag = Tag.objects.get()
    as_recruiter.post(
        reverse("dashboard:candidate_tag_remove", args=[application.candidate_id, tag.pk])
    )
    assert CandidateTag.objects.count() == 1 and Tag.objects.exists()


@pytest.mark.parametrize("name", ["", "<b>", "x" * 41, "-leading"])
def test_a_bad_tag_is_a_form_error(as_recruiter, application, name):
    response = as_recruiter.post(
        reverse("dashboard:candidate_tag_add", args=[application.candidate_id]), {"name": name}
    )
    assert response.status_code == 400
    assert not Tag.objects.exists()


def test_add_to_another_posting_goes_through_the_add_service(
    as_recruiter, application, other_posting, mailoutbox
):
    url = reverse("dashboard:candidate_add_to_posting", args=[application.candidate_id])
    response = as_recruiter.post(url, {"posting": other_posting.pk, "source": "sourced"})
    assert response.status_code == 302
    added = Application.objects.get(posting=other_posting)
    assert added.candidate_id == application.candidate_id and added.name == "Jane Doe"
    assert added.stage.kind == "applied" and added.origin.source == "sourced"
    assert not OutboxEmail.objects.filter(application=added).exists()
    again = as_recruiter.post(url, {"posting": other_posting.pk, "source": "sourced"})
    assert again.status_code == 400 and "already in the pipeline" in again.content.decode()


# Merging


def test_the_merge_preview_says_what_moves_and_changes_nothing(as_recruiter, two_records):
    work = two_records[0]
    url = reverse("dashboard:candidate_merge", args=[work.pk])
    page = as_recruiter.get(url, {"other": "JANE@home.example"}).content.decode()
    assert 'id="merge-preview"' in page
    assert "Data Scientist" in page and "jane@home.example" in page
    assert "manage all my applications" in page
    assert Candidate.objects.filter(merged_into__isnull=False).count() == 0


def test_a_merge_shows_one_person_to_the_team_and_keeps_each_address_its_own(
    client, as_recruiter, two_records, recruiter
):
    work, home, work_app, home_app = two_records
    from sourcing.services import add_tag

    add_tag(candidate=home, name="returning", by=recruiter)
    response = as_recruiter.post(
        reverse("dashboard:candidate_merge", args=[work.pk]),
        {"other": str(home.pk), "confirm": "1"},
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.merged_into == work
    # The team: one page with both applications and the tag; the old page leads there.
    page = as_recruiter.get(page_of(work)).content.decode()
    assert "Backend Engineer" in page and "Data Scientist" in page and "returning" in page
    assert as_recruiter.get(page_of(home))["Location"] == page_of(work)
    # The applicant: each manage link lists, exports and erases its own address only.
    for candidate, own, foreign in ((work, work_app, home_app), (home, home_app, work_app)):
        manage = reverse("applications:manage", args=[candidate.manage_token()])
        listed = client.get(manage).content.decode()
        assert own.posting.title in listed and foreign.posting.title not in listed
        download = reverse("applications:manage_download", args=[candidate.manage_token()])
        data = json.loads(client.get(download).content)
        assert [a["posting"] for a in data["applications"]] == [own.posting.title]
    # A new application from the merged address stays with that address.
    again = factories.apply(
        factories.PostingFactory(title="Analyst"), name="Jane Doe", email="jane@home.example"
    )
    assert again.candidate_id == home.pk
    # Erasing everything from one address leaves the other address's application alone.
    applications.erase_all(candidate=Candidate.objects.get(pk=home.pk))
    work_app.refresh_from_db()
    assert work_app.erased_at is None and work_app.name == "Jane Doe"
    # The manage-link email for one address names no application of the other.
    applications.request_manage_link(email="jane@work.example")
    mail = OutboxEmail.objects.filter(to="jane@work.example").latest("pk")
    assert "Data Scientist" not in mail.body_text and "Analyst" not in mail.body_text


def test_merging_is_for_recruiters_and_refuses_the_same_person(
    client, hiring_manager, recruiter, two_records
):
    work, home, _, _ = two_records
    url = reverse("dashboard:candidate_merge", args=[work.pk])
    client.force_login(hiring_manager)
    assert client.post(url, {"other": home.pk, "confirm": "1"}).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(recruiter)
    as_recruiter = client
    response = as_recruiter.get(url, {"other": work.pk})
    assert response.status_code == 400 and "already the same person" in response.content.decode()
    response = as_recruiter.get(url, {"other": "nobody@example.com"})
    assert response.status_code == 400 and "No candidate has the address" in (
        response.content.decode()
    )
    assert not Candidate.objects.filter(merged_into__isnull=False).exists()


def test_the_board_filters_by_tag_including_records_merged_into_a_tagged_one(
    as_recruiter, applicants, recruiter, posting, other_posting
):
    from sourcing.services import add_tag

    jane, ben = applicants["jane"], applicants["ben"]
    add_tag(candidate=jane.candidate, name="python", by=recruiter)
    # Ben's other record, merged into the tagged one, is filtered as the same person.
    other = factories.apply(other_posting, name="Ben Okafor", email="ben@home.example")
    add_tag(candidate=other.candidate, name="python", by=recruiter)
    applications.merge_candidates(keep=other.candidate, merged=ben.candidate, by=recruiter)
    board = reverse("dashboard:board", args=[posting.pk])
    page = as_recruiter.get(board, {"tag": " Python "}).content.decode()
    assert jane.get_dashboard_url() in page and ben.get_dashboard_url() in page
    assert applicants["ada"].get_dashboard_url() not in page
    assert "Tag: Python" in page  # in the summary of the filters in force


def test_erasing_a_merged_person_undoes_the_merge(as_recruiter, two_records, recruiter):
    work, home, _, _ = two_records
    applications.merge_candidates(keep=work, merged=home, by=recruiter)
    applications.erase_all(candidate=work)
    home.refresh_from_db()
    assert home.merged_into is None and home.email == "jane@home.example"
    assert as_recruiter.get(page_of(home)).status_code == 200
