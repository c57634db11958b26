"""The global search page: scoped like every staff page, ranked, highlighted, filtered, paged,
and never a 500 whatever is typed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from dashboard.services import add_note
from search import queries
from tests import factories
from tests.search.conftest import postgres_only, texts

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:search")


def test_a_hiring_manager_finds_only_his_postings_applications(as_manager, applicants, zoe):
    # "Kafka" is in Ben's resume (Backend Engineer, Bob's) and in Zoe's (Data Scientist).
    response = as_manager.get(URL, {"q": "kafka"})
    assert texts(response) == ["Ben Okafor"]
    html = response.content.decode()
    assert "Zoe" not in html and "Data Scientist" not in html
    # Not even by her address, or by filtering on her posting.
    assert texts(as_manager.get(URL, {"q": "zoe@example.com"})) == []
    response = as_manager.get(URL, {"q": "kafka", "posting": zoe.posting_id})
    assert "Select a valid choice" in response.content.decode()


def test_a_recruiter_finds_across_postings(as_recruiter, applicants, zoe):
    assert set(texts(as_recruiter.get(URL, {"q": "kafka"}))) == {"Ben Okafor", "Zoe Other"}


def test_interviewers_get_a_404_and_no_search_box(client, interviewer, applicants, held_interview):
    """Interviewers reach the people they interview through their interviews only, and the
    index holds notes they may not read: no search, as no board."""
    client.force_login(interviewer)
    assert client.get(URL, {"q": "jane"}).status_code == 404
    page = client.get(reverse("dashboard:my_interviews")).content.decode()
    assert 'id="nav-search"' not in page


def test_the_nav_search_box_leads_here(as_manager):
    page = as_manager.get(reverse("dashboard:home")).content.decode()
    assert f'action="{URL}"' in page and 'id="nav-search"' in page


def test_each_result_links_to_the_application_the_candidate_and_the_board(as_recruiter, applicants):
    ben = applicants["ben"]
    html = as_recruiter.get(URL, {"q": "okafor"}).content.decode()
    assert f'href="{ben.get_dashboard_url()}"' in html
    assert f'href="{reverse("dashboard:candidate", args=[ben.candidate_id])}"' in html
    assert f'href="{reverse("dashboard:board", args=[ben.posting_id])}"' in html
    assert "1 result" in html


def test_snippets_are_escaped_and_only_the_matches_are_marked(as_recruiter, posting):
    factories.apply(
        posting,
        name="Mallory Hostile",
        email="mallory@example.com",
        resume_text='Erlang <script>alert("x")</script> <mark>fake</mark> Erlang expert',
    )
    response = as_recruiter.get(URL, {"q": "erlang"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<mark>fake" not in html
    snippet = str(response.context["results"][0].snippet)
    assert "alert(" in snippet
    # PostgreSQL's ts_headline drops what looks like a tag; SQLite's snippet escapes it.
    assert "<script" not in snippet and "<mark>fake" not in snippet
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["Erlang", "Erlang"]


def test_filters_narrow_the_results(as_recruiter, applicants, zoe, recruiter):
    from sourcing import services as sourcing

    sourcing.add_tag(candidate=applicants["ada"].candidate, name="rustacean", by=recruiter)
    for application in (applicants["ada"], applicants["ben"]):
        factories.indexed(application)
    screen = applicants["ben"].posting.stages.get(name="Screen")
    Application.objects.filter(pk=applicants["ben"].pk).update(stage=screen)
    get = lambda **params: set(texts(as_recruiter.get(URL, {"q": "example", **params})))  # noqa: E731
    everyone = {"Jane Doe", "Ben Okafor", "Dev Patel", "Zoe Other"}
    assert get() >= everyone
    assert get(posting=zoe.posting_id) == {"Zoe Other"}
    assert get(stage="Screen") == {"Ben Okafor"}
    assert get(source="indeed") == {"Ben Okafor"}
    assert get(source="linkedin") == {"Jane Doe"}
    assert set(texts(as_recruiter.get(URL, {"q": "rust", "tag": "Rustacean"}))) == {"Ada Moreno"}


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type something to search for."),
        ("x" * 5000, "at most 200 characters"),
        ("python\x1b", "cannot be typed"),
        ("-java", "not only what to leave out"),
    ],
)
def test_bad_queries_are_explained_never_a_500(as_recruiter, applicants, q, message):
    response = as_recruiter.get(URL, {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "results" not in response.context


def test_a_null_character_or_a_bad_page_is_no_500(as_recruiter, applicants):
    assert as_recruiter.get(URL, {"q": "jane\x00"}).status_code == 200
    for page in ("0", "-1", "abc", "99999999999999999999999"):
        response = as_recruiter.get(URL, {"q": "example", "page": page})
        assert response.status_code == 200, page


def test_results_come_in_pages(as_recruiter, posting):
    factories.bulk_applications(posting, 45)
    first = as_recruiter.get(URL, {"q": "applicant"})
    assert len(first.context["results"]) == 20
    assert "45 results" in first.content.decode()
    last = as_recruiter.get(URL, {"q": "applicant", "page": 3})
    assert len(last.context["results"]) == 5
    assert "Page 3 of 3" in last.content.decode()
    names = [*texts(first), *texts(as_recruiter.get(URL, {"q": "applicant", "page": 2}))]
    assert len(set(names)) == 40


def test_only_the_most_recent_matches_are_ranked(as_recruiter, posting, monkeypatch):
    factories.bulk_applications(posting, 12)
    monkeypatch.setattr(queries, "RANK_LIMIT", 10)
    html = as_recruiter.get(URL, {"q": "applicant"}).content.decode()
    assert "most recent matches" in html and "Older matches are left out" in html


@postgres_only
def test_a_name_outranks_a_mention_in_a_resume(as_recruiter, posting):
    factories.apply(
        posting, name="Alex Mentions", email="am@example.com", resume_text="Worked with Kowalski"
    )
    factories.apply(posting, name="Ola Kowalski", email="ok@example.com", resume_text="Go")
    assert texts(as_recruiter.get(URL, {"q": "kowalski"})) == ["Ola Kowalski", "Alex Mentions"]


@pytest.mark.usefixtures("substring_fallback")
def test_sqlite_orders_matches_newest_first(as_recruiter, posting):
    factories.apply(posting, name="Old Kowalski", email="old@example.com")
    factories.apply(posting, name="New Mentions", email="new@example.com", resume_text="Kowalski")
    assert texts(as_recruiter.get(URL, {"q": "kowalski"})) == ["New Mentions", "Old Kowalski"]


def test_a_note_is_found_and_shown(as_recruiter, application, recruiter):
    add_note(application=application, author=recruiter, body="Great at Haskell type classes.")
    factories.indexed(application)
    response = as_recruiter.get(URL, {"q": "haskell"})
    assert texts(response) == ["Jane Doe"]
    assert "<mark>Haskell</mark>" in str(response.context["results"][0].snippet)


def test_the_page_reads_in_the_same_number_of_queries_for_1_and_30_results(
    as_recruiter, posting, django_assert_num_queries
):
    factories.bulk_applications(posting, 1)
    as_recruiter.get(URL, {"q": "applicant"})  # the session and user, cached

    def count(results: int) -> int:
        with CaptureQueriesContext(connection) as queries_run:
            response = as_recruiter.get(URL, {"q": "applicant", "source": "direct"})
        assert len(response.context["results"]) == results
        return len(queries_run)

    one = count(1)
    factories.bulk_applications(posting, 29)
    # Session, user and profile; the inbox badge; the posting and stage choices; the ids of
    # the most recent matches; those ids in the order of their rank; the page of results;
    # their tags; their snippets. On PostgreSQL, the search's transaction planned on the
    # indexes: a savepoint, SET LOCAL and its release.
    with django_assert_num_queries(one):
        response = as_recruiter.get(URL, {"q": "applicant", "source": "direct"})
    assert len(response.context["results"]) == 20
    assert one <= (15 if connection.vendor == "postgresql" else 12)


def test_the_board_searches_with_the_same_syntax(as_manager, posting, applicants):
    board = reverse("dashboard:board", args=[posting.pk])

    def names(params):
        response = as_manager.get(board, params)
        return sorted(card.display_name for c in response.context["columns"] for card in c.cards)

    assert names({"q": "kafka or rust"}) == ["Ada Moreno", "Ben Okafor"]
    assert names({"q": "rust -kafka"}) == ["Ada Moreno"]
    assert names({"q": '"distributed caching"'}) == ["Ada Moreno"]
    response = as_manager.get(board, {"q": "-kafka"})
    assert "not only what to leave out" in response.content.decode()


@postgres_only
def test_every_read_under_a_search_is_planned_on_the_search_indexes(as_recruiter, posting):
    factories.bulk_applications(posting, 3)

    def planned_on_indexes(url, params) -> bool:
        with CaptureQueriesContext(connection) as run:
            assert as_recruiter.get(url, params).status_code == 200
        return any("enable_seqscan = off" in q["sql"] for q in run.captured_queries)

    board = reverse("dashboard:board", args=[posting.pk])
    listed = reverse("dashboard:board_list", args=[posting.pk])
    assert planned_on_indexes(board, {"q": "applicant"})
    assert planned_on_indexes(listed, {"q": "applicant"})
    assert planned_on_indexes(URL, {"q": "applicant"})
    assert not planned_on_indexes(board, {})
    assert not planned_on_indexes(listed, {})
