"""The trust review's attacks by signed-in staff, items 10, 12 and 14.

A hiring manager got 500s from a board filter `submitted_to=9999-12-31` (OverflowError) and a
column `?page=99999999999999999999` (bigint out of range); a name like `name;=1+1` became a
formula cell in a semicolon-locale spreadsheet of the CSV export; and @mentions told a hiring
manager which usernames exist, and emailed superusers off the posting.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from dashboard.board import MAX_PAGE
from dashboard.csv_export import csv_cell
from dashboard.services import mentionable_users
from notifications.models import OutboxEmail
from postings.models import Question
from tests import factories
from tests.dashboard.test_board import board_url, names
from tests.dashboard.test_candidate_page import action_url
from tests.factories import apply

pytestmark = pytest.mark.django_db


# Item 10: extreme values in the board's query string


HUGE = "99999999999999999999"  # beyond a 64-bit integer


EXTREME_DATES = ["9999-12-31", "0001-01-01", "-1", HUGE, "2025-13-45", "x"]


def filtered_urls(posting):
    """The three views that read the board's filters."""
    column = reverse(
        "dashboard:board_column", args=[posting.pk, posting.stages.get(name="Applied").pk]
    )
    return {
        "board": board_url(posting),
        "column": column,
        "export": reverse("dashboard:export_csv", args=[posting.pk]),
    }


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize("field", ["submitted_from", "submitted_to"])
@pytest.mark.parametrize("value", EXTREME_DATES)
@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_an_extreme_date_filter_is_a_form_error_never_a_server_error(
    as_manager, posting, applicants, field, value, view
):
    response = as_manager.get(filtered_urls(posting)[view], {field: value})
    assert response.status_code == 200
    if view == "board":
        expected = (
            "Enter a date between 1900-01-01 and 2999-12-31."
            if value in ("9999-12-31", "0001-01-01")
            else "Enter a valid date."
        )
        assert expected in body(response)
        # The bad filter is not applied: every applicant is still there.
        assert names(response) == ["Ada Moreno", "Ben Okafor", "Dev Patel", "Jane Doe"]
    if view == "export":
        assert "Jane Doe" in body(response)


