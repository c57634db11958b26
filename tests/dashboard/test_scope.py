"""The scope matrix: Bob, hiring manager of Backend Engineer (posting A), gets a 404 from every
dashboard URL and action of Data Scientist (posting B), changes nothing there, and never sees
B's rows on a list page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, RejectionReason, StageChange
from applications.resumes import pdf_bytes_with_text
from conversations.models import Message
from conversations.services import send_message
from dashboard import urls_interviews, urls_pipeline, urls_postings
from dashboard.models import Note
from dashboard.services import add_note
from interviews.models import Decision, Interview, InterviewStep
from notifications.models import OutboxEmail
from offers.models import LetterTemplate, Offer, OfferApprover
from search.services import reindex
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def b(other_posting, other_application, other_manager, recruiter):
    """Posting B with an applicant, a note, its pipeline, a question and a team member."""
    add_note(application=other_application, author=recruiter, body="Strong SQL.")
    scheduled = send_message(
        application=other_application,
        author=recruiter,
        subject="Next week",
        body="Hi",
        send_at=timezone.now() + timedelta(days=2),
    )
    reply = factories.reply(other_application, attachment=("cv.pdf", b"%PDF-1.4 cv"))
    return {
        "message": scheduled,
        "attachment": reply.attachments.get(),
        "posting": other_posting,
        "application": other_application,
        "stage": other_posting.stages.get(name="Screen"),
        "question": other_posting.questions.get(),
        "member": other_manager,
        "step": other_posting.stages.get(name="Interview").interview_steps.first(),
    }


def matrix(b):
    """Every dashboard URL that names a posting, for posting B: (name, kwargs, post_only)."""
    p, app = b["posting"].pk, b["application"].pk
    stage, question, member = b["stage"].pk, b["question"].pk, b["member"].pk
    step = b["step"].pk
    return [
        # The pipeline room.
        ("dashboard:board", {"posting_pk": p}, False),
        ("dashboard:board_list", {"posting_pk": p}, False),
        ("dashboard:board_column", {"posting_pk": p, "stage_pk": stage}, False),
        ("dashboard:bulk_action", {"posting_pk": p}, True),
        ("dashboard:export_csv", {"posting_pk": p}, False),
        ("dashboard:application", {"posting_pk": p, "pk": app}, False),
        ("dashboard:move", {"posting_pk": p, "pk": app}, True),
        ("dashboard:reject", {"posting_pk": p, "pk": app}, True),
        ("dashboard:add_note", {"posting_pk": p, "pk": app}, True),
        ("dashboard:decide", {"posting_pk": p, "pk": app}, True),
        ("dashboard:compose", {"posting_pk": p, "pk": app}, False),
        ("dashboard:compose_bulk", {"posting_pk": p}, True),
        ("dashboard:cancel_message", {"posting_pk": p, "pk": app}, True),
        (
            "dashboard:message_attachment",
            {"posting_pk": p, "pk": app, "attachment_pk": b["attachment"].pk},
            False,
        ),
        ("dashboard:resume_inline", {"posting_pk": p, "pk": app}, False),
        ("dashboard:resume_download", {"posting_pk": p, "pk": app}, False),
        # Posting management.
        ("dashboard:posting_edit", {"pk": p}, False),
        ("dashboard:posting_publish", {"pk": p}, True),
        ("dashboard:posting_close", {"pk": p}, True),
        ("dashboard:posting_fill", {"pk": p}, True),
        ("dashboard:posting_keep_open", {"pk": p}, True),
        ("dashboard:posting_questions", {"pk": p}, False),
        ("dashboard:question_edit", {"pk": p, "question_pk": question}, False),
        ("dashboard:question_move", {"pk": p, "question_pk": question}, True),
        ("dashboard:question_delete", {"pk": p, "question_pk": question}, False),
        ("dashboard:posting_stages", {"pk": p}, False),
        ("dashboard:stage_edit", {"pk": p, "stage_pk": stage}, False),
        ("dashboard:stage_move", {"pk": p, "stage_pk": stage}, True),
        ("dashboard:stage_delete", {"pk": p, "stage_pk": stage}, False),
        ("dashboard:posting_plan", {"pk": p}, False),
        ("dashboard:plan_copy", {"pk": p}, True),
        ("dashboard:step_edit", {"pk": p, "step_pk": step}, False),
        ("dashboard:step_move", {"pk": p, "step_pk": step}, True),
        ("dashboard:step_delete", {"pk": p, "step_pk": step}, False),
        ("dashboard:posting_team", {"pk": p}, False),
        ("dashboard:posting_team_remove", {"pk": p, "user_pk": member}, True),
    ]


# Plausible form data, so that a view missing its scope check would act rather than fail.
POST_DATA = {
    "stage": "",
    "reason": "Not a fit",
    "quiet": "",
    "rejection_reason": "",
    "body": "Leaked @alice",
    "action": "reject",
    "title": "Hijacked",
    "label": "Hijacked?",
    "name": "Hijacked",
    "direction": "up",
    "user": "",
    "outcome": "advance",
    "kind": "video",
    "duration_minutes": "30",
    "subject": "Leaked",
    "when": "now",
}


def test_the_matrix_lists_every_dashboard_url_that_names_a_posting(b):
    named = {
        f"dashboard:{pattern.name}"
        for pattern in [*urls_pipeline.urlpatterns, *urls_postings.urlpatterns]
        if "<int:pk>" in str(pattern.pattern) or "<int:posting_pk>" in str(pattern.pattern)
    }
    assert named == {name for name, _, _ in matrix(b)}


def test_a_hiring_manager_gets_404_on_every_url_and_action_of_another_teams_posting(
    as_manager, b, application
):
    data = {
        **POST_DATA,
        "stage": b["stage"].pk,
        "applications": [b["application"].pk],
        "source": application.posting_id,  # copying Bob's own plan into B
        "message": b["message"].pk,  # cancelling B's scheduled message
    }
    steps_of_b = InterviewStep.objects.filter(stage__posting=b["posting"])
    before = (
        list(steps_of_b.values_list("pk", "name", "position")),
        Decision.objects.count(),
        StageChange.objects.count(),
        Note.objects.count(),
        OutboxEmail.objects.count(),
        list(OutboxEmail.objects.values_list("pk", "status")),
        Message.objects.count(),
        b["posting"].questions.count(),
        b["posting"].stages.count(),
        b["posting"].hiring_team.count(),
    )
    for name, kwargs, post_only in matrix(b):
        url = reverse(name, kwargs=kwargs)
        assert as_manager.post(url, data).status_code == 404, f"POST {url}"
        get = as_manager.get(url).status_code
        assert get == (405 if post_only else 404), f"GET {url}"

    b["posting"].refresh_from_db()
    b["application"].refresh_from_db()
    assert b["posting"].title == "Data Scientist" and b["posting"].status == "open"
    assert b["application"].stage.name == "Applied"
    assert before == (
        list(steps_of_b.values_list("pk", "name", "position")),
        Decision.objects.count(),
        StageChange.objects.count(),
        Note.objects.count(),
        OutboxEmail.objects.count(),
        list(OutboxEmail.objects.values_list("pk", "status")),
        Message.objects.count(),
        b["posting"].questions.count(),
        b["posting"].stages.count(),
        b["posting"].hiring_team.count(),
    )


def test_the_interview_matrix_lists_every_dashboard_url_naming_an_interview_or_a_step(
    b_interview,
):
    from dashboard import urls_scorecards

    named = {
        f"dashboard:{pattern.name}"
        for pattern in [*urls_interviews.urlpatterns, *urls_scorecards.urlpatterns]
        if "<int:" in str(pattern.pattern)
    }
    assert named == {name for name, _, _ in interview_matrix(b_interview)}


@pytest.mark.parametrize("who", ["hiring manager of another posting", "interviewer not on it"])
def test_interview_urls_of_another_posting_are_404_and_change_nothing(
    client, b_interview, hiring_manager, interviewer, who
):
    client.force_login(hiring_manager if who.startswith("hiring") else interviewer)
    data = {
        "starts_at": "2030-01-07T10:00",
        "interviewers": [b_interview.step.interviewers.get().pk],
        "reason": "Hijacked",
        "starts": ["2030-01-07T10:00:00+00:00"],
        "days": "5",
    }
    before = list(Interview.objects.values_list("pk", "status", "starts_at", "sequence"))
    emails = OutboxEmail.objects.count()
    for name, kwargs, post_only in interview_matrix(b_interview):
        url = reverse(name, kwargs=kwargs)
        assert client.post(url, data).status_code == 404, f"POST {url}"
        assert client.get(url).status_code == (405 if post_only else 404), f"GET {url}"
    assert list(Interview.objects.values_list("pk", "status", "starts_at", "sequence")) == before
    assert OutboxEmail.objects.count() == emails


# Staff URLs that name no posting but are for recruiters only: anyone else gets a 404.
RECRUITERS_ONLY = ["dashboard:rejection_reasons", "dashboard:reports-fairness"]


def test_wrapping_up_a_filled_posting_is_404_outside_the_team_and_403_for_its_manager(
    client, b, hiring_manager, skills_mismatch
):
    """Posting B, filled: Bob (another team) cannot find it; Dana, its own hiring manager,
    may read that it is filled but neither close it nor keep it open."""
    from applications.services import move_application
    from postings.models import Posting

    hired = b["posting"].stages.get(kind="hired")
    move_application(application=b["application"], to_stage=hired)
    other = factories.apply(b["posting"], name="Yan Still Open", email="yan@example.com")
    data = {"rejection_reason": skills_mismatch.pk, "reason": "Filled"}
    for user, status in ((hiring_manager, 404), (b["member"], 403)):
        client.force_login(user)
        for name in ("dashboard:posting_fill", "dashboard:posting_keep_open"):
            url = reverse(name, kwargs={"pk": b["posting"].pk})
            assert client.post(url, data).status_code == status, f"POST {url} as {user}"
    posting = Posting.objects.get(pk=b["posting"].pk)
    assert (posting.status, posting.fill_answered_at_hires) == ("open", None)
    assert other.stage.kind == "applied"
    other.refresh_from_db()
    assert other.stage.kind == "applied"


def test_a_hiring_manager_gets_404_on_every_recruiters_only_url_and_changes_nothing(
    client, hiring_manager, recruiter
):
    before = list(RejectionReason.objects.values_list("label", "active"))
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-label": "Hijacked",
        "form-0-position": "0",
        "form-0-active": "on",
    }
    for name in RECRUITERS_ONLY:
        url = reverse(name)
        client.force_login(hiring_manager)
        assert client.get(url).status_code == 404, f"GET {url}"
        assert client.post(url, data).status_code == 404, f"POST {url}"
        client.force_login(recruiter)
        assert client.get(url).status_code == 200, f"GET {url} as a recruiter"
    assert list(RejectionReason.objects.values_list("label", "active")) == before


def test_an_application_is_only_found_under_its_own_posting(as_recruiter, b, application):
    mixed = [
        reverse("dashboard:application", args=[application.posting_id, b["application"].pk]),
        reverse("dashboard:application", args=[b["posting"].pk, application.pk]),
        reverse("dashboard:resume_download", args=[b["posting"].pk, application.pk]),
    ]
    for url in mixed:
        assert as_recruiter.get(url).status_code == 404, url


def test_someone_without_a_staff_profile_is_refused_and_anonymous_is_sent_to_login(
    client, application
):
    board = reverse("dashboard:board", args=[application.posting_id])
    response = client.get(board)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(factories.UserFactory(username="nobody", profile=None))
    assert client.get(board).status_code == 403


def test_list_pages_never_show_another_teams_rows(as_manager, b, application, hiring_manager):
    # The same person applied to both: Bob sees only the application of his posting.
    both = factories.submit(b["posting"], email="jane@example.com", name="Jane Doe")
    add_note(application=application, author=hiring_manager, body="Looks good.")
    pages = [
        reverse("dashboard:home"),
        reverse("dashboard:postings"),
        reverse("dashboard:board", args=[application.posting_id]),
        reverse("dashboard:application", args=[application.posting_id, application.pk]),
        reverse("dashboard:export_csv", args=[application.posting_id]),
        *(reverse(name, kwargs=kwargs) for name, kwargs, _ in reports_matrix()),
        # The global search, for words in B's applicant, resume and note, and Jane's too.
        reverse("dashboard:search") + "?q=zoe",
        reverse("dashboard:search") + "?q=sql",
        reverse("dashboard:search") + "?q=jane",
        reverse("dashboard:search") + "?q=jane&posting=" + str(b["posting"].pk),
    ]
    # What the notes' commit does: the index learns of them.
    reindex(Application.objects.values_list("pk", flat=True))
    for url in pages:
        response = as_manager.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert "Data Scientist" not in body, url
        assert "Zoe Other" not in body, url
        assert "Strong SQL" not in body, url
        assert f"/applications/{both.pk}/" not in body, url
    assert "Backend Engineer" in as_manager.get(reverse("dashboard:home")).content.decode()


def test_a_recruiter_sees_every_posting_and_the_candidates_other_applications(
    as_recruiter, b, application
):
    both = factories.submit(b["posting"], email="jane@example.com", name="Jane Doe")
    page = as_recruiter.get(
        reverse("dashboard:application", args=[application.posting_id, application.pk])
    ).content.decode()
    assert f"/dashboard/postings/{b['posting'].pk}/applications/{both.pk}/" in page
    home = as_recruiter.get(reverse("dashboard:home")).content.decode()
    assert "Data Scientist" in home and "Backend Engineer" in home


def test_a_scoped_lookup_given_a_queryset_runs_one_query_not_the_whole_table(
    recruiter, application, django_assert_num_queries
):
    from applications.models import Application
    from dashboard.scope import get_application, get_posting
    from postings.models import Posting

    assert recruiter.profile.is_recruiter  # cached, as staff_required leaves it
    with django_assert_num_queries(2):  # the posting, then its teams
        get_posting(recruiter, application.posting_id, Posting.objects.prefetch_related("teams"))
    with django_assert_num_queries(1):
        get_application(
            recruiter,
            application.posting_id,
            application.pk,
            Application.objects.select_related("candidate"),
        )


# Interviews: every dashboard URL naming an interview, and the interviewer persona, Erin, who
# reaches an application only through the interviews she sits on.


def interview_matrix(interview):
    """Every dashboard URL that names an interview, or an application and a plan step:
    (name, kwargs, post_only)."""
    pk = {"pk": interview.pk}
    app_step = {"application_pk": interview.application_id, "step_pk": interview.step_id}
    return [
        ("dashboard:interview", pk, False),
        ("dashboard:interview_ics", pk, False),
        ("dashboard:interview_reschedule", pk, False),
        ("dashboard:interview_cancel", pk, True),
        ("dashboard:interview_no_show", pk, True),
        ("dashboard:interview_schedule", app_step, False),
        ("dashboard:interview_offer", app_step, False),
        ("dashboard:scorecard", pk, False),
        ("dashboard:scorecard_autosave", pk, True),
        ("dashboard:interview_resume_inline", pk, False),
        ("dashboard:interview_resume_download", pk, False),
    ]


@pytest.fixture
def b_interview(b, frank):
    """Zoe's interview for posting B, held yesterday by Frank, from the pool of B's step."""
    step = factories.interview_step(
        b["posting"], name="SQL screen", attributes=("SQL",), interviewers=[frank]
    )
    return factories.scheduled_interview(
        b["application"],
        step,
        interviewers=[frank],
        starts_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def a_not_hers(application, screen_step, frank):
    """Another interview of Jane's, held by Frank alone: Erin does not sit on it."""
    return factories.scheduled_interview(
        application,
        screen_step,
        interviewers=[frank],
        starts_at=timezone.now() - timedelta(days=2),
    )


