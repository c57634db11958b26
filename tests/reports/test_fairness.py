"""The fairness report against figures worked out by hand on small cohorts."""

from fractions import Fraction
from math import comb

import pytest

from reports import fairness
from tests import factories

pytestmark = pytest.mark.django_db


def hypergeometric_p(a, b, c, d) -> float:
    """Fisher's two-sided p-value worked out from its definition: the probability of every
    table with the same margins that is no more likely than the one seen."""
    row1, col1, n = a + b, a + c, a + b + c + d

    def prob(x):
        return Fraction(comb(col1, x) * comb(n - col1, row1 - x), comb(n, row1))

    seen = prob(a)
    low, high = max(0, row1 - (n - col1)), min(row1, col1)
    return float(sum(prob(x) for x in range(low, high + 1) if prob(x) <= seen))


def test_fishers_p_value_matches_the_published_tea_tasting_table():
    # Fisher's lady tasting tea: 3 of 4 cups right each way, two-sided p = 17/35.
    assert fairness.fisher_p(((3, 1), (1, 3))) == pytest.approx(17 / 35, abs=1e-9)
    assert fairness.fisher_p(((3, 7), (8, 2))) == pytest.approx(
        hypergeometric_p(3, 7, 8, 2), abs=1e-9
    )
    # 0.0698 by the definition, to four places.
    assert hypergeometric_p(3, 7, 8, 2) == pytest.approx(0.0698, abs=5e-5)


@pytest.fixture
def posting(db):
    return factories.PostingFactory(title="Data Analyst", slug="data-analyst")


def by_label(step, characteristic):
    comparison = next(c for c in step.comparisons if c.characteristic.key == characteristic)
    return {group.label: group for group in comparison.groups}


def test_a_step_that_passes_fewer_women_is_flagged_with_its_ratio_and_p_value(posting, cohort):
    # Applied -> Screen: 3 of 10 women move on, 8 of 10 men.
    cohort(posting, 3, reached="Screen", answers={"gender": "female", "race": "asian"})
    cohort(posting, 7, reached="Applied", answers={"gender": "female", "race": "white"})
    cohort(posting, 8, reached="Screen", answers={"gender": "male", "race": "white"})
    cohort(posting, 2, reached="Applied", answers={"gender": "male", "race": "white"})
    # Still waiting, or withdrawn: not decided at the step, so not in its rates.
    cohort(posting, 4, reached="Applied", outcome="open", answers={"gender": "female"})
    cohort(posting, 2, reached="Applied", outcome="withdrawn", answers={"gender": "female"})
    # Declined, or never answered: counted in the tables, never compared.
    cohort(posting, 6, reached="Applied", answers={"gender": "declined"})
    cohort(posting, 6, reached="Applied")

    report = fairness.report(posting)
    first = report.steps[0]
    assert first.label == "Applied → Screen"
    gender = by_label(first, "gender")
    women, men = gender["Female"], gender["Male"]
    assert (women.total, women.selected, men.total, men.selected) == (10, 3, 10, 8)
    assert men.reference and men.ratio is None
    assert women.ratio == pytest.approx(0.3 / 0.8)
    assert women.flagged and not men.flagged
    assert women.p_value == pytest.approx(hypergeometric_p(3, 7, 8, 2), abs=1e-9)
    assert (
        "I decline to self-identify" not in gender
        or gender["I decline to self-identify"].ratio is None
    )
    assert [(s.label, c.characteristic.key, g.label) for s, c, g in report.flags] == [
        ("Applied → Screen", "gender", "Female")
    ]
    # Race: 3 Asian applicants are too few to compare; White alone has nobody to compare to.
    race = by_label(first, "race")
    assert race["Asian (not Hispanic or Latino)"].too_few
    assert race["Asian (not Hispanic or Latino)"].total_shown == "<5"
    assert all(group.ratio is None for group in race.values())
    # Screen -> Interview: everyone at Screen was rejected there, so both rates are 0: no
    # highest rate to divide by, no result.
    assert all(g.ratio is None for g in by_label(report.steps[1], "gender").values())


def test_counts_per_group_and_stage_hide_groups_under_five(posting, cohort):
    cohort(posting, 3, reached="Interview", answers={"gender": "female"})
    cohort(posting, 6, reached="Screen", answers={"gender": "male"})
    cohort(posting, 2, reached="Applied")
    report = fairness.report(posting)
    assert [stage.name for stage in report.stages] == [
        "Applied",
        "Screen",
        "Interview",
        "Offer",
        "Hired",
    ]
    gender = next(t for t in report.tables if t.characteristic.key == "gender")
    rows = {row.label: row.counts for row in gender.rows}
    assert rows["Female"] == ["<5", "<5", "<5", "0", "0"]
    assert rows["Male"] == ["6", "6", "0", "0", "0"]
    assert rows["No answer"] == ["<5", "0", "0", "0", "0"]
    assert report.respondents == 9


