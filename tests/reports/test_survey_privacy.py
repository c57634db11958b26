"""The survey's answers never reach the hiring team: not on any dashboard page, not in the
CSV export, not on the candidate pages, whoever looks (recruiter, admin, hiring manager).

Every dashboard URL is rendered with an applicant of each posting having answered every
question, and no page may carry any of the survey's answer wordings or its distinctive
stored values. Only the fairness report, which shows counts of groups, names the groups.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports import survey
from reports.models import SurveyResponse
from tests import factories
from tests.dashboard.test_scope import (
    inbox_matrix,
    interview_matrix,
    matrix,
    offer_matrix,
    reports_matrix,
)

pytestmark = pytest.mark.django_db

# The aggregate report itself: it shows the groups, as counts, to recruiters and admins.
AGGREGATE_ONLY = {"dashboard:reports-fairness", "dashboard:reports-fairness-posting"}

# Distinctive enough not to occur on a page by chance; "yes", "no" and "male" would.
STORED_VALUES = ["two_or_more", "not_protected", "hispanic", "pacific"]


def answer_wordings() -> list[str]:
    return [label for q in survey.QUESTIONS.values() for _, label in q.choices] + [
        q.help for q in survey.QUESTIONS.values()
    ]


def dashboard_names() -> set[str]:
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern) and p.name:
                yield p.name

    dashboard = next(
        r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "dashboard"
    )
    return {f"dashboard:{name}" for name in walk(dashboard.url_patterns)}


@pytest.fixture
def answered(b, application, settings):
    """Both postings' applicants answered every question."""
    settings.ATS_EEO_QUESTIONS = list(survey.QUESTIONS)
    for app, answers in (
        (b["application"], ("female", "two_or_more", "not_protected", "yes")),
        (application, ("male", "hispanic", "protected", "no")),
    ):
        SurveyResponse.objects.create(
            application=app, **dict(zip(survey.QUESTIONS, answers, strict=True))
        )


@pytest.fixture
def every_url(b, b_interview, b_offer, inbox_message, application):
    """(name, kwargs, post_only) of every dashboard URL, with posting B's objects."""
    from conversations.email_templates import EMAILS
    from conversations.models import MessageTemplate
    from sourcing.models import Tag

    urls = [
        *matrix(b),
        *interview_matrix(b_interview),
        *offer_matrix(b_offer),
        *inbox_matrix(inbox_message),
        # The reports (funnel, times, sources, knock-outs) and their CSVs.
        *reports_matrix(),
    ]
    candidate = {"pk": b["application"].candidate_id}
    p = b["posting"].pk
    kind = next(iter(EMAILS))
    template = MessageTemplate.objects.create(name="Follow-up", subject="Hi", body="Hello")
    tag = Tag.objects.create(name="python")
    urls += [
        ("dashboard:home", {}, False),
        ("dashboard:settings", {}, False),
        ("dashboard:rejection_reasons", {}, False),
        ("dashboard:postings", {}, False),
        ("dashboard:posting_create", {}, False),
        ("dashboard:my_interviews", {}, False),
        ("dashboard:my_referrals", {}, False),
        ("dashboard:refer", {}, False),
        ("dashboard:templates", {}, False),
        ("dashboard:search", {}, False),
        ("dashboard:candidate", candidate, False),
        ("dashboard:add_candidate", {"posting_pk": p}, False),
        ("dashboard:candidate_add_to_posting", candidate, False),
        ("dashboard:candidate_tag_add", candidate, True),
        ("dashboard:candidate_tag_remove", {**candidate, "tag_pk": tag.pk}, True),
        ("dashboard:candidate_merge", candidate, False),
        ("dashboard:email_template", {"kind": kind}, False),
        ("dashboard:email_template_reset", {"kind": kind}, True),
        ("dashboard:posting_email_templates", {"posting_pk": p}, False),
        ("dashboard:email_template_posting", {"posting_pk": p, "kind": kind}, False),
        ("dashboard:email_template_posting_reset", {"posting_pk": p, "kind": kind}, True),
        ("dashboard:message_template_new", {}, False),
        ("dashboard:message_template_edit", {"pk": template.pk}, False),
        ("dashboard:message_template_delete", {"pk": template.pk}, False),
    ]
    return urls


def test_the_list_covers_every_dashboard_url(every_url):
    covered = {name for name, _, _ in every_url}
    missing = dashboard_names() - covered - AGGREGATE_ONLY
    assert sorted(missing) == [], "a new dashboard URL: add it to every_url"


@pytest.mark.parametrize("who", ["recruiter", "admin", "hiring manager"])
def test_no_dashboard_page_or_export_shows_a_survey_answer(
    client, who, answered, every_url, b, recruiter
):
    user = {
        "recruiter": lambda: recruiter,
        "admin": lambda: factories.UserFactory(
            username="root", is_superuser=True, is_staff=True, role="recruiter"
        ),
        "hiring manager": lambda: b["member"],
    }[who]()
    client.force_login(user)
    forbidden = answer_wordings() + STORED_VALUES + ["self-identif"]
    seen = 0
    for name, kwargs, post_only in every_url:
        if post_only:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 200:
            continue
        seen += 1
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode(errors="replace")
        for text in forbidden:
            assert text not in body, f"{name} shows {text!r} to the {who}"
    assert seen >= 20