SCORECARD_DATA = {"action": "submit", "recommendation": "strong_yes", "key_points": "Hijacked"}


def _all_404(client, urls, data):
    for name, kwargs, post_only in urls:
        url = reverse(name, kwargs=kwargs)
        assert client.post(url, data).status_code == 404, f"POST {url}"
        assert client.get(url).status_code == (405 if post_only else 404), f"GET {url}"


def test_a_hiring_manager_gets_404_on_every_url_of_another_teams_interview(as_manager, b_interview):
    from interviews.models import Scorecard

    _all_404(as_manager, interview_matrix(b_interview), SCORECARD_DATA)
    assert not Scorecard.objects.exists()


def test_an_interviewer_gets_404_on_every_posting_url_even_of_the_posting_she_interviews_for(
    client, interviewer, b, application, held_interview
):
    """Erin interviews Jane for posting A, yet no board, candidate page, resume or management
    page of A or B opens for her: she reaches Jane only through her interview."""
    client.force_login(interviewer)
    a = {
        "posting": application.posting,
        "application": application,
        "stage": application.posting.stages.get(name="Screen"),
        "question": application.posting.questions.get(),
        "member": factories.UserFactory(username="bob", role="hiring_manager"),
        "step": application.posting.stages.get(name="Interview").interview_steps.first(),
        "attachment": factories.reply(
            application, attachment=("cv.pdf", b"%PDF-1.4")
        ).attachments.get(),
    }
    application.posting.hiring_team.add(a["member"])
    before = (StageChange.objects.count(), Note.objects.count(), OutboxEmail.objects.count())
    for posting in (b, a):
        data = {**POST_DATA, "stage": posting["stage"].pk}
        _all_404(client, matrix(posting), data)
    assert before == (
        StageChange.objects.count(),
        Note.objects.count(),
        OutboxEmail.objects.count(),
    )
    assert client.get(reverse("dashboard:postings")).content.decode().count("Backend Engineer") == 0
    assert client.get(reverse("dashboard:rejection_reasons")).status_code == 404
    # No search either: the index holds the notes, private ones too, that she may not read.
    assert client.get(reverse("dashboard:search"), {"q": "jane"}).status_code == 404


