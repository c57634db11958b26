"""Each report against figures worked out by hand from the history in conftest.py."""

import pytest
from django.http import QueryDict

from dashboard.forms_reports import ReportFilterForm
from reports import funnel, knockouts, sources, timing

pytestmark = pytest.mark.django_db


def covered(user, **filters):
    form = ReportFilterForm(QueryDict(mutable=True) | filters, user=user)
    assert form.is_valid(), form.errors
    return form.covered()


def steps(rows):
    return [
        (s.name, s.reached, None if s.conversion is None else round(s.conversion, 4)) for s in rows
    ]


def test_the_funnel_of_one_posting_counts_everyone_who_passed_through_a_stage(figures, recruiter):
    posting = figures["a"][0].posting_id
    # A3 went from Interview straight to Hired: it passed the Offer step too. A2 and A4 were
    # rejected after Screen and Applied: they count where they got to.
    assert steps(funnel.funnel(covered(recruiter, posting=posting))) == [
        ("Applied", 5, None),
        ("Screen", 3, 0.6),
        ("Interview", 2, 0.6667),
        ("Offer", 2, 1.0),
        ("Hired", 2, 1.0),
    ]


def test_the_funnel_of_all_postings_matches_stages_by_name(figures, recruiter):
    # B1 went Applied -> Screen -> Hired: it counts at Interview and Offer of its pipeline.
    assert steps(funnel.funnel(covered(recruiter))) == [
        ("Applied", 6, None),
        ("Screen", 4, 0.6667),
        ("Interview", 3, 0.75),
        ("Offer", 3, 1.0),
        ("Hired", 3, 1.0),
    ]


def test_the_funnel_narrows_to_a_team_and_to_the_days_submitted(figures, recruiter, other_posting):
    data = other_posting.teams.get()
    assert [s.reached for s in funnel.funnel(covered(recruiter, team=data.pk))] == [1, 1, 1, 1, 1]
    # B1 was submitted on day 40, after the range.
    until_day_10 = covered(recruiter, submitted_from="2026-01-05", submitted_to="2026-01-15")
    assert [s.reached for s in funnel.funnel(until_day_10)] == [5, 3, 2, 2, 2]
    assert [s.reached for s in funnel.funnel(covered(recruiter, submitted_from="2026-01-06"))] == [
        1,
        1,
        1,
        1,
        1,
    ]


def test_time_in_stage_takes_medians_and_90th_percentiles_of_finished_stays(figures, recruiter):
    rows = timing.time_in_stage(covered(recruiter, posting=figures["a"][0].posting_id))
    assert [(r.name, r.stays, r.median_days, r.p90_days, r.waiting) for r in rows] == [
        # Stays of 1, 1, 2 and 4 days; A5 is still waiting.
        ("Applied", 4, 1.5, 3.4, 1),
        # 4, 5 and 2 days.
        ("Screen", 3, 4.0, 4.8, 0),
        # 4 and 27 days.
        ("Interview", 2, 15.5, 24.7, 0),
        ("Offer", 1, 2.0, 2.0, 0),
    ]


def test_time_to_hire_is_per_posting_from_submission_to_hired(figures, recruiter):
    rows = timing.time_to_hire(covered(recruiter))
    assert [(r.posting, r.hires, r.median_days, r.p90_days) for r in rows] == [
        # A1 in 12 days, A3 in 30.
        ("Backend Engineer", 2, 21.0, 28.2),
        ("Data Scientist", 1, 5.0, 5.0),
    ]


def test_sources_count_applications_interviews_offers_and_hires(figures, recruiter):
    rows = sources.sources(covered(recruiter))
    assert [(r.source, r.applications, r.interviews, r.offers, r.hires) for r in rows] == [
        ("LinkedIn", 2, 1, 1, 2),
        # A2's only interview was cancelled.
        ("Indeed", 1, 0, 0, 0),
        ("Referral", 1, 0, 0, 1),
        ("Direct", 2, 0, 0, 0),
    ]
    linkedin = rows[0]
    assert (linkedin.interview_rate, linkedin.offer_rate, linkedin.hire_rate) == (0.5, 0.5, 1.0)


def test_knockouts_count_flagged_and_rejected_per_knockout_answer(figures, recruiter):
    rows = knockouts.knockouts(covered(recruiter))
    assert [(r.question, r.answer, r.flagged, r.rejected) for r in rows] == [
        ("Will you need a visa?", "Yes", 2, 1),  # A4 rejected, A5 waiting
        ("Which team?", "Monetization", 1, 1),  # A2
        ("Which languages?", "COBOL", 1, 0),  # A3, hired
    ]


def test_an_answer_that_hit_no_knockout_at_submission_is_not_counted(figures, recruiter):
    from applications.models import Application

    Application.objects.filter(pk=figures["a"][4].pk).update(knocked_out=False)
    rows = knockouts.knockouts(covered(recruiter))
    assert rows[0].flagged == 1


def test_a_hiring_manager_sees_the_figures_of_their_postings_only(figures, hiring_manager):
    mine = covered(hiring_manager)
    assert [s.reached for s in funnel.funnel(mine)] == [5, 3, 2, 2, 2]
    assert [r.posting for r in timing.time_to_hire(mine)] == ["Backend Engineer"]
    assert "Referral" not in [r.source for r in sources.sources(mine)]


def test_no_applications_give_empty_reports_not_errors(posting, recruiter):
    nothing = covered(recruiter, submitted_from="2000-01-01", submitted_to="2000-01-02")
    assert [s.reached for s in funnel.funnel(nothing)] == [0, 0, 0, 0, 0]
    assert [s.conversion for s in funnel.funnel(nothing)] == [None] * 5
    assert [r.median_days for r in timing.time_in_stage(nothing)] == [None] * 4
    assert timing.time_to_hire(nothing) == []
    assert sources.sources(nothing) == []


def test_sources_name_raw_tracking_values_as_the_vocabulary_does(figures, recruiter):
    from applications.models import Application

    a4, a5 = figures["a"][3], figures["a"][4]
    Application.objects.filter(pk=a4.pk).update(referrer="https://www.linkedin.com/feed/")
    Application.objects.filter(pk=a5.pk).update(utm_source="Twitter")
    rows = {r.source: r.applications for r in sources.sources(covered(recruiter))}
    assert rows == {"LinkedIn": 3, "Indeed": 1, "Referral": 1, "Other": 1}
    for application in Application.objects.all():
        assert rows.get(application.source), application.source
