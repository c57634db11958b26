"""Sources: applications, interviews, offers and hires per source, with the share of each
source's applications that got that far.

The source is the one vocabulary of applications.models.Source, decided in SQL from the
stored tracking values (ApplicationQuerySet.with_source_key). An application counts once per
column however many interviews or offers it had:
- interviewed: at least one interview scheduled, held or missed (not one cancelled, nor
  times offered that the candidate has not picked yet);
- offered: at least one offer sent to the candidate;
- hired: its history shows it entering a hired stage.

One query, whatever the number of applications; sources without applications are left out.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from applications.models import Application, Source, Stage, StageChange
from interviews.models import Interview
from offers.models import Offer
from reports.sql import Covered, fetch, table

# Interviews that took, or are to take, someone's time.
INTERVIEWED = (Interview.Status.SCHEDULED, Interview.Status.NO_SHOW)


@dataclass
class SourceRow:
    source: str  # the label, as every staff page shows it
    key: str
    applications: int
    interviews: int
    offers: int
    hires: int

    def _rate(self, n: int) -> float | None:
        return n / self.applications if self.applications else None

    @property
    def interview_rate(self) -> float | None:
        return self._rate(self.interviews)

    @property
    def offer_rate(self) -> float | None:
        return self._rate(self.offers)

    @property
    def hire_rate(self) -> float | None:
        return self._rate(self.hires)


def sources(covered: Covered) -> list[SourceRow]:
    # Each set of applications is read once (PostgreSQL hashes it) rather than probed per row.
    interviewed = Interview.objects.filter(status__in=INTERVIEWED).values("application_id")
    offered = Offer.objects.filter(sent_at__isnull=False).values("application_id")
    hired = StageChange.objects.filter(to_stage__kind=Stage.Kind.HIRED).values("application_id")
    # Counted per distinct pair of raw tracking values first; only then is each pair named
    # by the vocabulary, so its patterns run once per pair rather than once per application.
    pairs_sql, pairs_params = (
        covered.applications.order_by()
        .values("utm_source", "referrer")
        .annotate(
            n=Count("pk"),
            n_interviewed=Count("pk", filter=Q(pk__in=interviewed)),
            n_offered=Count("pk", filter=Q(pk__in=offered)),
            n_hired=Count("pk", filter=Q(pk__in=hired)),
        )
        .query.sql_with_params()
    )
    # The vocabulary's own SQL (ApplicationQuerySet.with_source_key), compiled as it reads the
    # application table's columns; the pairs are given that table's name, so it reads theirs.
    named = Application.objects.with_source_key().query
    source_sql, source_params = named.get_compiler(connection=connection).compile(
        named.annotations["source_key"]
    )
    rows = fetch(
        f"""
        SELECT {source_sql}, SUM(n), SUM(n_interviewed), SUM(n_offered), SUM(n_hired)
        FROM ({pairs_sql}) {table(Application)}
        GROUP BY 1
        """,  # noqa: S608  # nosec B608 # compiled by the ORM, values as parameters
        [*source_params, *pairs_params],
    )
    # int(): PostgreSQL sums counts as numeric.
    by_key = {key: [int(n) for n in counts] for key, *counts in rows}
    # In the vocabulary's order, as the board's filter lists the sources.
    return [
        SourceRow(
            source=source.label,
            key=source.value,
            applications=counts[0],
            interviews=counts[1],
            offers=counts[2],
            hires=counts[3],
        )
        for source in Source
        if (counts := by_key.get(source.value))
    ]