def test_an_interviewer_gets_404_on_every_url_of_an_interview_she_does_not_sit_on(
    client, interviewer, b_interview, a_not_hers, held_interview
):
    from interviews.models import Scorecard

    client.force_login(interviewer)
    for interview in (a_not_hers, b_interview):
        _all_404(client, interview_matrix(interview), SCORECARD_DATA)
    assert not Scorecard.objects.exists()
    assert client.get(reverse("dashboard:scorecard", args=[held_interview.pk])).status_code == 200


def test_an_interviewer_sees_the_others_scorecards_only_after_submitting_hers(
    client, interviewer, frank, held_interview, a_not_hers
):
    """Independent feedback, on every page that shows scorecards to her."""
    from interviews import scorecards
    from interviews.scorecards import Feedback

    for interview in (held_interview, a_not_hers):
        scorecards.submit(
            interview=interview,
            interviewer=frank,
            feedback=Feedback(recommendation="no", key_points=f"Frank on {interview.pk}"),
        )
    client.force_login(interviewer)
    url = reverse("dashboard:scorecard", args=[held_interview.pk])
    pages = [url, reverse("dashboard:my_interviews")]
    for page in pages:
        assert "Frank on" not in client.get(page).content.decode(), page
    client.post(url, SCORECARD_DATA)
    page = client.get(url).content.decode()
    assert f"Frank on {held_interview.pk}" in page and f"Frank on {a_not_hers.pk}" in page


