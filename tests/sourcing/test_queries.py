"""Query counts of the sourcing list pages: pinned, and the same at 1 row as at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, StageChange
from dashboard.services import add_note
from sourcing.models import CandidateTag, Origin, Tag
from tests import factories
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db

# Session, user and profile, then the page's own: the referrals with their applications,
# postings and stages in one, and their histories (for the candidate-facing stage) in one.
MY_REFERRALS = 5
# Session and user; the candidate and its scope check; the applications with their origins
# and referrers; the notes; the tags; the postings left to add to (whether any, and the list).
CANDIDATE_PAGE = 9


def _refer(applications, user):
    Origin.objects.bulk_create(
        Origin(application=a, source="referral", by=user, added_by=user, relationship="Friend")
        for a in applications
    )
    # Some rejected, so the page reads what the person was told, not the stage they are in.
    rejected = applications[0].posting.stages.get(kind="rejected")
    for application in applications[::3]:
        StageChange.objects.create(
            application=application, from_stage=application.stage, to_stage=rejected
        )
        Application.objects.filter(pk=application.pk).update(stage=rejected)


def test_my_referrals_is_pinned_and_the_same_at_1_and_50(
    client, interviewer, posting, django_assert_max_num_queries
):
    client.force_login(interviewer)
    _refer(bulk_applications(posting, 1), interviewer)
    url = reverse("dashboard:my_referrals")
    with CaptureQueriesContext(connection) as at_1:
        assert client.get(url).status_code == 200
    _refer(bulk_applications(posting, 49), interviewer)
    with django_assert_max_num_queries(MY_REFERRALS) as at_50:
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 51  # the header and 50 rows
    assert len(at_50.captured_queries) == len(at_1.captured_queries)


def _apply_to_more(candidate, count, recruiter):
    for _ in range(count):
        posting = factories.PostingFactory()
        application = Application.objects.create(
            candidate=candidate,
            posting=posting,
            name=candidate.name,
            stage=posting.stages.get(kind="applied"),
            stage_changed_at=timezone.now(),
        )
        Origin.objects.create(application=application, source="sourced", by=recruiter)
        add_note(application=application, author=recruiter, body="Worth a call.")
        tag = Tag.objects.create(name=f"tag {Tag.objects.count()}")
        CandidateTag.objects.create(candidate=candidate, tag=tag)


def test_the_candidate_page_is_pinned_and_the_same_at_1_and_50_applications(
    client, recruiter, application, django_assert_max_num_queries
):
    client.force_login(recruiter)
    candidate = application.candidate
    _apply_to_more(candidate, 0, recruiter)
    url = reverse("dashboard:candidate", args=[candidate.pk])
    client.get(url)  # the nav's Inbox count is read once, then cached: warm it
    with CaptureQueriesContext(connection) as at_1:
        assert client.get(url).status_code == 200
    _apply_to_more(candidate, 49, recruiter)
    with django_assert_max_num_queries(CANDIDATE_PAGE) as at_50:
        response = client.get(url)
    assert response.content.decode().count("Worth a call.") == 49
    assert len(at_50.captured_queries) == len(at_1.captured_queries), "\n".join(
        q["sql"] for q in at_50.captured_queries
    )
