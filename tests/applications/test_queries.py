"""Query counts of the apply page and of a submission, pinned."""

import pytest

from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("questions", [1, 20])
def test_the_apply_page_query_count_does_not_grow_with_questions(
    client, posting, questions, django_assert_max_num_queries
):
    for i in range(questions - 1):
        QuestionFactory(posting=posting, label=f"Question {i}?", position=i + 1)
    # The posting, its teams, its questions and its locations.
    with django_assert_max_num_queries(4):
        response = client.get("/jobs/backend-engineer/apply/")
    assert response.status_code == 200


# The posting with its teams, questions and locations; candidate, application, answers (one
# bulk insert), resume, history, two outbox rows and the session, with their savepoints: the
# same with 1 question or 20.
@pytest.mark.parametrize("questions", [1, 20])
def test_a_submission_query_count_is_pinned(
    client, posting, questions, form_data, django_assert_max_num_queries, recruiter
):
    posting.hiring_team.add(recruiter)
    extra = [
        QuestionFactory(posting=posting, label=f"Question {i}?", position=i + 1)
        for i in range(questions - 1)
    ]
    data = form_data(**{q.field_name: "no" for q in extra})
    # One of them reads the confirmation email's wording (conversations.email_templates).
    with django_assert_max_num_queries(32):
        response = client.post("/jobs/backend-engineer/apply/", data)
    assert response.status_code == 302