@pytest.fixture
def b_offer(b, recruiter, other_manager):
    """A draft offer on posting B's applicant, waiting for B's hiring manager."""

    today = timezone.localdate()
    offer = Offer.objects.create(
        application=b["application"],
        job_title="Data Scientist",
        base_salary=100_000,
        currency="USD",
        start_date=today + timedelta(days=30),
        expires_on=today + timedelta(days=7),
        letter="Dear {{ candidate_name }}",
        status=Offer.Status.PENDING,
        created_by=recruiter,
    )
    OfferApprover.objects.create(offer=offer, user=other_manager, position=0)
    return offer


def offer_matrix(offer):
    """Every dashboard URL naming an offer, or the application an offer is drafted for."""
    pk = offer.pk
    return [
        ("dashboard:offer_new", {"application_pk": offer.application_id}, False),
        ("dashboard:offer", {"pk": pk}, False),
        ("dashboard:offer_edit", {"pk": pk}, False),
        ("dashboard:offer_submit", {"pk": pk}, True),
        ("dashboard:offer_decide", {"pk": pk}, True),
        ("dashboard:offer_send", {"pk": pk}, True),
        ("dashboard:offer_withdraw", {"pk": pk}, True),
        ("dashboard:offer_revise", {"pk": pk}, True),
        ("dashboard:offer_letter", {"pk": pk}, False),
        (
            "dashboard:offer_letter_template",
            {"posting_pk": offer.application.posting_id},
            False,
        ),
    ]