def test_no_result_where_a_group_has_fewer_than_five(posting, cohort):
    cohort(posting, 4, reached="Applied", answers={"gender": "female"})
    cohort(posting, 10, reached="Screen", answers={"gender": "male"})
    gender = by_label(fairness.report(posting).steps[0], "gender")
    assert gender["Female"].too_few and gender["Female"].ratio is None
    assert gender["Female"].p_value is None and not gender["Female"].flagged
    assert not gender["Male"].reference  # nobody to be compared with


def test_exactly_four_fifths_is_not_flagged(posting, cohort):
    # 4 of 5 women, 5 of 5 men: a ratio of exactly 0.8.
    cohort(posting, 4, reached="Screen", answers={"gender": "female"})
    cohort(posting, 1, reached="Applied", answers={"gender": "female"})
    cohort(posting, 5, reached="Screen", answers={"gender": "male"})
    women = by_label(fairness.report(posting).steps[0], "gender")["Female"]
    assert women.ratio == pytest.approx(0.8) and not women.flagged
    # Fisher on [[4, 1], [5, 0]]: 1/2 of the tables with these margins are as unlikely.
    assert women.p_value == pytest.approx(hypergeometric_p(4, 1, 5, 0)) == pytest.approx(1.0)


def test_a_knock_out_question_compares_who_it_knocks_out(posting, cohort):
    from applications.models import Answer
    from postings.models import Question

    question = factories.QuestionFactory(
        posting=posting, label="Can you work weekends?", knockout_answer="no", position=0
    )
    women = cohort(posting, 10, reached="Applied", answers={"gender": "female"})
    men = cohort(posting, 10, reached="Applied", answers={"gender": "male"})
    # 6 women and 1 man answer no (knocked out); everyone answers.
    Answer.objects.bulk_create(
        [
            Answer(application=a, question=question, value_bool=not (i < 6))
            for i, a in enumerate(women)
        ]
        + [Answer(application=a, question=question, value_bool=i != 0) for i, a in enumerate(men)]
    )
    choice = factories.QuestionFactory(
        posting=posting,
        label="Shift",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Day", "Night"],
        knockout_answer="Night",
        position=1,
    )
    Answer.objects.bulk_create(
        Answer(application=a, question=choice, value_choices=["Day", "Night"] if i < 2 else ["Day"])
        for i, a in enumerate(women + men)
    )
    report = fairness.report(posting)
    weekends = next(s for s in report.steps if s.label == "Can you work weekends?")
    gender = by_label(weekends, "gender")
    assert (gender["Female"].total, gender["Female"].selected) == (10, 4)
    assert (gender["Male"].total, gender["Male"].selected) == (10, 9)
    assert gender["Female"].ratio == pytest.approx(0.4 / 0.9) and gender["Female"].flagged
    shift = by_label(next(s for s in report.steps if s.label == "Shift"), "gender")
    assert (shift["Female"].selected, shift["Male"].selected) == (8, 10)


def test_the_report_takes_three_queries_however_many_applicants(
    posting, cohort, django_assert_num_queries
):
    factories.QuestionFactory(posting=posting, label="Weekends?", knockout_answer="no")
    cohort(posting, 12, reached="Interview", answers={"gender": "female", "race": "black"})
    cohort(posting, 30, reached="Screen", answers={"gender": "male", "veteran": "protected"})
    with django_assert_num_queries(3):  # stages, knock-out questions, the grouped counts
        report = fairness.report(posting)
    assert report.respondents == 42


def test_the_demo_shows_one_flagged_transition(db):
    import io

    from django.core.management import call_command

    call_command("seed_demo", "--no-progress", stdout=io.StringIO())
    call_command("seed_demo", "--no-progress", stdout=io.StringIO())  # idempotent
    reports = {p.title: fairness.report(p) for p in fairness.postings_with_answers()}
    assert reports["Backend Engineer"].respondents == 6
    assert reports["Site Reliability Engineer"].respondents == 24
    flags = [
        (posting, step.label, c.characteristic.key, group.label, round(group.ratio, 2))
        for posting, report in reports.items()
        for step, c, group in report.flags
    ]
    assert flags == [("Site Reliability Engineer", "Applied → Screen", "gender", "Female", 0.44)]


def test_a_web_process_that_never_opens_the_report_never_loads_scipy():
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; resolve('/dashboard/reports/fairness/');"
        "import reports.fairness, reports.alerts, dashboard.views_fairness;"
        "print('scipy' in sys.modules)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "ats.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"
