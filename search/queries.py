"""Reads of the search index: one query syntax, the matching applications, ranked results and
snippets, on PostgreSQL by its full-text search and trigrams, on SQLite by a simpler fallback.

The syntax is PostgreSQL's `websearch_to_tsquery`: words (all must match), "quoted phrases",
-excluded words or phrases, and `or` between two terms for either. On PostgreSQL the text is
handed to websearch_to_tsquery as typed; `parse` only refuses what cannot be searched, and
reads the same syntax for the SQLite fallback, which matches each term as a case-insensitive
substring (`icontains`) of the document instead of as stemmed words.
"""

import re
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from string import Template

from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Q, TextField
from django.db.models.expressions import Expression
from django.utils.html import format_html, format_html_join

from applications.models import Resume
from search.models import SearchDocument
from search.services import CONTENT_CONFIG, NAME_CONFIG

MAX_LENGTH = 200
MAX_TERMS = 16
# Ranking reads every match's vector, so only the most recent RANK_LIMIT matches of a query
# are ranked (and counted): a common word among 100,000 applications stays fast, and anything
# older is one filter or one more word away.
RANK_LIMIT = 1000
# Of each query word, how much must appear in a name or address for a typo-tolerant match:
# pg_trgm's word_similarity. "smiht" in "John Smith" is 0.5.
WORD_SIMILARITY = 0.5
# Of a query word with punctuation, how close to the whole address (pg_trgm's similarity):
# high, as addresses at one domain share most of their trigrams (jane@ and john@example.com: 0.62).
ADDRESS_SIMILARITY = 0.7
# Weights of D, C, B, A for ts_rank_cd: a name, address or tag outweighs the resume.
RANK_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
# Around the highlighted words of a snippet: private-use characters, which the snippet's text
# is stripped of first, so only these mark where <mark> goes.
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 220
# Of applications: the order the most recent matches are taken in.
NEWEST = ("-submitted_at", "-pk")

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class BadQuery(ValueError):
    """A query that cannot be searched; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    text: str
    # `or` separates alternatives, any of which may match; within one, every term must
    # (websearch_to_tsquery: "python django or rust" is python AND django, OR rust).
    alternatives: tuple[tuple[Term, ...], ...]

    def __str__(self):
        return self.text

    @property
    def plain_words(self) -> list[str]:
        """The words, when the query is nothing but words: only such a query also matches
        names and addresses with typos (an exclusion or `or` asks for exactly that text)."""
        if len(self.alternatives) > 1:
            return []
        terms = self.alternatives[0]
        if any(t.negated or t.phrase for t in terms):
            return []
        return [t.text for t in terms]

    @property
    def has_phrase(self) -> bool:
        """A quoted phrase, and no exclusion (see search.queries._loosened)."""
        terms = [t for alternative in self.alternatives for t in alternative]
        return any(t.phrase for t in terms) and not any(t.negated for t in terms)

    @property
    def positive_terms(self) -> list[str]:
        return [t.text for terms in self.alternatives for t in terms if not t.negated]


def parse(text: str) -> Query:
    """The query in `text`, or BadQuery saying why it cannot be searched."""
    text = (text or "").strip()
    if not text:
        raise BadQuery("Type something to search for.")
    if len(text) > MAX_LENGTH:
        raise BadQuery(f"Search for at most {MAX_LENGTH} characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in text):
        raise BadQuery("The search contains characters that cannot be typed; remove them.")
    alternatives: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if word is not None and word.lower() == "or" and alternatives[-1]:
            alternatives.append([])
            continue
        if phrase is not None:
            term = Term(" ".join(phrase.split()), negated=bool(negated_phrase), phrase=True)
        else:
            term = Term(word.lstrip("-"), negated=word.startswith("-"))
        if term.text:
            alternatives[-1].append(term)
    # A trailing "or" leaves nothing to add; PostgreSQL ignores it too.
    alternatives = [terms for terms in alternatives if terms]
    if sum(len(terms) for terms in alternatives) > MAX_TERMS:
        raise BadQuery(f"Search for at most {MAX_TERMS} words or phrases.")
    # Only exclusions would match nearly everything, with no index to help.
    if not alternatives or any(all(t.negated for t in terms) for terms in alternatives):
        raise BadQuery("Say what to look for, not only what to leave out.")
    return Query(text=text, alternatives=tuple(tuple(terms) for terms in alternatives))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# The tsquery: websearch_to_tsquery in both configurations of the vector, either matching.
_TSQUERY = (
    f"(websearch_to_tsquery('{CONTENT_CONFIG}', %s) || websearch_to_tsquery('{NAME_CONFIG}', %s))"
)


class DocumentSQL(Expression):
    """A fixed piece of SQL over a search document's columns, written with $name, $email,
    $details, $vector and $pk, which become the columns under whatever alias the query gives
    the table (a subquery renames it); values only as parameters."""

    COLUMNS = ("name", "email", "details", "vector", "pk")

    def __init__(self, template: str, params: list, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = Template(template), list(params)
        self.columns = [F(column) for column in self.COLUMNS]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.columns = [c.resolve_expression(query, *args, **kwargs) for c in self.columns]
        return resolved

    def as_sql(self, compiler, connection):
        columns = {}
        for name, column in zip(self.COLUMNS, self.columns, strict=True):
            columns[name], _ = compiler.compile(column)
        return self.template.substitute(columns), self.params


# A word of letters: close to a word of the name or address ("smiht" in "John Smith"), at
# pg_trgm.word_similarity_threshold. Anything else ("jane.doe@exampel.com"): close to the
# whole address, at pg_trgm.similarity_threshold; trigrams split a word at punctuation, so
# "corp.example" would be as close to every address at example.com word by word.
# Operators only, no function of the row: the whole condition is answered by the GIN indexes,
# and a row's (large) vector is never read to filter it. search.apps sets both thresholds.
_NAME_WORD = "(%s <%% $name OR %s <%% $email)"
_ADDRESS_WORD = "%s %% $email"


def _text_hit(query: Query) -> DocumentSQL:
    return DocumentSQL(
        f"$vector @@ {_TSQUERY}", [query.text, query.text], output_field=BooleanField()
    )


def _typo_hit(words: list[str]) -> DocumentSQL | None:
    """Each word close to the name or address; None when no word can be (a word with digits
    and no @ is neither a name nor an address)."""
    if not any(_is_name_word(w) or "@" in w for w in words):
        return None
    per_word, params = [], []
    for word in words:
        if _is_name_word(word):
            per_word.append(_NAME_WORD)
            params += [word, word]
        else:
            per_word.append(_ADDRESS_WORD)
            params.append(word)
    return DocumentSQL(" AND ".join(per_word), params, output_field=BooleanField())


def _is_name_word(word: str) -> bool:
    return word.replace("'", "").replace("-", "").isalpha()


def _term_q(term: Term) -> Q:
    q = Q()
    for field in ("name", "email", "tags", "details", "application__resume__text"):
        q |= Q(**{f"{field}__icontains": term.text})
    return ~q if term.negated else q


def _sqlite_hit(query: Query) -> Q:
    hit = Q(pk__in=[])
    for terms in query.alternatives:
        every = Q()
        for term in terms:
            every &= _term_q(term)
        hit |= every
    return hit


def _hits(query: Query) -> list:
    """The conditions on a SearchDocument, any of which makes it a match: on PostgreSQL the
    full-text match and, for plain words, the typo-tolerant one; on SQLite every term as a
    substring."""
    if not _postgres():
        return [_sqlite_hit(query)]
    typo = _typo_hit(query.plain_words) if query.plain_words else None
    return [_text_hit(query)] + ([typo] if typo is not None else [])


@contextmanager
def by_index(active: bool = True):
    """Reads of a board under a search, planned on the search indexes.

    PostgreSQL's planner prices reading a row's tsvector like reading any column, though a
    resume's is kilobytes stored out of line: for a word in a third of 100,000 resumes it
    chose to scan and test every vector (650-770 ms) over the GIN bitmap that names the
    matches without reading one (50 ms). Sequential scans are off for this transaction only;
    the board's other reads are index walks anyway."""
    if not (active and _postgres()):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def matching_documents(query: Query):
    """The SearchDocuments `query` finds."""
    hits = _hits(query)
    condition = hits[0]
    for hit in hits[1:]:
        condition = condition | hit
    return SearchDocument.objects.filter(condition)