def test_the_offer_matrix_lists_every_offer_url(b_offer):
    from dashboard import urls_offers

    named = {f"dashboard:{pattern.name}" for pattern in urls_offers.urlpatterns}
    assert named == {name for name, _, _ in offer_matrix(b_offer)}


@pytest.mark.parametrize("who", ["hiring manager of another posting", "interviewer"])
def test_offer_urls_of_another_posting_are_404_and_change_nothing(
    client, b_offer, hiring_manager, interviewer, who
):
    client.force_login(hiring_manager if who.startswith("hiring") else interviewer)
    data = {
        "decision": "approve",
        "comment": "",
        "save": "1",
        "job_title": "Hijacked",
        "body": "Hijacked",
    }
    before = list(Offer.objects.values_list("pk", "status", "job_title"))
    emails = OutboxEmail.objects.count()
    for name, kwargs, post_only in offer_matrix(b_offer):
        url = reverse(name, kwargs=kwargs)
        assert client.post(url, data).status_code == 404, f"POST {url}"
        assert client.get(url).status_code == (405 if post_only else 404), f"GET {url}"
    assert list(Offer.objects.values_list("pk", "status", "job_title")) == before
    assert not LetterTemplate.objects.exists()
    assert OutboxEmail.objects.count() == emails


# The Inbox of unmatched replies: recruiters and admins only. Its messages may concern any
# posting, so a hiring manager (even of the posting a message turns out to be about) and an
# interviewer find none of its pages.


