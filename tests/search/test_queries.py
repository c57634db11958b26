"""The query syntax (websearch_to_tsquery's) on both databases, and what `parse` refuses."""

import pytest

from applications.models import Application
from search import queries
from search.queries import BadQuery, parse
from tests import factories
from tests.search.conftest import postgres_only

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    return set(
        queries.matching(Application.objects.all(), parse(text)).values_list("name", flat=True)
    )


@pytest.fixture
def people(posting):
    return {
        "ann": factories.apply(
            posting,
            name="Ann Lee",
            email="ann.lee@example.com",
            resume_text="Python developer building distributed systems",
        ),
        "bo": factories.apply(
            posting,
            name="Bo Chen",
            email="bo@corp.example",
            resume_text="Java developer, systems that are distributed",
        ),
        "cy": factories.apply(
            posting, name="John Smith", email="js@example.com", resume_text="Rust and Python"
        ),
    }


def test_every_word_must_match(people):
    assert found("python developer") == {"Ann Lee"}
    assert found("python") == {"Ann Lee", "John Smith"}


def test_a_quoted_phrase_matches_only_those_words_together(people):
    assert found('"distributed systems"') == {"Ann Lee"}


def test_a_minus_leaves_out_what_has_the_word(people):
    assert found("developer -java") == {"Ann Lee"}
    assert found('developer -"distributed systems"') == {"Bo Chen"}


def test_or_takes_either_word(people):
    assert found("java or rust") == {"Bo Chen", "John Smith"}
    # As in websearch_to_tsquery, `or` separates alternatives: (python AND developer) OR java.
    assert found("python developer or java") == {"Ann Lee", "Bo Chen"}
    assert found("developer rust or haskell") == set()


def test_names_addresses_and_domains_are_found(people):
    assert found("chen") == {"Bo Chen"}
    assert found("corp.example") == {"Bo Chen"}
    assert found("ann.lee@example.com") == {"Ann Lee"}


def test_nothing_is_found_for_a_word_nobody_wrote(people):
    assert found("haskell") == set()


@postgres_only
def test_a_misspelt_name_or_address_is_still_found_on_postgresql(people):
    assert found("jon smiht") == {"John Smith"}
    assert found("ann.lee@exampel.com") == {"Ann Lee"}
    # Typo tolerance is per word: a word matching nobody's name finds nobody.
    assert found("john haskell") == set()


@postgres_only
def test_words_are_stemmed_on_postgresql(people):
    """English stemming: "systems" finds "system", "developers" finds "developer"."""
    assert found("developers") == {"Ann Lee", "Bo Chen"}


@pytest.mark.usefixtures("substring_fallback")
def test_the_sqlite_fallback_matches_substrings_without_typo_tolerance(people):
    assert found("develop") == {"Ann Lee", "Bo Chen"}  # a substring, not a stem
    assert found("jon smiht") == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type something"),
        ("   ", "Type something"),
        ("x" * 201, "at most 200 characters"),
        ("python\x00", "cannot be typed"),
        ("python\x1b[31m", "cannot be typed"),
        ("-java", "not only what to leave out"),
        ('-"big corp" -java', "not only what to leave out"),
        ("python or -java", "not only what to leave out"),
        (" ".join(["w"] * 17), "at most 16 words"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(text, message):
    with pytest.raises(BadQuery, match=message):
        parse(text)


def test_the_parse_reads_the_websearch_syntax():
    query = parse('python "data  pipelines" -java or -"big corp" python OR rust')
    assert [[(t.text, t.negated, t.phrase) for t in terms] for terms in query.alternatives] == [
        [("python", False, False), ("data pipelines", False, True), ("java", True, False)],
        [("big corp", True, True), ("python", False, False)],
        [("rust", False, False)],
    ]
    assert query.plain_words == []
    assert parse("jon  smiht").plain_words == ["jon", "smiht"]
    # An unclosed quote runs to the end; a lone "or" is a word.
    assert parse('"open phrase').alternatives[0][0] == queries.Term("open phrase", phrase=True)
    assert parse("or").plain_words == ["or"]


def test_a_snippet_is_escaped_and_only_our_markers_are_marked():
    start, stop = queries.START, queries.STOP
    html = queries.marked_html(f"<script>x</script> {start}<b>python</b>{stop} and {stop}")
    assert html == ("&lt;script&gt;x&lt;/script&gt; <mark>&lt;b&gt;python&lt;/b&gt;</mark> and ")
