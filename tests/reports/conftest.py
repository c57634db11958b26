"""A cohort builder for the fairness tests: applicants with a history through a posting's
pipeline and survey answers, written in bulk so that only the report's own queries count.

And `figures`: a small history whose every report figure is worked out by hand in the
tests (test_figures.py, test_pages.py).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from applications.models import Application, Candidate, StageChange
from offers.models import Offer
from postings.models import Question
from reports.models import SurveyResponse
from tests import factories

# Posting B of the scope matrix, with its interview, offer and Inbox message: the survey's
# privacy test renders every dashboard URL with them.
from tests.dashboard.conftest import other_application  # noqa: F401
from tests.dashboard.test_scope import b, b_interview, b_offer, inbox_message  # noqa: F401


@pytest.fixture
def eeo_on(settings):
    settings.ATS_EEO_QUESTIONS = ["gender", "race", "veteran", "disability"]
    return settings.ATS_EEO_QUESTIONS


def make_cohort(posting, count, *, reached, outcome="rejected", answers=None, prefix="p"):
    """`count` applications that went from Applied through the posting's stages up to the
    one named `reached`, then were rejected there (`outcome="rejected"`), withdrew, or are
    still waiting in it ("open"). `answers` are their survey answers (None: no survey)."""
    pipeline = [s for s in posting.stages.all() if s.kind not in ("rejected", "withdrawn")]
    exits = {s.kind: s for s in posting.stages.all() if s.kind in ("rejected", "withdrawn")}
    path = pipeline[: [s.name for s in pipeline].index(reached) + 1]
    final = path[-1] if outcome == "open" else exits[outcome]
    start = Candidate.objects.count()
    candidates = Candidate.objects.bulk_create(
        Candidate(name=f"{prefix} {start + i}", email=f"{prefix}{start + i}@example.com")
        for i in range(count)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(candidate=c, posting=posting, name=c.name, stage=final, stage_changed_at=now)
        for c in candidates
    )
    changes = []
    for application in applications:
        previous = None
        for stage in [*path, final] if final is not path[-1] else path:
            changes.append(
                StageChange(application=application, from_stage=previous, to_stage=stage, at=now)
            )
            previous = stage
    StageChange.objects.bulk_create(changes)
    if answers is not None:
        SurveyResponse.objects.bulk_create(
            SurveyResponse(application=application, **answers) for application in applications
        )
    return applications


@pytest.fixture
def cohort():
    return make_cohort


# The history behind `figures`:
# Backend Engineer (team Core; Bob manages it), everyone submitted on day 0 (5 January 2026):
# - A1 (LinkedIn): Applied d0 -> Screen d2 -> Interview d6 -> Offer d10 -> Hired d12;
#   an interview scheduled, an offer sent.
# - A2 (Indeed): Applied d0 -> Screen d4 -> Rejected d9; its only interview was cancelled;
#   answered "Monetization" to the team question (a knock-out).
# - A3 (LinkedIn): Applied d0 -> Screen d1 -> Interview d3 -> Hired d30 (no Offer stage);
#   ticked COBOL among the languages (a knock-out).
# - A4 (direct): Applied d0 -> Rejected d1; needs a visa (a knock-out).
# - A5 (direct): Applied d0, still there; needs a visa.
#
# Data Scientist (team Data; Dana manages it):
# - B1 (referral), submitted d40: Applied d40 -> Screen d43 -> Hired d45.

DAY0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def history(application, steps):
    """Replace the application's history with `steps`, [(stage name, day)], and leave it in
    the last stage, submitted on the first day."""
    stages = {s.name: s for s in application.posting.stages.all()}
    StageChange.objects.filter(application=application).delete()
    previous = None
    for name, day in steps:
        StageChange.objects.create(
            application=application,
            from_stage=previous,
            to_stage=stages[name],
            at=DAY0 + timedelta(days=day),
        )
        previous = stages[name]
    Application.objects.filter(pk=application.pk).update(
        stage=previous,
        submitted_at=DAY0 + timedelta(days=steps[0][1]),
        stage_changed_at=DAY0 + timedelta(days=steps[-1][1]),
    )


@pytest.fixture
def figures(posting, hiring_manager, other_posting, other_manager, recruiter):
    posting.teams.set([factories.TeamFactory(name="Core", slug="core")])
    other_posting.teams.set([factories.TeamFactory(name="Data", slug="data")])
    internship = posting.questions.get()
    visa = factories.QuestionFactory(
        posting=posting, label="Will you need a visa?", knockout_answer="yes", position=1
    )
    team = factories.QuestionFactory(
        posting=posting,
        label="Which team?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices=["Core", "Monetization", "Either"],
        knockout_answer="Monetization",
        required=False,
        position=2,
    )
    languages = factories.QuestionFactory(
        posting=posting,
        label="Which languages?",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Python", "Go", "COBOL"],
        knockout_answer="COBOL",
        required=False,
        position=3,
    )

    def apply(name, source, **answers):
        return factories.apply(
            posting,
            name=name,
            email=f"{name.lower()}@example.com",
            source=source,
            answers={internship: False, visa: False, **answers},
        )

    a1 = apply("A1", "linkedin", **{})
    a2 = apply("A2", "indeed", **{})
    a3 = apply("A3", "linkedin")
    a4 = apply("A4", "")
    a5 = apply("A5", "")
    # The knock-out answers, as the form would have stored them.
    for application, question, value in (
        (a2, team, "Monetization"),
        (a3, languages, ["Python", "COBOL"]),
        (a4, visa, True),
        (a5, visa, True),
    ):
        answer = application.answers.filter(question=question).first()
        if answer is None:
            answer = application.answers.model(application=application, question=question)
        answer.value = value
        answer.save()
    Application.objects.filter(pk__in=[a2.pk, a3.pk, a4.pk, a5.pk]).update(knocked_out=True)

    history(a1, [("Applied", 0), ("Screen", 2), ("Interview", 6), ("Offer", 10), ("Hired", 12)])
    history(a2, [("Applied", 0), ("Screen", 4), ("Rejected", 9)])
    history(a3, [("Applied", 0), ("Screen", 1), ("Interview", 3), ("Hired", 30)])
    history(a4, [("Applied", 0), ("Rejected", 1)])
    history(a5, [("Applied", 0)])

    step = factories.interview_step(posting)
    factories.scheduled_interview(a1, step, interviewers=[], starts_at=DAY0 + timedelta(days=7))
    factories.scheduled_interview(
        a2,
        step,
        interviewers=[],
        starts_at=DAY0 + timedelta(days=8),
        status="cancelled",
    )
    Offer.objects.create(
        application=a1,
        status=Offer.Status.SENT,
        job_title="Backend Engineer",
        base_salary=150_000,
        currency="USD",
        start_date=(DAY0 + timedelta(days=40)).date(),
        expires_on=(DAY0 + timedelta(days=20)).date(),
        letter="Welcome",
        sent_at=DAY0 + timedelta(days=11),
        pdf="offers/a1.pdf",
        pdf_sha256="0" * 64,
    )

    b1 = factories.apply(other_posting, name="B1", email="b1@example.com", source="referral")
    history(b1, [("Applied", 40), ("Screen", 43), ("Hired", 45)])
    return {"a": [a1, a2, a3, a4, a5], "b1": b1, "questions": [visa, team, languages]}