@pytest.fixture
def inbox_message(b):
    from conversations import receiving
    from conversations.inbound import Inbound, RawAttachment

    message, _ = receiving.store(
        Inbound(
            message_id="<inbox-scope@example.com>",
            from_address="zoe@example.com",
            subject="Unmatched",
            text="Hello",
            attachments=[RawAttachment(name="cv.pdf", data=pdf_bytes_with_text("CV"))],
        )
    )
    return message


def inbox_matrix(message):
    pk = {"pk": message.pk}
    return [
        ("dashboard:inbox", {}, False),
        ("dashboard:inbox_message", pk, False),
        ("dashboard:inbox_assign", pk, True),
        ("dashboard:inbox_discard", pk, True),
        (
            "dashboard:inbox_attachment",
            {**pk, "attachment_pk": message.attachments.get().pk},
            False,
        ),
    ]


def test_the_inbox_matrix_lists_every_inbox_url(inbox_message):
    from dashboard import urls_inbox

    named = {f"dashboard:{pattern.name}" for pattern in urls_inbox.urlpatterns}
    assert named == {name for name, _, _ in inbox_matrix(inbox_message)}


@pytest.mark.parametrize("who", ["hiring manager of the posting", "interviewer"])
def test_inbox_urls_are_404_for_all_but_recruiters_and_change_nothing(
    client, b, inbox_message, interviewer, recruiter, who
):
    from conversations.models import Message

    client.force_login(b["member"] if who.startswith("hiring") else interviewer)
    _all_404(client, inbox_matrix(inbox_message), {"application": b["application"].pk})
    inbox_message.refresh_from_db()
    assert inbox_message.application is None and inbox_message.discarded_at is None
    assert Message.objects.inbox().count() == 1
    client.force_login(recruiter)
    for name, kwargs, post_only in inbox_matrix(inbox_message):
        if not post_only:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_assigning_from_the_inbox_reaches_only_applications_in_scope(
    as_recruiter, b, inbox_message
):
    """Erased applications are out of everyone's scope."""
    from applications.models import Application

    Application.objects.filter(pk=b["application"].pk).update(erased_at=timezone.now())
    url = reverse("dashboard:inbox_assign", args=[inbox_message.pk])
    assert as_recruiter.post(url, {"application": b["application"].pk}).status_code == 404


