"""A cohort builder for the fairness tests: applicants with a history through a posting's
pipeline and survey answers, written in bulk so that only the report's own queries count."""

import pytest
from django.utils import timezone

from applications.models import Application, Candidate, StageChange
from reports.models import SurveyResponse

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