def matching(applications, query: Query):
    """The applications of `applications` that `query` finds: on PostgreSQL by full-text
    search on the GIN index, or, for a query of plain words, each word close (trigrams) to
    the name or address; on SQLite every term as a substring. The one search of the board
    and of the global search page.

    For counting every match (a board's columns), one semi-join per condition, OR-ed,
    rather than one semi-join on the OR: each then is a bitmap scan of its own index whose
    rows need no second look, where the OR made PostgreSQL test every matching row's
    condition again, reading each one's large vector (at 100,000 applications, 30,000
    vectors and 200 ms for a common word)."""
    either = Q(pk__in=[])
    for hit in _hits(query):
        either |= Q(pk__in=SearchDocument.objects.filter(hit).values("application_id"))
    return applications.filter(either)


def ranked(applications, query: Query) -> "Ranked":
    """The most recent RANK_LIMIT matches among `applications`, best first (on SQLite, which
    has no ranking, newest first): a sequence of SearchDocuments, each with its application,
    candidate, posting and stage, read a page at a time. Snippets come from `snippets`.

    Two queries before any page is read: the matches' ids newest first (`_recent`), then
    those ids in the order of their rank, which reads their vectors. Its length is that of
    the first, so that counting the results answers the search no second time."""
    with by_index():
        recent = _recent(applications, query)
        if not _postgres() or not recent:
            return Ranked(recent)
        rank = f"ts_rank_cd('{RANK_WEIGHTS}', $vector, {_TSQUERY}, 4)"
        params: list = [query.text, query.text]
        words = query.plain_words
        if words:
            text = " ".join(words)
            rank += " + greatest(word_similarity(%s, $name), word_similarity(%s, $email))"
            params += [text, text]
        order = (
            SearchDocument.objects.filter(application_id__in=recent)
            .annotate(rank=DocumentSQL(rank, params, output_field=FloatField()))
            .order_by("-rank", "-application__submitted_at", "-application_id")
            .values_list("application_id", flat=True)
        )
        return Ranked(list(order))