# Templates: the wording candidates read is for recruiters and admins only. Every other staff
# member, the hiring manager of the posting included, gets the 404 of a page that does not
# exist, and changes nothing.


@pytest.fixture
def wording(b, recruiter):
    from conversations import email_templates
    from conversations.models import MessageTemplate

    email_templates.save_email_template(kind="rejection", subject="G", body="G", by=recruiter)
    email_templates.save_email_template(
        kind="rejection", posting=b["posting"], subject="P", body="P", by=recruiter
    )
    return MessageTemplate.objects.create(
        name="Follow-up", posting=b["posting"], subject="S", body="B"
    )


def templates_matrix(posting, message_template):
    p, m = posting.pk, message_template.pk
    return [
        ("dashboard:templates", {}, False),
        ("dashboard:email_template", {"kind": "rejection"}, False),
        ("dashboard:email_template_reset", {"kind": "rejection"}, False),
        ("dashboard:posting_email_templates", {"posting_pk": p}, False),
        ("dashboard:email_template_posting", {"posting_pk": p, "kind": "rejection"}, False),
        ("dashboard:email_template_posting_reset", {"posting_pk": p, "kind": "rejection"}, False),
        ("dashboard:message_template_new", {}, False),
        ("dashboard:message_template_edit", {"pk": m}, False),
        ("dashboard:message_template_delete", {"pk": m}, False),
    ]


def test_the_templates_matrix_lists_every_templates_url(b, wording):
    from dashboard import urls_templates

    named = {f"dashboard:{pattern.name}" for pattern in urls_templates.urlpatterns}
    assert named == {name for name, _, _ in templates_matrix(b["posting"], wording)}


@pytest.mark.parametrize(
    "who", ["hiring manager of the posting", "hiring manager of another", "interviewer"]
)
def test_templates_urls_are_404_for_all_but_recruiters_and_change_nothing(
    client, b, wording, hiring_manager, interviewer, recruiter, who
):
    from conversations.models import EmailTemplate, MessageTemplate

    person = {
        "hiring manager of the posting": b["member"],
        "hiring manager of another": hiring_manager,
        "interviewer": interviewer,
    }[who]
    data = {"subject": "Hijacked", "body": "Hijacked", "save": "1", "name": "Hijacked"}

    def state():
        return (
            list(EmailTemplate.objects.values_list("pk", "posting", "subject", "body")),
            list(MessageTemplate.objects.values_list("pk", "posting", "name", "body")),
        )

    before = state()
    client.force_login(person)
    for name, kwargs, _ in templates_matrix(b["posting"], wording):
        url = reverse(name, kwargs=kwargs)
        assert client.post(url, data).status_code == 404, f"POST {url}"
        assert client.get(url).status_code == 404, f"GET {url}"
    assert state() == before
    nav = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("dashboard:templates") not in nav

    client.force_login(recruiter)
    for name, kwargs, _ in templates_matrix(b["posting"], wording):
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 200, f"GET {url} as a recruiter"


