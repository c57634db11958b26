"""Time in stage and time to hire, in days: medians and 90th percentiles.

A stay in a stage runs from the history row that entered it to the next row of the same
application (StageChange, ordered by time). Only finished stays are measured: someone still
in a stage has no length of stay yet, and counting them until today would let the day the
report is read change the figures. How many are still waiting is shown beside. Someone who
comes back to a stage has two stays there. The terminal stages (hired, rejected, withdrawn)
have no way out, so no time in them.

Time to hire runs from submission to the first entry into a hired stage, per posting.

Stages are grouped as the funnel groups them (reports.funnel). Percentiles are continuous (the
value between the two nearest ranks, as PostgreSQL's percentile_cont and spreadsheets'
PERCENTILE give): the median of 2, 4 and 9 days is 4, the 90th percentile 8. One query for
the stages and one for time to hire, whatever the number of applications.
"""

from dataclasses import dataclass

from postings.models import Posting
from reports.sql import (
    STAGE_CHANGES,
    WAITING_KINDS,
    Covered,
    days_between,
    fetch,
    in_list,
    percentiles,
    table,
)

PERCENTILES = {"p50": 0.5, "p90": 0.9}


@dataclass
class StageTime:
    name: str
    kind: str
    stays: int  # finished stays measured
    median_days: float | None
    p90_days: float | None
    waiting: int  # in this stage now


@dataclass
class TimeToHire:
    posting_id: int
    posting: str
    hires: int
    median_days: float
    p90_days: float


def time_in_stage(covered: Covered) -> list[StageTime]:
    ctes, params = covered.ctes()
    rows = fetch(
        f"""{ctes},
        stays(application_id, stage_id, at, left_at) AS (
            SELECT sc.application_id, sc.to_stage_id, sc.at,
                   LEAD(sc.at) OVER (PARTITION BY sc.application_id ORDER BY sc.at, sc.id)
            FROM {STAGE_CHANGES} sc JOIN apps ON apps.id = sc.application_id
        ),
        waiting_stages(grp, name, kind, kind_order, rank) AS (
            SELECT grp, MIN(name), MIN(kind),
                   MIN(CASE kind WHEN 'applied' THEN 0 ELSE 1 END), MIN(rank)
            FROM ranked WHERE kind IN {in_list(WAITING_KINDS)} GROUP BY grp
        ),
        durations(grp, d) AS (
            SELECT r.grp, {days_between("s.at", "s.left_at")}
            FROM stays s JOIN ranked r ON r.id = s.stage_id
            WHERE s.left_at IS NOT NULL AND r.kind IN {in_list(WAITING_KINDS)}
        )
        SELECT ws.name, ws.kind, COALESCE(stats.n, 0), stats.p50, stats.p90,
               COALESCE(now_in.n, 0)
        FROM waiting_stages ws
        LEFT JOIN ({percentiles("durations", "grp", "d", PERCENTILES)}) stats
            ON stats.grp = ws.grp
        LEFT JOIN (
            -- Those in a stage now are the stays not yet ended, read from the applications
            -- rather than a second pass over their history.
            SELECT r.grp, COUNT(*) AS n
            FROM apps a JOIN ranked r ON r.id = a.stage_id
            GROUP BY r.grp
        ) now_in ON now_in.grp = ws.grp
        ORDER BY ws.kind_order, ws.rank, ws.grp
        """,  # noqa: S608  # nosec B608 # table names from model meta, values as parameters
        params,
    )
    return [
        StageTime(
            name=name,
            kind=kind,
            stays=n,
            median_days=_days(p50),
            p90_days=_days(p90),
            waiting=waiting,
        )
        for name, kind, n, p50, p90, waiting in rows
    ]


def time_to_hire(covered: Covered) -> list[TimeToHire]:
    """Per posting with at least one hire among the covered applications, by title."""
    ctes, params = covered.ctes()
    rows = fetch(
        f"""{ctes},
        hires(application_id, hired_at) AS (
            SELECT sc.application_id, MIN(sc.at)
            -- From the few rows into a covered posting's hired stage, then their
            -- applications: not every application's history.
            FROM {STAGE_CHANGES} sc
            JOIN ranked r ON r.id = sc.to_stage_id AND r.kind = 'hired'
            JOIN apps ON apps.id = sc.application_id
            GROUP BY sc.application_id
        ),
        to_hire(posting_id, d) AS (
            SELECT a.posting_id, {days_between("a.submitted_at", "h.hired_at")}
            FROM apps a JOIN hires h ON h.application_id = a.id
        )
        SELECT p.id, p.title, stats.n, stats.p50, stats.p90
        FROM ({percentiles("to_hire", "posting_id", "d", PERCENTILES)}) stats
        JOIN {table(Posting)} p ON p.id = stats.grp
        ORDER BY p.title, p.id
        """,  # noqa: S608  # nosec B608 # table names from model meta, values as parameters
        params,
    )
    return [
        TimeToHire(
            posting_id=pk, posting=title, hires=n, median_days=_days(p50), p90_days=_days(p90)
        )
        for pk, title, n, p50, p90 in rows
    ]


def _days(value) -> float | None:
    # PostgreSQL answers with a float, or a Decimal from EXTRACT; rounded to the minute's
    # worth of a day so that the same stays give the same figures on both databases.
    return None if value is None else round(float(value), 4)
