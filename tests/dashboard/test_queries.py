"""Query counts of the dashboard home, the board and the candidate page: pinned, and the same
with 10 applications as with 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services import move_application
from dashboard.services import add_note
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db

# (url, queries): session, user and profile are three of each; the rest is the page's own.
PAGES = {
    # Each page that names its postings reads their teams with one query more.
    "home": (lambda app, q: reverse("dashboard:home"), 11),
    # The board reads each non-empty column's first cards with a query of its own (four
    # columns here): the count follows the pipeline's length, never the applications'.
    # One more reads the rejection reasons that every card's reject form offers, and one the
    # posting's teams. Three read the cards' interviews, scorecards and interviewers' seats.
    "board": (lambda app, q: reverse("dashboard:board", args=[app.posting_id]), 18),
    "filtered board": (
        lambda app, q: (
            reverse("dashboard:board", args=[app.posting_id])
            + f"?q=applicant&answer_{q.pk}=yes&source=direct&submitted_from=2020-01-01"
        ),
        16,
    ),
    "board column": (
        lambda app, q: (
            reverse("dashboard:board_column", args=[app.posting_id, app.posting.stages.first().pk])
            + "?page=1"
        ),
        15,
    ),
    # Like the board, the list's bulk form reads the rejection reasons and the posting's teams.
    "list view": (lambda app, q: reverse("dashboard:board_list", args=[app.posting_id]), 11),
    "filtered list view, sorted, page 2": (
        lambda app, q: (
            reverse("dashboard:board_list", args=[app.posting_id])
            + f"?answer_{q.pk}=yes&sort=-days&page=2"
        ),
        11,
    ),
    "postings list": (lambda app, q: reverse("dashboard:postings"), 8),
    "pipeline tab": (lambda app, q: reverse("dashboard:posting_stages", args=[app.posting_id]), 8),
    # Three more for the scorecard summary and decision form: the submitted scorecards, the
    # decisions and the rejection reasons (a page with scorecards reads their ratings too).
    "candidate page": (
        lambda app, q: reverse("dashboard:application", args=[app.posting_id, app.pk]),
        15,
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_pinned_and_the_same_at_10_and_1000_applications(
    client,
    hiring_manager,
    recruiter,
    application,
    internship_question,
    page,
    django_assert_max_num_queries,
):
    url_for, pinned = PAGES[page]
    client.force_login(hiring_manager)
    move_application(
        application=application, to_stage=application.posting.stages.get(name="Screen")
    )
    add_note(application=application, author=recruiter, body="@bob have a look")
    bulk_applications(application.posting, 9)
    url = url_for(application, internship_question)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as at_10:
        client.get(url)

    bulk_applications(application.posting, 990)
    with django_assert_max_num_queries(pinned) as at_1000:
        response = client.get(url)
    assert response.status_code == 200
    assert len(at_1000.captured_queries) == len(at_10.captured_queries), "\n".join(
        q["sql"] for q in at_1000.captured_queries
    )


def add_interviews(applications, step, interviewers, count: int, *, start: int = 0) -> None:
    """`count` held interviews spread over `applications`, each with a submitted scorecard
    rating every attribute, in a few bulk inserts. Each interviewer's interviews are an hour
    apart, so that none is double-booked (PostgreSQL's exclusion constraint holds)."""
    from datetime import timedelta

    from django.utils import timezone

    from interviews.models import AttributeRating, Interview, InterviewerSeat, Scorecard

    base = timezone.now().replace(microsecond=0) - timedelta(days=1)
    interviews = Interview.objects.bulk_create(
        Interview(
            application=applications[i % len(applications)],
            step=step,
            starts_at=base - timedelta(hours=start + i),
            ends_at=base - timedelta(hours=start + i) + timedelta(minutes=45),
        )
        for i in range(count)
    )
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(
            interview=interview,
            user=user,
            starts_at=interview.starts_at,
            ends_at=interview.ends_at,
            active=True,
        )
        for interview in interviews
        for user in interviewers
    )
    recommendations = ["strong_yes", "yes", "no", "strong_no"]
    cards = Scorecard.objects.bulk_create(
        Scorecard(
            interview=interview,
            interviewer=interviewers[0],
            status=Scorecard.Status.SUBMITTED,
            recommendation=recommendations[i % 4],
            key_points="Solid.",
            submitted_at=interview.ends_at,
        )
        for i, interview in enumerate(interviews)
    )
    attributes = list(step.attributes.all())
    AttributeRating.objects.bulk_create(
        AttributeRating(scorecard=card, attribute=attribute, value=1 + (i + j) % 4)
        for i, card in enumerate(cards)
        for j, attribute in enumerate(attributes)
    )


# With interviews: the candidate page reads the summary in three queries more (the ratings of
# the scorecards among them), the board the cards' interviews in three.
INTERVIEW_PAGES = {
    "candidate page": (
        lambda app: reverse("dashboard:application", args=[app.posting_id, app.pk]),
        16,
    ),
    "board": (lambda app: reverse("dashboard:board", args=[app.posting_id]), 18),
}


@pytest.mark.parametrize("page", INTERVIEW_PAGES)
def test_query_count_is_pinned_and_the_same_at_10_and_1000_interviews(
    client, hiring_manager, recruiter, application, page, django_assert_max_num_queries
):
    from tests.factories import UserFactory, interview_step

    url_for, pinned = INTERVIEW_PAGES[page]
    client.force_login(hiring_manager)
    step = interview_step(application.posting, name="Technical screen")
    panel = [UserFactory(username="erin", role="interviewer"), recruiter]
    others = bulk_applications(application.posting, 20)
    # The candidate's own interviews and everyone else's on the board grow together.
    add_interviews([application, *others], step, panel, 10)
    url = url_for(application)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as at_10:
        client.get(url)

    add_interviews([application, *others], step, panel, 990, start=10)
    with django_assert_max_num_queries(pinned) as at_1000:
        response = client.get(url)
    assert response.status_code == 200
    assert application.interviews.count() == 49  # 1 of every 21, 1,000 in all
    assert len(at_1000.captured_queries) == len(at_10.captured_queries), "\n".join(
        q["sql"] for q in at_1000.captured_queries
    )
