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

from django.db.models import Count, Exists, OuterRef, Q

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
    application = OuterRef("pk")
    counts = (
        covered.applications.order_by()
        .with_source_key()
        .annotate(
            interviewed=Exists(
                Interview.objects.filter(application=application, status__in=INTERVIEWED)
            ),
            offered=Exists(Offer.objects.filter(application=application, sent_at__isnull=False)),
            hired=Exists(
                StageChange.objects.filter(application=application, to_stage__kind=Stage.Kind.HIRED)
            ),
        )
        .values("source_key")
        .annotate(
            n=Count("pk"),
            n_interviewed=Count("pk", filter=Q(interviewed=True)),
            n_offered=Count("pk", filter=Q(offered=True)),
            n_hired=Count("pk", filter=Q(hired=True)),
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