@pytest.mark.parametrize(
    "params",
    [
        {"stage": HUGE},
        {"stage": "-1"},
        {"source": HUGE},
        {"answer_{q}": HUGE},
        {f"answer_{HUGE}": "yes"},
        {"q": HUGE},
        {"q": "x" * 5000},
    ],
)
@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_other_extreme_filter_values_never_give_a_server_error(
    as_manager, posting, applicants, internship_question, params, view
):
    query = {key.format(q=internship_question.pk): value for key, value in params.items()}
    assert as_manager.get(filtered_urls(posting)[view], query).status_code == 200


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (HUGE, None),
        ("9223372036854775807", None),  # the largest 64-bit integer
        ("1" + "0" * 5000, 1),  # more digits than Python converts: not a number
        ("-5", 1),
        ("0", 1),
        ("x", 1),
        ("", 1),
        ("2.5", 1),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_column_page_out_of_range_is_a_404_or_the_first_page_never_a_server_error(
    as_manager, posting, applicants, page, shown, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = as_manager.get(filtered_urls(posting)["column"], {"page": page}, **headers)
    if shown is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.context["page"] == shown
        assert "Jane Doe" in response.content.decode()


def test_the_last_page_a_column_can_have_still_answers_and_is_empty(
    as_manager, posting, applicants
):
    column = filtered_urls(posting)["column"]
    response = as_manager.get(column, {"page": MAX_PAGE})
    assert response.status_code == 200
    assert response.context["cards"] == []
    assert as_manager.get(column, {"page": MAX_PAGE + 1}).status_code == 404


@pytest.mark.parametrize("view", ["board", "column", "export"])
def test_a_posting_or_stage_id_beyond_a_64_bit_integer_is_a_404(
    as_manager, posting, applicants, view
):
    urls = {
        "board": f"/dashboard/postings/{HUGE}/board/",
        "column": f"/dashboard/postings/{posting.pk}/board/stages/{HUGE}/",
        "export": f"/dashboard/postings/{HUGE}/export.csv",
    }
    assert as_manager.get(urls[view]).status_code == 404


# Item 12: formulas hidden after a separator in the CSV export


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Each hides a formula from a check of the first character only.
HIDDEN_FORMULAS = [
    "name;=1+1",
    "name,=1+1",
    "name\t=1+1",
    "name; =1+1",
    'name;"=1+1"',
    "name;;@SUM(A1:A9)",
    "name\n=1+1",
    "name;-2+3;+4",
]


def raw_export(client, posting) -> str:
    response = client.get(reverse("dashboard:export_csv", args=[posting.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_starts_a_formula_whether_read_with_commas_or_semicolons(
    as_manager, posting, internship_question, delimiter
):
    """The real export, read back as a comma spreadsheet and as a semicolon one (German,
    French and other locales) would: no cell of either begins with a formula."""
    text_question = factories.QuestionFactory(
        posting=posting,
        label="Anything else?;=1+1",
        kind=Question.Kind.SHORT_TEXT,
        required=False,
        position=1,
    )
    for number, formula in enumerate(HIDDEN_FORMULAS):
        apply(
            posting,
            name=formula,
            email=f"evil{number}@example.com",
            source=f"ads;={number}",
            answers={internship_question: True, text_question: f"x,@{number}"},
        )
    text = raw_export(as_manager, posting)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    assert len(rows) > len(HIDDEN_FORMULAS)
    starting = [c for c in cells if c.startswith(FORMULA_STARTS) or c.strip().startswith("=")]
    assert starting == []


def test_cells_holding_a_separator_are_quoted_and_read_back_whole(
    as_manager, posting, internship_question
):
    apply(posting, name="Ng; Anh\tVu, Jr.", email="ng@example.com", source="a;b")
    text = raw_export(as_manager, posting)
    assert '"Ng; Anh\tVu, Jr."' in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "Ng; Anh\tVu, Jr." and rows[1][5] == "Other"
    assert csv_cell("name;=1+1") == "name;'=1+1"


# Item 14: @mentions of people out of reach


@pytest.fixture
def people(posting, recruiter, hiring_manager, other_manager, outsider):
    """Who a note on Backend Engineer might name: its team (Bob, and Root on it as a
    superuser), every recruiter (Alice), and people who must stay out of reach: a superuser
    off the team, Dana of another posting, Charlie of none, an inactive recruiter, and a
    teammate without an email address."""
    django_user = get_user_model()
    admin = django_user.objects.create_superuser("admin", "admin@example.com", "x")
    root = django_user.objects.create_superuser("root", "root@example.com", "x")
    posting.hiring_team.add(root)
    gone = factories.UserFactory(username="gone", role="recruiter")
    gone.is_active = False
    gone.save()
    quiet = factories.UserFactory(username="quiet", role="hiring_manager", email="")
    posting.hiring_team.add(quiet)
    return {"admin": admin, "root": root, "gone": gone, "quiet": quiet}


def test_only_the_hiring_team_and_recruiters_can_be_mentioned_never_an_admin_off_the_team(
    application, hiring_manager, recruiter, people
):
    names = ["alice", "bob", "root", "admin", "dana", "charlie", "gone", "quiet", "ghost"]
    found = mentionable_users(application.posting, names)
    assert sorted(user.username for user in found) == ["alice", "bob", "quiet", "root"]


def notify(client, application, body: str) -> list[str]:
    """The messages the page shows after adding a note."""
    response = client.post(action_url("add_note", application), {"body": body}, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    html = response.content.decode()
    assert all(escape(text) in html for text in shown)
    return shown


@pytest.mark.parametrize("name", ["admin", "dana", "charlie", "gone", "quiet"])
def test_the_note_message_is_the_same_for_a_name_out_of_reach_and_one_that_exists_nowhere(
    as_manager, application, people, other_manager, outsider, mailoutbox, name
):
    """Bob cannot tell an administrator, another team's manager, a deactivated recruiter or
    a teammate without email from a name nobody has: same words, nobody emailed."""
    shown = notify(as_manager, application, f"Ping @{name} about this one.")
    nobody = notify(as_manager, application, "Ping @zz999 about this one.")
    assert [text.replace("@zz999", f"@{name}") for text in nobody] == shown
    assert shown == [
        "Note added.",
        f"Not notified: @{name} (no teammate by that name on this posting can be emailed).",
    ]
    assert not OutboxEmail.objects.filter(kind="mention").exists()
    assert mailoutbox == []


def test_a_superuser_on_the_hiring_team_and_any_recruiter_are_emailed(
    as_manager, application, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shown = notify(as_manager, application, "@root @alice @admin please look")
    assert shown == [
        "Note added. Emailed @alice, @root.",
        "Not notified: @admin (no teammate by that name on this posting can be emailed).",
    ]
    assert sorted(OutboxEmail.objects.filter(kind="mention").values_list("to", flat=True)) == [
        "alice@example.com",
        "root@example.com",
    ]
