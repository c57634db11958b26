"""The reports page and its CSV downloads: who may open them, what they show, bad filters."""

import csv
import io

import pytest
from django.urls import reverse

from postings.models import Posting

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/reports/"
CSVS = ["funnel", "time-in-stage", "time-to-hire", "sources", "knockouts"]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def test_the_page_lives_at_dashboard_reports():
    assert reverse("dashboard:reports") == PAGE
    assert reverse("dashboard:report_csv", args=["funnel"]) == PAGE + "funnel.csv"


def test_a_recruiter_sees_every_report_as_a_chart_with_its_table(client, recruiter, figures):
    client.force_login(recruiter)
    page = client.get(PAGE).content.decode()
    for heading in ("Funnel", "Time in stage", "Time to hire", "Sources", "Knock-out questions"):
        assert f">{heading}</h2>" in page
    assert page.count('role="img"') == 5
    assert 'aria-labelledby="chart-funnel-title chart-funnel-desc"' in page
    assert (
        '<title id="chart-funnel-title">Funnel: applications that reached each stage</title>'
        in (page)
    )
    assert "Applied: 6; Screen: 4; Interview: 3; Offer: 3; Hired: 3" in page
    assert "Backend Engineer" in page and "Data Scientist" in page
    assert page.count("Download CSV") == 5
    # Nothing inline that the Content-Security-Policy would block.
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "style=" not in main and "<script" not in main


def test_the_csv_links_carry_the_filters(client, recruiter, figures):
    client.force_login(recruiter)
    page = client.get(PAGE + "?submitted_from=2026-01-05").content.decode()
    assert 'href="/dashboard/reports/funnel.csv?submitted_from=2026-01-05"' in page


def test_a_hiring_manager_sees_only_their_postings_figures_and_choices(
    client, hiring_manager, figures
):
    client.force_login(hiring_manager)
    page = client.get(PAGE).content.decode()
    assert "Backend Engineer" in page
    assert "Data Scientist" not in page
    assert ">Data</option>" not in page and ">Core</option>" in page
    assert "Referral:" not in page and ">Referral</th>" not in page
    assert "Applied: 5; Screen: 3; Interview: 2; Offer: 2; Hired: 2" in page
    rows = csv_rows(client.get(PAGE + "time-to-hire.csv"))
    assert rows == [
        ["Posting", "Hires", "Median days", "90th percentile days"],
        ["Backend Engineer", "2", "21.0", "28.2"],
    ]


