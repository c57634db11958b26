"""Query counts of the dashboard home, the board and the candidate page: pinned, and the same
with 10 applications as with 1,000."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.services import move_application
from conversations.services import send_message
from dashboard.services import add_note
from tests.factories import bulk_applications

pytestmark = pytest.mark.django_db

# (url, queries): session, user and profile are three of each; the rest is the page's own.
PAGES = {
    # Each page that names its postings reads their teams with one query more; the home
    # reads the offers waiting for the user's approval and those out with candidates in two.
    "home": (lambda app, q: reverse("dashboard:home"), 13),
    # The board reads each non-empty column's first cards with a query of its own (four
    # columns here): the count follows the pipeline's length, never the applications'.
    # One more reads the rejection reasons that every card's reject form offers, and one the
    # posting's teams. Three read the cards' interviews, scorecards and interviewers' seats,
    # and one their offers, and one the tags of the cards' candidates. One counts the
    # posting's hires, through its hired stages (a join in the posting's query counted every
    # application of the posting).
    "board": (lambda app, q: reverse("dashboard:board", args=[app.posting_id]), 20),
    "filtered board": (
        lambda app, q: (
            reverse("dashboard:board", args=[app.posting_id])
            + f"?q=applicant&answer_{q.pk}=yes&source=direct&submitted_from=2020-01-01"
        ),
        # Under a search one query numbers the matches for every column's count and first
        # cards, and one reads those cards whole; on PostgreSQL they run in a transaction of
        # their own that plans them on the search indexes (a savepoint, SET LOCAL and its
        # release).
        20,
    ),
    "board column": (
        lambda app, q: (
            reverse("dashboard:board_column", args=[app.posting_id, app.posting.stages.first().pk])
            + "?page=1"
        ),
        16,
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
        # and the application's interviews (their seats in one more, when any), its offers,
        # and the posting's hires, for the question a filled posting asks; its conversation's
        # messages (with their outbox rows and authors), and their attachments
        20,
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
    send_message(application=application, author=recruiter, subject="Hello", body="Hi")
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


def _interviews_for(user, posting, count: int, *, step):
    """`count` interviews with `user` on each, half held before yesterday (feedback due), half
    to come; written in bulk."""
    from interviews.models import Interview, InterviewerSeat

    now = timezone.now()

    # An hour apart, after those already made: on PostgreSQL no seat may overlap another.
    offset = Interview.objects.count()

    def starts(i):
        hours = timedelta(hours=offset + i)
        return now - timedelta(days=1) - hours if i % 2 == 0 else now + hours

    applications = bulk_applications(posting, count)
    interviews = Interview.objects.bulk_create(
        Interview(
            application=application,
            step=step,
            starts_at=starts(i),
            ends_at=starts(i) + timedelta(minutes=45),
        )
        for i, application in enumerate(applications)
    )
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(
            interview=i, user=user, starts_at=i.starts_at, ends_at=i.ends_at, active=True
        )
        for i in interviews
    )
    return interviews


# Session, user and profile, then the page's own: its two lists and their counts.
YOUR_INTERVIEWS = 7


def test_your_interviews_query_count_is_pinned_and_the_same_at_10_and_1000_interviews(
    client, interviewer, posting, django_assert_max_num_queries
):
    from interviews import scorecards
    from interviews.scorecards import Feedback
    from tests.factories import interview_step

    step = interview_step(posting)
    client.force_login(interviewer)
    interviews = _interviews_for(interviewer, posting, 10, step=step)
    scorecards.save_draft(interview=interviews[0], interviewer=interviewer, feedback=Feedback())
    scorecards.submit(
        interview=interviews[2], interviewer=interviewer, feedback=Feedback(recommendation="yes")
    )
    url = reverse("dashboard:my_interviews")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as at_10:
        client.get(url)

    _interviews_for(interviewer, posting, 990, step=step)
    with django_assert_max_num_queries(YOUR_INTERVIEWS) as at_1000:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Write scorecard<") == 50
    assert len(at_1000.captured_queries) == len(at_10.captured_queries), "\n".join(
        q["sql"] for q in at_1000.captured_queries
    )


# Session, user and profile, then the page's own: the interview, its attributes, the policy's
# questions (seat, own scorecard and its ratings, scope, own submissions, feedback owed), the
# others' scorecards with their ratings and amendments, answers, notes.
SCORECARD_PAGE = 18


def test_the_scorecard_page_query_count_is_pinned_and_the_same_for_2_and_12_colleagues(
    client, interviewer, application, django_assert_max_num_queries
):
    from interviews import scorecards
    from interviews.scorecards import Feedback
    from tests.factories import UserFactory, interview_step, scheduled_interview

    step = interview_step(application.posting)
    colleagues = [UserFactory(username=f"colleague{i}", role="interviewer") for i in range(12)]
    interview = scheduled_interview(
        application,
        step,
        interviewers=[interviewer, *colleagues],
        starts_at=timezone.now() - timedelta(hours=3),
    )
    attributes = {a.pk: 3 for a in step.attributes.all()}

    def submit(user):
        card = scorecards.submit(
            interview=interview,
            interviewer=user,
            feedback=Feedback(recommendation="yes", key_points="Good", ratings=attributes),
        )
        card.submitted_at -= timedelta(days=1)
        card.save()
        scorecards.amend(
            scorecard=card, by=user, feedback=Feedback(recommendation="no"), reason="Rethought"
        )

    for user in [interviewer, *colleagues[:2]]:
        submit(user)
    add_note(application=application, author=interviewer, body="A note")
    client.force_login(interviewer)
    url = reverse("dashboard:scorecard", args=[interview.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as at_2:
        client.get(url)

    for user in colleagues[2:]:
        submit(user)
    with django_assert_max_num_queries(SCORECARD_PAGE) as at_12:
        response = client.get(url)
    assert response.content.decode().count("Why: Rethought") == 13
    assert len(at_12.captured_queries) == len(at_2.captured_queries), "\n".join(
        q["sql"] for q in at_12.captured_queries
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
        # and the interviews section's: the interviews, and their seats; the offers; the
        # conversation's messages (none here, so no attachments read)
        21,
    ),
    "board": (lambda app: reverse("dashboard:board", args=[app.posting_id]), 20),
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


def _conversation(application, author, count: int):
    """`count` messages each way; every reply with an attachment; some sent, some failed."""
    from notifications.models import OutboxEmail
    from tests import factories

    for i in range(count):
        sent = send_message(application=application, author=author, subject=f"Out {i}", body="Hi")
        OutboxEmail.objects.filter(pk=sent.outbox_id).update(
            status="failed" if i % 2 else "cancelled", last_error="550" if i % 2 else ""
        )
        factories.reply(application, subject=f"Re: Out {i}", attachment=("cv.pdf", b"%PDF"))


def test_the_candidate_page_reads_its_conversation_in_the_same_queries_for_1_and_30_messages(
    client, hiring_manager, recruiter, application, django_assert_max_num_queries
):
    client.force_login(hiring_manager)
    url = reverse("dashboard:application", args=[application.posting_id, application.pk])
    _conversation(application, recruiter, 1)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    _conversation(application, recruiter, 14)
    with django_assert_max_num_queries(PAGES["candidate page"][1]) as many:
        html = client.get(url).content.decode()
    assert html.count("cv.pdf") == 15 and html.count("wrote to the candidate") == 15
    assert len(many.captured_queries) == len(few.captured_queries), "\n".join(
        q["sql"] for q in many.captured_queries
    )
