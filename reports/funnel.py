"""The funnel: how many applications reached each stage, and the conversion between steps.

An application reached a stage when its history (StageChange) shows it entering that stage
or any stage after it in its posting's pipeline, or it sits there now. So a candidate moved
from Screen straight to Offer counts at Interview too, and one rejected after the interview
counts at Applied, Screen and Interview: rejection and withdrawal end the climb, they are not
steps of it. Moving someone back does not undo how far they got.

Pipelines differ per posting. For one posting the rows are its stages in order. For several,
the entry stages form one row, the hired stages another (always last), and the steps between
are matched by name, ignoring case ("Screen" is one row whichever postings have it), ordered
by their earliest place in any pipeline; a posting without a step adds nothing to its row,
so the conversion into that row compares different sets of postings.

One query, whatever the number of applications.
"""

from dataclasses import dataclass
from itertools import pairwise

from reports.sql import STAGE_CHANGES, Covered, fetch


@dataclass
class Step:
    name: str
    kind: str
    reached: int
    # Of those who reached the step before, the share who reached this one; None for the
    # first step, or when nobody reached the one before.
    conversion: float | None = None


def funnel(covered: Covered) -> list[Step]:
    ctes, params = covered.ctes()
    rows = fetch(
        f"""{ctes},
        reach(application_id, posting_id, rank) AS (
            -- The stage says the posting: no join back to the applications.
            SELECT entered.application_id, r.posting_id, MAX(r.rank)
            FROM (
                SELECT sc.application_id, sc.to_stage_id AS stage_id
                FROM {STAGE_CHANGES} sc JOIN apps ON apps.id = sc.application_id
                UNION ALL
                SELECT id, stage_id FROM apps
            ) entered
            JOIN ranked r ON r.id = entered.stage_id
            GROUP BY entered.application_id, r.posting_id
        ),
        -- How many got exactly this far, per posting: a few rows per stage, so that the
        -- count at each stage adds up those rows rather than joining every application.
        furthest(posting_id, rank, n) AS (
            SELECT posting_id, rank, COUNT(*) FROM reach GROUP BY posting_id, rank
        )
        SELECT MIN(r.name), MIN(r.kind), COALESCE(SUM(f.n), 0)
        FROM ranked r
        LEFT JOIN furthest f ON f.posting_id = r.posting_id AND f.rank >= r.rank
        GROUP BY r.grp
        ORDER BY MIN(CASE r.kind WHEN 'applied' THEN 0 WHEN 'hired' THEN 2 ELSE 1 END),
                 MIN(r.rank), r.grp
        """,  # noqa: S608  # nosec B608 # table names from model meta, values as parameters
        params,
    )
    # int(): PostgreSQL sums counts as numeric.
    steps = [Step(name=name, kind=kind, reached=int(n)) for name, kind, n in rows]
    for before, step in pairwise(steps):
        step.conversion = step.reached / before.reached if before.reached else None
    return steps
