"""Keeping the search index current: `reindex` rewrites the documents of a batch of
applications in a bounded number of queries; `schedule` does it once the transaction that
changed them commits, each application once however many of its rows changed."""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q

from applications.models import Application, Resume
from search.models import SearchDocument
from sourcing.reads import attach_tags

# Text search configurations: stemmed English for what people wrote; names, addresses and tags
# unstemmed and without stop words ('simple'), so that "Will May" or "Jones" stay as written.
CONTENT_CONFIG = "english"
NAME_CONFIG = "simple"
BATCH = 500

# Text that apps above this one keep about applications (the dashboard's notes): each takes a
# list of application ids and returns {application id: [text, ...]} in one query.
TextSource = Callable[[list[int]], dict[int, list[str]]]
_text_sources: list[TextSource] = []


def register_text(source: TextSource) -> None:
    """Add text held by a higher app to every application's document. The app also calls
    `schedule` when that text changes."""
    if source not in _text_sources:
        _text_sources.append(source)


def reindex(application_ids: Iterable[int]) -> int:
    """Rewrite the documents of these applications from their current rows; an erased or
    deleted application loses its document. Per batch of BATCH: one query for the
    applications, one for their answers, one for their tags, one per registered text source,
    one to delete, one to write the documents and on PostgreSQL one to build their vectors.
    Returns how many documents were written."""
    ids = sorted(set(application_ids))
    return sum(_reindex_batch(ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))


def _reindex_batch(ids: list[int]) -> int:
    applications = list(
        Application.objects.filter(pk__in=ids, erased_at__isnull=True)
        .select_related("candidate")
        .only(
            "name",
            "cover_letter",
            "candidate__name",
            "candidate__email",
            "candidate__merged_into_id",
        )
        .prefetch_related("answers__question")
    )
    # Erased (their text is gone) or deleted: nothing of them stays searchable.
    live = [a.pk for a in applications]
    SearchDocument.objects.filter(application_id__in=ids).exclude(application_id__in=live).delete()
    if not applications:
        return 0
    attach_tags(applications)
    extra: dict[int, list[str]] = {}
    for source in _text_sources:
        for application_id, texts in source(live).items():
            extra.setdefault(application_id, []).extend(texts)
    SearchDocument.objects.bulk_create(
        [_document(a, extra.get(a.pk, [])) for a in applications],
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=["name", "email", "tags", "details"],
    )
    if connection.vendor == "postgresql":
        _build_vectors(live)
    return len(applications)


def _document(application: Application, extra: list[str]) -> SearchDocument:
    name = application.name
    if application.candidate.name and not application.gives_same_name_as(
        application.candidate.name
    ):
        name = f"{name} {application.candidate.name}"
    # A yes or no says nothing searchable, and "no" would match nearly every application.
    answers = [
        a.display
        for a in application.answers.all()
        if a.value not in (None, "", []) and not isinstance(a.value, bool)
    ]
    details = [application.cover_letter, *answers, *extra]
    return SearchDocument(
        application_id=application.pk,
        name=name[:401],
        email=application.candidate.email,
        tags=" ".join(application.tags),
        details="\n".join(text for text in details if text),
    )


# One UPDATE per batch. The address is indexed whole and split at the @, so that
# "corp.example" finds ada@corp.example (the parser keeps an address as one token).
_VECTORS = """
    UPDATE {documents} AS d SET vector =
        setweight(to_tsvector(%(names)s::regconfig, d.name || ' ' || d.email || ' '
            || replace(d.email, '@', ' ') || ' ' || d.tags), 'A')
        || setweight(to_tsvector(%(content)s::regconfig, d.details), 'B')
        || setweight(to_tsvector(%(content)s::regconfig, coalesce(
            (SELECT r.text FROM {resumes} AS r WHERE r.application_id = d.application_id),
            '')), 'C')
    WHERE d.application_id = ANY(%(ids)s)
"""


def _build_vectors(ids: list[int]) -> None:
    tables = {"documents": SearchDocument._meta.db_table, "resumes": Resume._meta.db_table}
    sql = _VECTORS.format(**tables)  # nosec B608 # table names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, {"names": NAME_CONFIG, "content": CONTENT_CONFIG, "ids": ids})


def forget(application_ids: Iterable[int]) -> None:
    """Drop these documents now, inside the caller's transaction (erasure): no moment after
    the commit where the erased text could still be found."""
    SearchDocument.objects.filter(application_id__in=list(application_ids)).delete()


class _Pending:
    """What changed on one connection since its last reindex: applications, and candidates
    whose applications are looked up when it runs."""

    def __init__(self):
        self.application_ids: set[int] = set()
        self.candidate_ids: set[int] = set()

    def take(self) -> set[int]:
        ids, candidates = self.application_ids, self.candidate_ids
        self.application_ids, self.candidate_ids = set(), set()
        if candidates:
            ids |= set(
                Application.objects.filter(
                    Q(candidate_id__in=candidates) | Q(candidate__merged_into_id__in=candidates)
                ).values_list("pk", flat=True)
            )
        return ids


def schedule(*, applications: Iterable[int] = (), candidates: Iterable[int] = ()) -> None:
    """Reindex these applications, and every application of these candidates (and of the
    records merged into them), once the current transaction commits; at once outside one.

    Every call registers a callback, and the first to run reindexes all that is pending on
    the connection: each application once however many of its rows changed, in a bounded
    number of queries, and the callbacks after it find nothing left. What a rolled-back
    savepoint scheduled stays pending and is reindexed with the rest, from the rows as they
    are: harmless."""
    conn = transaction.get_connection()
    pending = getattr(conn, "_search_pending", None)
    if pending is None:
        pending = conn._search_pending = _Pending()
    pending.application_ids.update(applications)
    pending.candidate_ids.update(candidates)
    # Robust: the change is committed whatever happens here; a failed reindex is logged by
    # Django, and `rebuild_search_index` catches the index up.
    transaction.on_commit(lambda: _flush(pending), robust=True)


def _flush(pending: _Pending) -> None:
    ids = pending.take()
    if ids:
        reindex(ids)


def index_missing(*, progress: Callable[[int], None] | None = None) -> int:
    """Documents for the applications that have none (rows written in bulk, data from before
    the index existed), in batches. Returns how many were written."""
    return rebuild(only_missing=True, progress=progress)


def rebuild(*, only_missing: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite every document (or only the missing ones), BATCH applications at a time, each
    batch in its own transaction."""
    applications = Application.objects.active().order_by("pk")
    if only_missing:
        applications = applications.filter(search_document__isnull=True)
    written, after = 0, 0
    while True:
        ids = list(applications.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            written += reindex(ids)
        after = ids[-1]
        if progress:
            progress(len(ids))
    if not only_missing:
        # Documents of applications erased while no callback ran.
        SearchDocument.objects.filter(application__erased_at__isnull=False).delete()
    return written
