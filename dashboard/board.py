"""Reads behind the pipeline board: columns of cards with their counts and badges, in a number
of queries that does not grow with the number of applications."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from applications.models import Answer, Application, Stage
from applications.pipeline import OPEN_KINDS
from interviews.progress import attach_interview_states
from offers.models import Offer
from postings.models import Question
from sourcing.reads import attach_tags

# About what a laptop screen shows of a column; the rest loads as the column scrolls.
PER_COLUMN = 12
# The last page whose OFFSET a database can take: PostgreSQL's is a bigint, and SQLite's
# driver refuses a larger integer (OverflowError). Beyond it no column can have cards.
MAX_PAGE = (2**63 - 1) // PER_COLUMN

CARD_ORDER = (F("submitted_at").desc(), F("pk").desc())
COLLAPSED_KINDS = (Stage.Kind.REJECTED, Stage.Kind.WITHDRAWN)

# The list view's orders, by the name its query parameter gives; "-name" reverses one.
LIST_ORDERS = {
    "name": ("name", "pk"),
    "stage": ("stage__position", "stage_id", "pk"),
    # Fewest days in stage first: the latest change first.
    "days": ("-stage_changed_at", "-pk"),
    "source": ("utm_source", "referrer", "pk"),
    "submitted": ("submitted_at", "pk"),
}
LIST_DEFAULT_SORT = "-submitted"
PER_LIST_PAGE = 50


@dataclass
class Column:
    stage: Stage
    count: int = 0
    cards: list[Application] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)

    @property
    def collapsed(self) -> bool:
        """The ways out shrink to their count, so that the stages in play fit a laptop."""
        return self.stage.kind in COLLAPSED_KINDS


def board_applications(posting):
    """Every application a board of this posting can show: the ones every count counts."""
    return Application.objects.filter(posting=posting).counted()


def badge_questions(questions) -> dict[int, str]:
    """{question id: badge text} among a posting's questions."""
    return {
        q.pk: q.card_badge for q in questions if q.kind == Question.Kind.YES_NO and q.card_badge
    }


def attach_badges(cards: list[Application], badges: dict[int, str]) -> None:
    """Set card.badges to the badge texts its answers earn: one query for the page of cards."""
    for card in cards:
        card.badges = []
    if not cards or not badges:
        return
    by_id = {card.pk: card for card in cards}
    earned = Answer.objects.filter(
        application_id__in=by_id, question_id__in=badges, value_bool=True
    ).values_list("application_id", "question_id")
    for application_id, question_id in earned.order_by("question_id"):
        by_id[application_id].badges.append(badges[question_id])


def attach_card_details(cards: list[Application], badges: dict[int, str]) -> None:
    """Everything a card shows beyond its row: badges (one query), interview state
    (interviews.progress, three queries), the offer in play (one query) and the person's tags
    (one query), for the whole page of cards at once."""
    attach_badges(cards, badges)
    attach_tags(cards)
    attach_interview_states(cards)
    attach_offers(cards)


def attach_offers(cards: list[Application]) -> None:
    """card.offer: the offer in play for each card (drafted, in approval, sent, accepted), or
    None; one query however many cards."""
    offers = Offer.objects.filter(
        application__in=[card.pk for card in cards], status__in=Offer.LIVE
    ).only("pk", "application_id", "status", "expires_on", "version")
    by_application = {offer.application_id: offer for offer in offers.order_by("version")}
    for card in cards:
        card.offer = by_application.get(card.pk)


def _know_their_stage(cards: list[Application], stage: Stage) -> None:
    """Each card of a column is in the column's stage: set it, so that the pipeline's rules
    (card.can_reject, card.can_move) read it without a query per card."""
    for card in cards:
        card.stage = stage


def columns(stages, applications, badges, per_column=PER_COLUMN, *, searched=False):
    """One column per stage: its count under the filters, and its first cards, newest first.

    Whatever the number of applications: one query for the counts, one per non-empty column
    for its first cards, one for badges, three for the cards' interviews, one for their
    offers. Each column's query walks the (posting, stage, submitted) index and stops after a
    screenful, where numbering every card of the posting with a window function read them
    all (46 ms of a 106 ms board at 11,000 applications).
    """
    by_stage = {stage.pk: Column(stage=stage) for stage in stages}
    if searched:
        return _columns_at_once(by_stage, applications, badges, per_column)
    for stage_id, n in applications.stage_counts().items():
        if stage_id in by_stage:
            by_stage[stage_id].count = n
    cards = []
    for column in by_stage.values():
        if column.count:
            column.cards = list(
                applications.filter(stage=column.stage)
                .select_related("candidate")
                .order_by(*CARD_ORDER)[:per_column]
            )
            _know_their_stage(column.cards, column.stage)
            cards.extend(column.cards)
    attach_card_details(cards, badges)
    return list(by_stage.values())


def _columns_at_once(by_stage, applications, badges, per_column) -> list[Column]:
    """Under a search: every column's count and first cards from one numbered query over the
    matches. The search is answered once, where a query per column would answer it again for
    each (seven times 50 ms for a word in a third of 100,000 resumes). The numbering reads
    only what application_cards_idx holds (stage, date, id: an index-only scan already in the
    cards' order, no sort), and only the cards it keeps are read whole, by primary key: with
    every column of every match and its candidate, it took 100 ms for 30,000 matches."""
    numbered = applications.annotate(
        place=Window(RowNumber(), partition_by=[F("stage_id")], order_by=CARD_ORDER),
        in_stage=Window(Count("pk"), partition_by=[F("stage_id")]),
    )
    kept = list(numbered.filter(place__lte=per_column).values_list("pk", "stage_id", "in_stage"))
    for _, stage_id, in_stage in kept:
        if stage_id in by_stage:
            by_stage[stage_id].count = in_stage
    rows = Application.objects.filter(pk__in=[pk for pk, _, _ in kept]).select_related("candidate")
    for card in rows.order_by(*CARD_ORDER):
        column = by_stage.get(card.stage_id)
        if column is not None:
            column.cards.append(card)
    cards = []
    for column in by_stage.values():
        _know_their_stage(column.cards, column.stage)
        cards.extend(column.cards)
    attach_card_details(cards, badges)
    return list(by_stage.values())


def open_count(columns: list[Column]) -> int:
    """How many applications the columns hold in stages still open (applied or active)."""
    return sum(column.count for column in columns if column.stage.kind in OPEN_KINDS)


def column_page(stage, applications, badges, *, page: int, per_column=PER_COLUMN):
    """Cards of one column beyond the first page: (cards, has_more). `page` is 1..MAX_PAGE."""
    if not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page must be between 1 and {MAX_PAGE}, not {page}")
    start = (page - 1) * per_column
    cards = list(
        applications.filter(stage=stage)
        .select_related("candidate")
        .order_by(*CARD_ORDER)[start : start + per_column + 1]
    )
    has_more = len(cards) > per_column
    cards = cards[:per_column]
    _know_their_stage(cards, stage)
    attach_card_details(cards, badges)
    return cards, has_more


def list_order(sort: str) -> tuple[str, list[str]]:
    """(the sort applied, its ORDER BY): a sort outside LIST_ORDERS is the default one."""
    descending = sort.startswith("-")
    fields = LIST_ORDERS.get(sort.removeprefix("-"))
    if fields is None:
        return list_order(LIST_DEFAULT_SORT)
    if descending:
        fields = tuple(f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in fields)
    return sort, list(fields)
