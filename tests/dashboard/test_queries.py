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
    # posting's teams.
    "board": (lambda app, q: reverse("dashboard:board", args=[app.posting_id]), 15),
    "filtered board": (
        lambda app, q: (
            reverse("dashboard:board", args=[app.posting_id])
            + f"?q=applicant&answer_{q.pk}=yes&source=direct&submitted_from=2020-01-01"
        ),
        13,
    ),
    "board column": (
        lambda app, q: (
            reverse("dashboard:board_column", args=[app.posting_id, app.posting.stages.first().pk])
            + "?page=1"
        ),
        12,
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
    "candidate page": (
        lambda app, q: reverse("dashboard:application", args=[app.posting_id, app.pk]),
        13,  # 12, and the application's interviews (their seats in one more, when any)
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
