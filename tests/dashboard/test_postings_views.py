"""The posting management pages: what recruiters can change, what hiring managers may only
read, what everyone else cannot even see, and every message as the user reads it."""

import html
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Stage
from applications.services import move_application
from postings.models import Posting, Question, Team
from tests import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it: tags gone, entities decoded, whitespace squeezed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def as_recruiter(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def visitor():
    """A careers-site visitor without a session: the one the page cache serves."""
    return Client()


@pytest.fixture
def as_manager(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


def posting_data(posting=None, **changes) -> dict:
    """The posting form as a browser would post it, with its sections formset."""
    teams = posting.teams.all() if posting else [factories.TeamFactory(name="Core", slug="core")]
    data = {
        "title": posting.title if posting else "Site Reliability Engineer",
        "slug": posting.slug if posting else "",
        "teams": [team.pk for team in teams],
        "summary": "Keep the lights on.",
        "locations": [location.pk for location in posting.locations.all()] if posting else [],
        "employment_type": "full_time",
        "workplace_type": "remote",
        "salary_min": "120000",
        "salary_max": "180000",
        "salary_currency": "usd",
        "salary_period": "year",
        "pay_transparency_note": "",
        "closes_at": "",
        "rejection_email_delay_hours": "48",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "30",
        "sections-0-heading": "About the role",
        "sections-0-body": "- Run things\n- Fix things",
        "sections-0-ORDER": "2",
        "sections-1-heading": "About you",
        "sections-1-body": "You like **pagers**.",
        "sections-1-ORDER": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The posting list


def test_the_list_shows_status_team_counts_and_links(as_recruiter, posting):
    factories.submit(posting)
    draft = factories.PostingFactory(title="Designer", status="draft", published_at=None)
    response = as_recruiter.get(reverse("dashboard:postings"))
    page = text(response)
    # The status shows in its own column, and under the team on phones.
    assert "Backend Engineer Core Open Open 1 1 new" in page
    assert "Designer" in page
    assert "Draft" in page
    assert reverse("dashboard:posting_edit", args=[draft.pk]) in response.content.decode()
    assert "New posting" in page


def test_the_list_filters_by_status_and_search(as_recruiter, posting):
    factories.PostingFactory(title="Designer", status="draft", published_at=None)
    drafts = text(as_recruiter.get(reverse("dashboard:postings"), {"status": "draft"}))
    assert "Designer" in drafts
    assert "Backend Engineer" not in drafts
    found = text(as_recruiter.get(reverse("dashboard:postings"), {"q": "backend"}))
    assert "Backend Engineer" in found
    assert "Designer" not in found


def test_a_hiring_manager_lists_only_their_postings_and_cannot_create(as_manager, posting):
    factories.PostingFactory(title="Someone Else's Role")
    page = text(as_manager.get(reverse("dashboard:postings")))
    assert "Backend Engineer" in page
    assert "Someone Else's Role" not in page
    assert "New posting" not in page


def list_queries(client, count: int) -> int:
    team = Team.objects.get(slug="core")
    created = Posting.objects.bulk_create(
        Posting(
            title=f"Role {n}",
            slug=f"role-{count}-{n}",
            status="open",
            published_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        for n in range(count - Posting.objects.count())
    )
    Posting.teams.through.objects.bulk_create(
        Posting.teams.through(posting_id=posting.pk, team_id=team.pk) for posting in created
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:postings"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_at_10_and_1000_postings(
    as_recruiter, posting, django_assert_max_num_queries
):
    factories.submit(posting)
    # The nav's Inbox count is read once, then cached: not a cost of the list.
    as_recruiter.get(reverse("dashboard:postings"))
    at_10 = list_queries(as_recruiter, 10)
    at_1000 = list_queries(as_recruiter, 1000)
    assert at_10 == at_1000
    # session, user, profile, count, page, teams, and the counts of applications: per stage,
    # stages
    with django_assert_max_num_queries(8):
        as_recruiter.get(reverse("dashboard:postings"))


# Creating and editing


def test_a_recruiter_creates_a_draft_with_sections_in_the_order_given(as_recruiter):
    response = as_recruiter.post(reverse("dashboard:posting_create"), posting_data())
    posting = Posting.objects.get(title="Site Reliability Engineer")
    assert response.status_code == 302
    assert response.url == reverse("dashboard:posting_questions", args=[posting.pk])
    assert posting.slug == "site-reliability-engineer"
    assert posting.status == Posting.Status.DRAFT
    assert posting.salary_currency == "USD"
    assert list(posting.sections.values_list("heading", flat=True)) == [
        "About you",
        "About the role",
    ]
    page = as_recruiter.get(response.url)
    assert messages_of(page) == [
        "“Site Reliability Engineer” is saved as a draft. Add its questions, then publish it."
    ]


def test_a_blank_slug_is_made_from_the_title_and_numbered_when_taken(as_recruiter, posting):
    as_recruiter.post(
        reverse("dashboard:posting_create"), posting_data(title="Backend Engineer", slug="")
    )
    assert Posting.objects.filter(slug="backend-engineer-2").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"teams": []}, "teams", "Choose at least one team."),
        (
            {"salary_min": "200000", "salary_max": "100000"},
            "salary_max",
            "The maximum must be at least the minimum.",
        ),
        ({"salary_max": ""}, "salary_max", "Give both ends of the salary range, or neither."),
        ({"salary_min": ""}, "salary_min", "Give both ends of the salary range, or neither."),
        ({"salary_min": "-5"}, "salary_min", "Ensure this value is greater than or equal to 0."),
        (
            {"salary_currency": "dollars"},
            "salary_currency",
            "Ensure this value has at most 3 characters (it has 7).",
        ),
        (
            {"salary_currency": "U$"},
            "salary_currency",
            "Use a three-letter currency code, such as USD or EUR.",
        ),
        (
            {"salary_currency": "abc"},
            "salary_currency",
            "ABC is not a currency code. Use an ISO 4217 code, such as USD, EUR or GBP.",
        ),
        (
            {"salary_currency": "DEM"},
            "salary_currency",
            "DEM is not a currency in use today. Use a current code, such as EUR.",
        ),
        ({"slug": "Not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"closes_at": "someday"}, "closes_at", "Enter a valid date/time."),
        ({"sections-1-body": ""}, None, "This field is required."),
        (
            {"title": "???", "slug": ""},
            "slug",
            "The title has no letters or digits to make an address from: type one.",
        ),
    ],
)
def test_invalid_input_shows_its_message_and_stores_nothing(as_recruiter, changes, field, message):
    response = as_recruiter.post(reverse("dashboard:posting_create"), posting_data(**changes))
    assert response.status_code == 200
    page = text(response)
    assert "Nothing was saved yet: please correct the fields marked below." in page
    assert message in page
    if field:
        assert any(message in error for error in response.context["form"].errors[field])
    assert not Posting.objects.exists()


def test_a_slug_another_posting_uses_is_refused_beside_the_field(as_recruiter, posting):
    response = as_recruiter.post(
        reverse("dashboard:posting_create"), posting_data(slug="backend-engineer")
    )
    assert response.context["form"].errors["slug"] == [
        "Another posting already uses this address. Choose another, or leave it blank to make "
        "one from the title."
    ]
    assert Posting.objects.count() == 1


def test_a_closing_date_before_publication_is_refused_beside_the_field(as_recruiter, posting):
    response = as_recruiter.post(
        reverse("dashboard:posting_edit", args=[posting.pk]),
        posting_data(posting, closes_at="2025-04-01T09:00"),
    )
    assert response.context["form"].errors["closes_at"] == [
        "A posting must close after it is published."
    ]
    posting.refresh_from_db()
    assert posting.closes_at is None


def test_a_recruiter_edits_a_posting_and_the_careers_page_shows_it(as_recruiter, visitor, posting):
    assert visitor.get(posting.get_absolute_url()).status_code == 200  # Now cached.
    response = as_recruiter.post(
        reverse("dashboard:posting_edit", args=[posting.pk]),
        posting_data(posting, title="Senior Backend Engineer", salary_max="260000"),
    )
    assert response.status_code == 302
    assert messages_of(as_recruiter.get(response.url)) == ["Changes saved."]
    posting.refresh_from_db()
    assert (posting.title, posting.slug, posting.salary_max) == (
        "Senior Backend Engineer",
        "backend-engineer",
        260_000,
    )
    careers = visitor.get(posting.get_absolute_url()).content.decode()
    assert "Senior Backend Engineer" in careers
    assert "You like <strong>pagers</strong>." in careers


def test_a_posting_on_two_teams_is_listed_once_with_its_true_counts(as_recruiter, posting):
    factories.submit(posting)
    monetization = factories.TeamFactory(name="Monetization", slug="monetization")
    data = posting_data(posting)
    data["teams"] = [*data["teams"], monetization.pk]
    response = as_recruiter.post(reverse("dashboard:posting_edit", args=[posting.pk]), data)
    assert response.status_code == 302
    assert [team.name for team in posting.teams.all()] == ["Core", "Monetization"]
    # "o" is in both team names: a join through teams would list it twice and count double.
    found = as_recruiter.get(reverse("dashboard:postings"), {"q": "o"})
    assert [(p.title, p.application_count) for p in found.context["postings"]] == [
        ("Backend Engineer", 1)
    ]
    assert "Core and Monetization" in text(found)
    board = as_recruiter.get(reverse("dashboard:board", args=[posting.pk]))
    assert "Core and Monetization" in text(board)


def test_the_edit_form_shows_the_saved_sections(as_recruiter, posting):
    response = as_recruiter.get(reverse("dashboard:posting_edit", args=[posting.pk]))
    assert response.context["sections"].initial == [
        {"heading": "About the role", "body": "Build things."}
    ]
    assert 'value="About the role"' in response.content.decode()


# Publishing and closing


def test_publish_opens_a_draft_on_the_careers_site_at_once(as_recruiter, visitor):
    draft = factories.PostingFactory(title="Designer", status="draft", published_at=None)
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    assert "Designer" not in text(visitor.get(reverse("postings:list")))
    response = as_recruiter.post(
        reverse("dashboard:posting_publish", args=[draft.pk]),
        {"next": reverse("dashboard:posting_stages", args=[draft.pk])},
    )
    assert response.url == reverse("dashboard:posting_stages", args=[draft.pk])
    assert messages_of(as_recruiter.get(response.url)) == [
        "“Designer” is open on the careers site."
    ]
    assert visitor.get(draft.get_absolute_url()).status_code == 200
    assert "Designer" in text(visitor.get(reverse("postings:list")))


def test_close_takes_the_posting_off_the_careers_site_at_once(as_recruiter, visitor, posting):
    assert "Backend Engineer" in text(visitor.get(reverse("postings:list")))  # Now cached.
    assert visitor.get(posting.get_absolute_url()).status_code == 200
    response = as_recruiter.post(reverse("dashboard:posting_close", args=[posting.pk]))
    assert response.url == reverse("dashboard:posting_edit", args=[posting.pk])
    assert messages_of(as_recruiter.get(response.url)) == [
        "“Backend Engineer” is closed: it no longer takes applications. "
        "Its applications stay in the pipeline."
    ]
    assert visitor.get(posting.get_absolute_url()).status_code == 410
    assert "Backend Engineer" not in text(visitor.get(reverse("postings:list")))


def test_publish_explains_a_passed_closing_date(as_recruiter):
    closed = factories.PostingFactory(status="closed", closes_at=datetime(2025, 5, 1, tzinfo=UTC))
    response = as_recruiter.post(
        reverse("dashboard:posting_publish", args=[closed.pk]), follow=True
    )
    assert messages_of(response) == [
        "Its closing date has passed. Change or clear the closing date, then publish."
    ]


def test_publish_and_close_ignore_a_next_outside_the_posting(as_recruiter, posting):
    response = as_recruiter.post(
        reverse("dashboard:posting_publish", args=[posting.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard:posting_edit", args=[posting.pk])


# Questions


def questions_url(posting):
    return reverse("dashboard:posting_questions", args=[posting.pk])


def test_a_recruiter_adds_a_choice_question_with_a_knockout(as_recruiter, posting):
    response = as_recruiter.post(
        questions_url(posting),
        {
            "label": "Where would you work from?",
            "kind": "single_choice",
            "required": "on",
            "choices": "Office\n\n  Home  \nAbroad",
            "knockout_answer": "Abroad",
        },
    )
    assert response.status_code == 302
    question = posting.questions.get(label="Where would you work from?")
    assert question.choices == ["Office", "Home", "Abroad"]
    assert question.knockout_answer == "Abroad"
    assert question.position == 1
    page = as_recruiter.get(questions_url(posting))
    assert messages_of(page) == ["Question added: “Where would you work from?”."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "single_choice", "choices": "Only one"},
            "choices",
            "A choice question needs at least two non-empty options.",
        ),
        (
            {"kind": "multiple_choice", "choices": "A\nA"},
            "choices",
            "Options must differ from each other.",
        ),
        (
            {"kind": "short_text", "choices": "A\nB"},
            "choices",
            "Only choice questions have options.",
        ),
        (
            {"kind": "short_text", "knockout_answer": "x"},
            "knockout_answer",
            "Only yes/no and choice questions can knock out.",
        ),
        ({"kind": "yes_no", "knockout_answer": "maybe"}, "knockout_answer", 'Use "yes" or "no".'),
        (
            {"kind": "single_choice", "choices": "A\nB", "knockout_answer": "C"},
            "knockout_answer",
            "The knock-out answer must be one of the options.",
        ),
        ({"kind": "yes_no", "label": ""}, "label", "This field is required."),
    ],
)
def test_question_errors_from_question_clean_show_beside_their_field(
    as_recruiter, posting, data, field, message
):
    response = as_recruiter.post(questions_url(posting), {"label": "Anything?", **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert posting.questions.count() == 1


def test_a_yes_no_knockout_is_accepted_in_any_case(as_recruiter, posting, internship_question):
    url = reverse("dashboard:question_edit", args=[posting.pk, internship_question.pk])
    response = as_recruiter.post(
        url,
        {"label": "Internship?", "kind": "yes_no", "required": "on", "knockout_answer": " Yes "},
    )
    assert response.status_code == 302
    internship_question.refresh_from_db()
    assert (internship_question.label, internship_question.knockout_answer) == (
        "Internship?",
        "yes",
    )


def test_an_answered_question_cannot_change_its_type(as_recruiter, posting, internship_question):
    factories.submit(posting)
    url = reverse("dashboard:question_edit", args=[posting.pk, internship_question.pk])
    page = text(as_recruiter.get(url))
    assert "1 applicant has answered this question." in page
    response = as_recruiter.post(url, {"label": "Internship?", "kind": "short_text"})
    assert response.context["form"].errors["kind"] == [
        "Applicants have answered this question, so its type cannot change. "
        "Add a new question instead."
    ]
    internship_question.refresh_from_db()
    assert internship_question.kind == Question.Kind.YES_NO


def test_questions_move_up_and_down_without_javascript(as_recruiter, posting, internship_question):
    factories.submit(posting)  # Answers make the page's query aggregate.
    second = factories.QuestionFactory(posting=posting, label="Second?", position=1)
    url = reverse("dashboard:question_move", args=[posting.pk, second.pk])
    response = as_recruiter.post(url, {"direction": "up"})
    assert response.url == questions_url(posting) + f"#question-{second.pk}"
    assert list(posting.questions.values_list("label", flat=True)) == [
        "Second?",
        "Are you applying to the internship?",
    ]
    page = as_recruiter.get(questions_url(posting)).content.decode()
    assert page.index("Second?") < page.index("Are you applying to the internship?")


def test_deleting_an_answered_question_is_refused_with_the_reason(
    as_recruiter, posting, internship_question
):
    factories.submit(posting)
    url = reverse("dashboard:question_delete", args=[posting.pk, internship_question.pk])
    confirm = as_recruiter.get(url)
    assert "This question cannot be deleted: 1 applicant has answered it" in text(confirm)
    assert "Delete question</button>" not in confirm.content.decode()
    response = as_recruiter.post(url, follow=True)
    assert messages_of(response) == [
        "“Are you applying to the internship?” cannot be deleted: 1 applicant has answered "
        "it, and those answers would be lost. You can reword it or make it optional instead."
    ]
    assert posting.questions.filter(pk=internship_question.pk).exists()


def test_an_unanswered_question_is_deleted_after_confirmation(
    as_recruiter, posting, internship_question
):
    url = reverse("dashboard:question_delete", args=[posting.pk, internship_question.pk])
    assert "Nobody has answered it yet." in text(as_recruiter.get(url))
    response = as_recruiter.post(url, follow=True)
    assert messages_of(response) == ["Question deleted: “Are you applying to the internship?”."]
    assert not posting.questions.exists()


# Stages


def stages_url(posting):
    return reverse("dashboard:posting_stages", args=[posting.pk])


def test_the_stages_page_creates_the_default_pipeline(as_recruiter, posting):
    page = text(as_recruiter.get(stages_url(posting)))
    assert posting.stages.count() == 7
    assert "Screen Applicants see “Under review”" in page


def test_a_recruiter_adds_a_stage_that_notifies(as_recruiter, posting):
    response = as_recruiter.post(
        stages_url(posting),
        {"name": "Take-home", "candidate_name": "Exercise", "notify_candidate": "on"},
    )
    assert response.status_code == 302
    stage = posting.stages.get(name="Take-home")
    assert (stage.candidate_name, stage.notify_candidate, stage.kind) == (
        "Exercise",
        True,
        Stage.Kind.ACTIVE,
    )
    assert messages_of(as_recruiter.get(response.url)) == ["Stage added: “Take-home”."]


def test_a_duplicate_stage_name_is_refused_beside_the_field(as_recruiter, posting):
    response = as_recruiter.post(stages_url(posting), {"name": "interview", "candidate_name": ""})
    assert response.context["form"].errors["name"] == [
        "This pipeline already has a stage called “interview”."
    ]
    assert posting.stages.count() == 7


def test_a_recruiter_renames_a_stage_and_stops_its_email(as_recruiter, posting):
    screen = next(s for s in list(posting.stages.all()) if s.name == "Screen")
    response = as_recruiter.post(
        reverse("dashboard:stage_edit", args=[posting.pk, screen.pk]),
        {"name": "Phone screen", "candidate_name": "Talking to us"},
    )
    assert response.status_code == 302
    screen.refresh_from_db()
    assert (screen.name, screen.candidate_name, screen.notify_candidate) == (
        "Phone screen",
        "Talking to us",
        False,
    )


def test_stages_move_without_javascript_but_not_past_the_built_in_ones(as_recruiter, posting):
    stages = {s.name: s for s in list(posting.stages.all())}
    as_recruiter.post(
        reverse("dashboard:stage_move", args=[posting.pk, stages["Offer"].pk]),
        {"direction": "up"},
    )
    response = as_recruiter.post(
        reverse("dashboard:stage_move", args=[posting.pk, stages["Screen"].pk]),
        {"direction": "up"},
        follow=True,
    )
    assert messages_of(response) == ["Moved “Offer” up.", "“Screen” cannot move further up."]
    factories.submit(posting)
    page = as_recruiter.get(stages_url(posting)).content.decode()
    # The stages' list, after the tabs (one of which is the "Interview plan").
    stage_list = page[page.index("Pipeline stages") :]
    assert stage_list.index("Offer") < stage_list.index("Interview")
    assert list(posting.stages.values_list("name", flat=True)) == [
        "Applied",
        "Screen",
        "Offer",
        "Interview",
        "Hired",
        "Rejected",
        "Withdrawn",
    ]


def test_deleting_a_built_in_stage_or_one_in_use_is_refused(as_recruiter, posting):
    application = factories.submit(posting)
    stages = {s.name: s for s in posting.stages.all()}
    move_application(application=application, to_stage=stages["Interview"])
    rejected = reverse("dashboard:stage_delete", args=[posting.pk, stages["Rejected"].pk])
    assert "Every pipeline needs its rejected stage" in text(as_recruiter.get(rejected))
    assert messages_of(as_recruiter.post(rejected, follow=True)) == [
        "“Rejected” cannot be deleted: every pipeline needs its rejected stage. You can rename it."
    ]
    interview = reverse("dashboard:stage_delete", args=[posting.pk, stages["Interview"].pk])
    assert "1 application is in this stage. Move it to another stage first." in text(
        as_recruiter.get(interview)
    )
    assert messages_of(as_recruiter.post(interview, follow=True)) == [
        "“Interview” cannot be deleted: 1 application is in it. Move them to another stage first."
    ]
    assert posting.stages.count() == 7


def test_an_unused_stage_is_deleted(as_recruiter, posting):
    offer = next(s for s in list(posting.stages.all()) if s.name == "Offer")
    response = as_recruiter.post(
        reverse("dashboard:stage_delete", args=[posting.pk, offer.pk]), follow=True
    )
    assert messages_of(response) == ["Stage deleted: “Offer”."]
    assert not posting.stages.filter(name="Offer").exists()


# Hiring team


def test_a_recruiter_adds_and_removes_a_hiring_manager(as_recruiter, posting, outsider):
    team_url = reverse("dashboard:posting_team", args=[posting.pk])
    assert "Charlie · Hiring manager · charlie@example.com" in text(as_recruiter.get(team_url))
    response = as_recruiter.post(team_url, {"user": outsider.pk}, follow=True)
    assert messages_of(response) == ["Charlie is on the hiring team."]
    assert posting.hiring_team.filter(pk=outsider.pk).exists()
    remove = reverse("dashboard:posting_team_remove", args=[posting.pk, outsider.pk])
    response = as_recruiter.post(remove, follow=True)
    assert messages_of(response) == ["Charlie is off the hiring team."]
    assert not posting.hiring_team.filter(pk=outsider.pk).exists()


def test_users_without_a_role_cannot_join_a_team(as_recruiter, posting, django_user_model):
    customer = django_user_model.objects.create_user("dave", "dave@example.com")
    response = as_recruiter.post(
        reverse("dashboard:posting_team", args=[posting.pk]), {"user": customer.pk}
    )
    assert response.context["form"].errors["user"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not posting.hiring_team.filter(pk=customer.pk).exists()


# Who may do what


def read_urls(posting) -> list[str]:
    question = posting.questions.first()
    stage = list(posting.stages.all())[1]
    return [
        reverse("dashboard:posting_edit", args=[posting.pk]),
        reverse("dashboard:posting_questions", args=[posting.pk]),
        reverse("dashboard:question_edit", args=[posting.pk, question.pk]),
        reverse("dashboard:posting_stages", args=[posting.pk]),
        reverse("dashboard:stage_edit", args=[posting.pk, stage.pk]),
        reverse("dashboard:posting_team", args=[posting.pk]),
    ]


def write_urls(posting, member) -> list[str]:
    question = posting.questions.first()
    stage = list(posting.stages.all())[1]
    return [
        *read_urls(posting),
        reverse("dashboard:posting_publish", args=[posting.pk]),
        reverse("dashboard:posting_close", args=[posting.pk]),
        reverse("dashboard:question_move", args=[posting.pk, question.pk]),
        reverse("dashboard:question_delete", args=[posting.pk, question.pk]),
        reverse("dashboard:stage_move", args=[posting.pk, stage.pk]),
        reverse("dashboard:stage_delete", args=[posting.pk, stage.pk]),
        reverse("dashboard:posting_team_remove", args=[posting.pk, member.pk]),
    ]


def test_a_hiring_manager_reads_their_posting_pages_without_forms(as_manager, posting):
    for url in read_urls(posting):
        response = as_manager.get(url)
        assert response.status_code == 200, url
        assert "Only recruiters can change them." in text(response), url
        assert 'type="submit" name="save"' not in response.content.decode(), url
    edit = as_manager.get(reverse("dashboard:posting_edit", args=[posting.pk]))
    assert "Save changes" not in text(edit)
    assert "Publish" not in text(edit)


def test_a_hiring_manager_reads_settings_as_text_with_no_form_and_no_asterisks(
    as_manager, posting, hiring_manager
):
    """Settings, sections, a question and a stage: a definition list of values, not a disabled
    form whose required-field asterisks ask for input that cannot be given."""
    factories.QuestionFactory(
        posting=posting, label="Do you <b>need</b> a visa?", kind="yes_no", position=9
    )
    question = posting.questions.get(position=9)
    stage = list(posting.stages.all())[1]
    pages = {
        "details": reverse("dashboard:posting_edit", args=[posting.pk]),
        "question": reverse("dashboard:question_edit", args=[posting.pk, question.pk]),
        "stage": reverse("dashboard:stage_edit", args=[posting.pk, stage.pk]),
    }
    for name, url in pages.items():
        response = as_manager.get(url)
        page = response.content.decode()
        assert response.status_code == 200, name
        main = page[page.index("<main") : page.index("</main>")]
        for tag in ("<form", "<input", "<select", "<textarea", "asteriskField", "*</label>"):
            assert tag not in main, (name, tag)
        assert '<dl class="row mb-0 read-only-settings">' in main, name
    details = text(as_manager.get(pages["details"]))
    assert f"Title {posting.title}" in details
    assert f"Teams {posting.team_display}" in details
    assert f"Workplace {posting.get_workplace_type_display()}" in details
    for section in posting.sections.all():
        assert section.heading in details
    question_page = as_manager.get(pages["question"]).content.decode()
    assert "Do you &lt;b&gt;need&lt;/b&gt; a visa?" in question_page
    assert "Yes / no" in text(as_manager.get(pages["question"]))
    stage_page = text(as_manager.get(pages["stage"]))
    assert f"{stage.candidate_name}" in stage_page


def test_a_hiring_manager_gets_403_on_every_write_to_their_posting(
    as_manager, posting, hiring_manager
):
    before = (Posting.objects.get().title, posting.questions.count(), posting.hiring_team.count())
    for url in write_urls(posting, hiring_manager):
        assert as_manager.post(url, {"title": "Hacked", "direction": "up"}).status_code == 403, url
    assert as_manager.get(reverse("dashboard:posting_create")).status_code == 403
    assert as_manager.post(reverse("dashboard:posting_create"), posting_data()).status_code == 403
    for url in (
        reverse("dashboard:question_delete", args=[posting.pk, posting.questions.first().pk]),
        reverse("dashboard:stage_delete", args=[posting.pk, posting.stages.all()[1].pk]),
    ):
        assert as_manager.get(url).status_code == 403, url
    after = (Posting.objects.get().title, posting.questions.count(), posting.hiring_team.count())
    assert after == before


def test_a_hiring_manager_gets_404_on_every_page_and_action_of_another_posting(
    as_manager, hiring_manager
):
    other = factories.PostingFactory(title="Other team")
    factories.QuestionFactory(posting=other)
    member = factories.UserFactory(username="erin", role="hiring_manager")
    other.hiring_team.add(member)
    for url in write_urls(other, member):
        assert as_manager.get(url).status_code in (404, 405), url
        assert as_manager.post(url, {"direction": "up"}).status_code == 404, url
    assert "Other team" not in text(as_manager.get(reverse("dashboard:postings")))


def test_another_postings_question_or_stage_is_a_404_even_for_a_recruiter(as_recruiter, posting):
    other = factories.PostingFactory()
    question = factories.QuestionFactory(posting=other)
    stage = list(other.stages.all())[1]
    assert (
        as_recruiter.get(
            reverse("dashboard:question_edit", args=[posting.pk, question.pk])
        ).status_code
        == 404
    )
    assert (
        as_recruiter.post(
            reverse("dashboard:stage_delete", args=[posting.pk, stage.pk])
        ).status_code
        == 404
    )


def test_users_without_a_role_get_403_and_visitors_the_login_page(client, django_user_model):
    url = reverse("dashboard:postings")
    assert client.get(url).url.startswith(reverse("login"))
    client.force_login(django_user_model.objects.create_user("dave"))
    assert client.get(url).status_code == 403