# Sourcing: adding a person names a posting, the candidate pages name a candidate. A candidate
# is in scope through an application the user may see; referrals name nothing and show only
# the user's own.


def sourcing_matrix(b):
    """Every sourcing URL naming a posting or a candidate, for posting B and its applicant."""
    from sourcing.models import Tag

    candidate = {"pk": b["application"].candidate_id}
    tag = Tag.objects.get_or_create(name="sql")[0]
    return [
        ("dashboard:add_candidate", {"posting_pk": b["posting"].pk}, False),
        ("dashboard:candidate", candidate, False),
        ("dashboard:candidate_add_to_posting", candidate, True),
        ("dashboard:candidate_tag_add", candidate, True),
        ("dashboard:candidate_tag_remove", {**candidate, "tag_pk": tag.pk}, True),
        ("dashboard:candidate_merge", candidate, False),
    ]


def test_the_sourcing_matrix_lists_every_sourcing_url_naming_an_object(b):
    from dashboard import urls_sourcing

    named = {
        f"dashboard:{pattern.name}"
        for pattern in urls_sourcing.urlpatterns
        if "<int:" in str(pattern.pattern)
    }
    assert named == {name for name, _, _ in sourcing_matrix(b)}


@pytest.mark.parametrize("who", ["hiring manager of another posting", "interviewer"])
def test_sourcing_urls_of_another_posting_are_404_and_change_nothing(
    client, b, hiring_manager, interviewer, application, recruiter, who
):
    from applications.models import Application, Candidate
    from sourcing.models import CandidateTag
    from sourcing.services import add_tag

    add_tag(candidate=b["application"].candidate, name="sql", by=recruiter)
    client.force_login(hiring_manager if who.startswith("hiring") else interviewer)
    data = {
        "name": "Hijacked",
        "email": "hijack@example.com",
        "source": "sourced",
        "sourced_by": hiring_manager.pk,
        "stage": b["stage"].pk,
        "posting": application.posting_id,
        "other": application.candidate_id,
        "confirm": "1",
    }
    before = (
        Application.objects.count(),
        CandidateTag.objects.count(),
        list(Candidate.objects.values_list("pk", "merged_into")),
    )
    _all_404(client, sourcing_matrix(b), data)
    assert before == (
        Application.objects.count(),
        CandidateTag.objects.count(),
        list(Candidate.objects.values_list("pk", "merged_into")),
    )


def test_referral_pages_open_for_every_staff_role_and_list_only_ones_own(
    client, b, hiring_manager, interviewer, recruiter
):
    from sourcing.models import Origin

    Origin.objects.create(
        application=b["application"], source="referral", by=recruiter, added_by=recruiter
    )
    for user in (hiring_manager, interviewer, recruiter):
        client.force_login(user)
        for name in ("dashboard:refer", "dashboard:my_referrals"):
            assert client.get(reverse(name)).status_code == 200, (name, user)
        mine = client.get(reverse("dashboard:my_referrals")).content.decode()
        assert ("Zoe Other" in mine) == (user == recruiter)


# Reports: recruiters and admins see every posting's figures, hiring managers their own (the
# list-page test above), interviewers find none of the pages.


def reports_matrix():
    from dashboard.views_reports import REPORTS

    return [
        ("dashboard:reports", {}, False),
        *(("dashboard:report_csv", {"report": slug}, False) for slug in REPORTS),
    ]


def test_the_reports_matrix_lists_every_reports_url():
    from dashboard import urls_reports

    named = {f"dashboard:{pattern.name}" for pattern in urls_reports.urlpatterns}
    assert named == {name for name, _, _ in reports_matrix()}


def test_reports_urls_are_404_for_interviewers_and_open_for_the_rest(
    client, b, interviewer, hiring_manager, recruiter
):
    client.force_login(interviewer)
    _all_404(client, reports_matrix(), {})
    for user in (hiring_manager, b["member"], recruiter):
        client.force_login(user)
        for name, kwargs, _ in reports_matrix():
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, (name, user)
