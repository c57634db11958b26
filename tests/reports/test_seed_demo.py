"""The demo data gives every report something to show."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from postings.models import Posting
from reports import funnel, knockouts, sources, timing
from tests.reports.test_figures import covered

pytestmark = pytest.mark.django_db


def test_every_report_has_figures_after_seeding(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-progress")
    recruiter = get_user_model().objects.get(username="recruiter")
    everything = covered(recruiter)
    steps = funnel.funnel(everything)
    assert steps[0].reached > steps[-1].reached > 0
    assert all(s.median_days for s in timing.time_in_stage(everything))
    assert len(timing.time_to_hire(everything)) >= 2
    rows = sources.sources(everything)
    assert len(rows) >= 4 and sum(r.interviews for r in rows) > 0
    assert any(r.flagged and r.rejected for r in knockouts.knockouts(everything))
    # Past hires do not leave their postings reading as filled.
    assert not Posting.objects.filled().filter(slug="data-scientist").exists()
