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

from django.db.models import Count, Q

from applications.models import Source, Stage, StageChange
from interviews.models import Interview
from offers.models import Offer
from reports.sql import Covered

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
    counts = (
        covered.applications.order_by()
        .with_source_key()
        .values("source_key")
        .annotate(
            n=Count("pk"),
            n_interviewed=Count("pk", filter=Q(pk__in=interviewed)),
            n_offered=Count("pk", filter=Q(pk__in=offered)),
            n_hired=Count("pk", filter=Q(pk__in=hired)),
        )
    )
    by_key = {row["source_key"]: row for row in counts}
    # In the vocabulary's order, as the board's filter lists the sources.
    return [
        SourceRow(
            source=source.label,
            key=source.value,
            applications=row["n"],
            interviews=row["n_interviewed"],
            offers=row["n_offered"],
            hires=row["n_hired"],
        )
        for source in Source
        if (row := by_key.get(source.value))
    ]
