"""Query counts of the reports page and each CSV: pinned, and the same at 10 applications as at
500, each with a history of several moves."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import StageChange
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db

# session, user and profile are three of each; the rest is the page's own.
PAGES = {
    # The filters' choices (postings, teams), then one query per report and two for the
    # knock-out questions (the questions, then their counts).
    "page": ("/dashboard/reports/", 11),
    "filtered page": ("/dashboard/reports/?posting={posting}&submitted_from=2020-01-01", 12),
    "funnel.csv": ("/dashboard/reports/funnel.csv", 4),
    "time-in-stage.csv": ("/dashboard/reports/time-in-stage.csv", 4),
    "time-to-hire.csv": ("/dashboard/reports/time-to-hire.csv", 4),
    "sources.csv": ("/dashboard/reports/sources.csv", 4),
    "knockouts.csv": ("/dashboard/reports/knockouts.csv", 5),
}


def with_history(posting, count):
    """`count` applications that each moved on twice after applying."""
    applications = bulk_applications(posting, count, stage=posting.stages.get(name="Applied"))
    screen, hired = posting.stages.get(name="Screen"), posting.stages.get(kind="hired")
    StageChange.objects.bulk_create(
        StageChange(application=a, to_stage=stage, at=a.submitted_at + timedelta(days=days))
        for a in applications
        for stage, days in ((screen, 2), (hired, 5))
    )


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_pinned_and_the_same_at_10_and_500_applications(
    client, recruiter, posting, internship_question, page, django_assert_max_num_queries
):
    internship_question.knockout_answer = "yes"
    internship_question.save()
    url, pinned = PAGES[page]
    url = url.format(posting=posting.pk)
    client.force_login(recruiter)
    with_history(posting, 10)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as at_10:
        body(client.get(url))

    with_history(posting, 490)
    with django_assert_max_num_queries(pinned) as at_500:
        response = client.get(url)
        content = body(response)
    assert response.status_code == 200 and content
    assert len(at_500.captured_queries) == len(at_10.captured_queries), "\n".join(
        q["sql"] for q in at_500.captured_queries
    )