def test_a_hiring_manager_cannot_pick_another_teams_posting(
    client, hiring_manager, figures, other_posting
):
    client.force_login(hiring_manager)
    response = client.get(PAGE, {"posting": other_posting.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Data Scientist" not in page
    assert client.get(PAGE + "funnel.csv", {"posting": other_posting.pk}).status_code == 400


def test_interviewers_and_outsiders_find_no_reports(client, interviewer, figures):
    client.force_login(interviewer)
    for url in [PAGE, *(PAGE + f"{name}.csv" for name in CSVS)]:
        assert client.get(url).status_code == 404, url
    assert PAGE not in client.get(reverse("dashboard:my_interviews")).content.decode()
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_nav_links_to_reports_for_managers_and_recruiters(client, hiring_manager, recruiter):
    for user in (hiring_manager, recruiter):
        client.force_login(user)
        assert (
            f'href="{PAGE}">Reports</a>' in client.get(reverse("dashboard:home")).content.decode()
        )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"submitted_from": "2026-02-01", "submitted_to": "2026-01-01"},
            "The end date must not be before the start date.",
        ),
        ({"submitted_from": "2026-13-45"}, "Enter a valid date."),
        ({"submitted_to": "9999-12-31"}, "Enter a date between 1900-01-01 and 2999-12-31."),
        ({"posting": "not-a-number"}, "Select a valid choice."),
        ({"team": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_filters_get_a_clear_message_and_no_figures(client, recruiter, figures, query, message):
    client.force_login(recruiter)
    response = client.get(PAGE, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="img"' not in page
    download = client.get(PAGE + "funnel.csv", query)
    assert download.status_code == 400
    assert message in download.content.decode()


def test_a_posting_outside_the_team_chosen_is_explained(client, recruiter, figures, other_posting):
    client.force_login(recruiter)
    core = figures["a"][0].posting.teams.get()
    response = client.get(PAGE, {"posting": other_posting.pk, "team": core.pk})
    assert response.status_code == 400
    assert "Data Scientist is not a posting of the team Core." in response.content.decode()


def test_each_csv_holds_its_reports_table(client, recruiter, figures):
    client.force_login(recruiter)
    assert csv_rows(client.get(PAGE + "funnel.csv")) == [
        ["Stage", "Reached", "Conversion from the step before"],
        ["Applied", "6", ""],
        ["Screen", "4", "66.7%"],
        ["Interview", "3", "75.0%"],
        ["Offer", "3", "100.0%"],
        ["Hired", "3", "100.0%"],
    ]
    backend = figures["a"][0].posting_id
    assert csv_rows(client.get(PAGE + "time-in-stage.csv", {"posting": backend})) == [
        ["Stage", "Finished stays", "Median days", "90th percentile days", "In the stage now"],
        ["Applied", "4", "1.5", "3.4", "1"],
        ["Screen", "3", "4.0", "4.8", "0"],
        ["Interview", "2", "15.5", "24.7", "0"],
        ["Offer", "1", "2.0", "2.0", "0"],
    ]
    sources = csv_rows(client.get(PAGE + "sources.csv"))
    assert sources[0][:5] == ["Source", "Applications", "Interviewed", "Offered", "Hired"]
    assert sources[1] == ["LinkedIn", "2", "1", "1", "2", "50.0%", "50.0%", "100.0%"]
    assert csv_rows(client.get(PAGE + "knockouts.csv"))[1:] == [
        ["Backend Engineer", "Will you need a visa?", "Yes", "2", "1"],
        ["Backend Engineer", "Which team?", "Monetization", "1", "1"],
        ["Backend Engineer", "Which languages?", "COBOL", "1", "0"],
    ]
    response = client.get(PAGE + "funnel.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="funnel-')
    assert client.get(PAGE + "nonsense.csv").status_code == 404


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(client, recruiter, figures):
    client.force_login(recruiter)
    Posting.objects.filter(pk=figures["a"][0].posting_id).update(
        title='=HYPERLINK("https://evil.example","x")'
    )
    figures["questions"][0].__class__.objects.filter(pk=figures["questions"][0].pk).update(
        label="@SUM(1+1)"
    )
    hires = csv_rows(client.get(PAGE + "time-to-hire.csv"))
    assert ['\'=HYPERLINK("https://evil.example","x")', "2", "21.0", "28.2"] in hires
    knockouts = csv_rows(client.get(PAGE + "knockouts.csv"))
    assert knockouts[1][1] == "'@SUM(1+1)"


def test_names_in_charts_and_tables_are_escaped(client, recruiter, figures):
    client.force_login(recruiter)
    hostile = "<script>alert(1)</script>"
    Posting.objects.filter(pk=figures["a"][0].posting_id).update(title=hostile)
    figures["a"][0].posting.stages.filter(name="Screen").update(name=f"Screen {hostile}")
    page = client.get(PAGE).content.decode()
    assert hostile not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    # In a chart's description (what a screen reader says), its bar labels and the tables.
    desc = page.split('<desc id="chart-time-to-hire-desc">', 1)[1].split("</desc>", 1)[0]
    assert escaped in desc
    assert f'class="chart-label">{escaped}</text>' in page
    assert f'<th scope="row" class="fw-normal">Screen {escaped}</th>' in page


def test_recruiters_find_the_fairness_pages_from_the_reports_and_managers_do_not(
    client, recruiter, hiring_manager
):
    fairness = reverse("dashboard:reports-fairness")
    client.force_login(recruiter)
    assert f'href="{fairness}">Fairness</a>' in client.get(PAGE).content.decode()
    client.force_login(hiring_manager)
    assert fairness not in client.get(PAGE).content.decode()