# In the text of a tsquery: a quoted lexeme (left as it is), a phrase operator (<-> or <N>),
# or a NOT.
_TSQUERY_TOKEN = re.compile(r"'(?:[^']|'')*'|<\d*->|<\d+>|!")


def _recent(applications, query: Query) -> list[int]:
    """Ids of the most recent RANK_LIMIT applications of `applications` that `query` finds,
    newest first, by the conditions of `matching` (a bitmap of each index, and the walk
    down the applications newest first that stops at RANK_LIMIT: no vector is read).

    A phrase is the exception: the GIN index holds no word positions, so PostgreSQL reads
    each candidate's vector to check that the words are together (10,000 vectors and 40 ms
    for a phrase in a tenth of 100,000 resumes). The loosened query (the phrase's words
    anywhere) is answered by the index alone; the applications it finds are walked newest
    first, each one's vector read to test the phrase, until RANK_LIMIT have passed."""
    loose = _loosened(query) if _postgres() and query.has_phrase else None
    if loose is None:
        found = matching(applications, query).order_by(*NEWEST)
        return list(found.values_list("pk", flat=True)[:RANK_LIMIT])
    candidates = applications.filter(
        pk__in=SearchDocument.objects.filter(
            DocumentSQL("$vector @@ %s::tsquery", [loose], output_field=BooleanField())
        ).values("application_id")
    )
    inner, params = (
        candidates.order_by(*NEWEST).values_list("pk", "submitted_at").query.sql_with_params()
    )
    documents = SearchDocument._meta.db_table
    # The ordered candidates as a subquery, the phrase tested above it on each row in turn
    # through a scalar subquery (which PostgreSQL cannot turn into a join that would test
    # every candidate before the LIMIT). Table names from the models; values as parameters.
    sql = (
        f"SELECT c.id FROM ({inner}) AS c(id, submitted_at) "  # noqa: S608  # nosec B608
        f"WHERE (SELECT d.vector FROM {documents} d WHERE d.application_id = c.id) "
        f"@@ {_TSQUERY} ORDER BY c.submitted_at DESC, c.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, query.text, query.text, RANK_LIMIT])
        return [pk for (pk,) in cursor.fetchall()]


def _loosened(query: Query) -> str | None:
    """The text of the query's tsquery with each phrase operator made an AND: the same words
    anywhere in the document, a superset of what the query finds. None when the query has no
    phrase, or has a NOT (a phrase under it, loosened, would leave out more, not less)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({_TSQUERY})::text", [query.text, query.text])
        (text,) = cursor.fetchone()
    tokens = {token for token in _TSQUERY_TOKEN.findall(text) if not token.startswith("'")}
    if "!" in tokens or not tokens:
        return None
    return _TSQUERY_TOKEN.sub(lambda m: m[0] if m[0].startswith("'") else "&", text)


class Ranked(Sequence):
    """Application ids in the order of a search's results, read as their SearchDocuments a
    slice (a page) at a time: one query per page, whatever the number of results."""

    def __init__(self, application_ids: list[int]):
        self.application_ids = application_ids

    def __len__(self):
        return len(self.application_ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self._documents([self.application_ids[index]])[0]
        return self._documents(self.application_ids[index])

    @staticmethod
    def _documents(ids: list[int]) -> list[SearchDocument]:
        documents = (
            SearchDocument.objects.filter(application_id__in=ids)
            .defer("vector")
            .select_related("application__candidate", "application__posting", "application__stage")
            .in_bulk()
        )
        return [documents[pk] for pk in ids if pk in documents]


def snippets(application_ids: list[int], query: Query) -> dict[int, str]:
    """{application id: text around the first matches, each match between START and STOP},
    from the details and resume text, in one query."""
    if not application_ids:
        return {}
    documents = SearchDocument.objects.filter(application_id__in=application_ids)
    if _postgres():
        # ts_headline takes its options as one string; the markers are characters the text is
        # stripped of, so nothing the applicant wrote can pose as one.
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        resumes = Resume._meta.db_table
        # Table names from the models.
        resume = f"SELECT r.text FROM {resumes} r WHERE r.application_id = $pk"  # noqa: S608  # nosec B608
        text = f"translate($details || ' ' || coalesce(({resume}), ''), %s, '')"
        headline = f"ts_headline('{CONTENT_CONFIG}', {text}, {_TSQUERY}, %s)"
        snippet = DocumentSQL(
            headline, [START + STOP, query.text, query.text, options], output_field=TextField()
        )
        rows = documents.annotate(snippet=snippet).values_list("application_id", "snippet")
        return dict(rows)
    rows = documents.values_list("application_id", "details", "application__resume__text")
    return {pk: _python_snippet(f"{details} {resume or ''}", query) for pk, details, resume in rows}


def _python_snippet(text: str, query: Query) -> str:
    """SQLite's snippet: the text around the first term found, every term found in it
    marked. Case-insensitive for ASCII only, as SQLite's LIKE."""
    text = " ".join(text.translate({ord(START): None, ord(STOP): None}).split())
    terms = sorted({t for t in query.positive_terms if t}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - SNIPPET_CHARS // 3) if first else 0
    window = text[start : start + SNIPPET_CHARS]
    if pattern:
        window = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
    return f"{prefix}{window}{suffix}"


def marked_html(snippet: str):
    """The snippet as HTML: everything escaped, and only the text between our markers in
    <mark>. A marker without its pair marks nothing."""
    parts = re.split(f"{START}(.*?){STOP}", snippet or "", flags=re.DOTALL)
    # re.split puts each marked text at the odd positions.
    cleaned = [part.translate({ord(START): None, ord(STOP): None}) for part in parts]
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", part) if i % 2 else part,)
            for i, part in enumerate(cleaned)
        ),
    )
