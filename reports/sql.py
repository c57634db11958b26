"""The SQL the reports share: the applications and postings a report covers as common table
expressions, each posting's pipeline in order, days between two times, and percentiles.

Every figure of a report is an aggregate computed by the database: Python only ever walks the
few rows that come back (one per stage, source, posting or question), never the applications.
The statements are written once for PostgreSQL and SQLite; where the two differ (percentiles,
date arithmetic), the difference stays in this module.
"""

from dataclasses import dataclass

from django.db import connection

from applications.models import Stage, StageChange

# The stages a funnel climbs: the entry, the steps between, and a hire. The other exits
# (rejected, withdrawn) end an application's climb without being a step of it.
FUNNEL_KINDS = (Stage.Kind.APPLIED, Stage.Kind.ACTIVE, Stage.Kind.HIRED)
# The stages whose time is counted: people wait in these; the terminal ones have no way out.
WAITING_KINDS = (Stage.Kind.APPLIED, Stage.Kind.ACTIVE)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def in_list(values) -> str:
    """Literal SQL for a fixed tuple of our own string constants (never user input)."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Covered:
    """What a report covers: the applications (already narrowed to the user's scope and the
    filters) and the postings whose pipelines it shows, as querysets."""

    applications: object
    postings: object

    def ctes(self) -> tuple[str, list]:
        """WITH apps(id, posting_id, stage_id, submitted_at), ranked(...): the covered
        applications, and the funnel stages of the covered postings numbered in pipeline
        order (rank 1 = the entry stage; the hired stage is always last)."""
        apps_sql, apps_params = (
            self.applications.order_by()
            .values_list("id", "posting_id", "stage_id", "submitted_at")
            .query.sql_with_params()
        )
        postings_sql, postings_params = (
            self.postings.order_by().values_list("id").query.sql_with_params()
        )
        stage = table(Stage)
        # PostgreSQL would otherwise materialise a CTE used more than once, and plan the joins
        # on it blind (no statistics): estimates in the millions of rows, which also set off
        # JIT compilation costing more than the query itself (0.4 s at 100,000 applications).
        # Inlined, the planner sees the applications table. (SQLite plans CTEs its own way.)
        inline = "NOT MATERIALIZED " if connection.vendor == "postgresql" else ""
        # Grouped by kind for the entry and the hire, by name for the steps between: across
        # postings, "Screen" is the same step wherever it sits in each pipeline. The prefix
        # keeps a step called "Hired" apart from the hired stage itself.
        sql = f"""
            WITH apps(id, posting_id, stage_id, submitted_at) AS {inline}({apps_sql}),
            ranked(id, posting_id, kind, name, grp, rank) AS {inline}(
                SELECT id, posting_id, kind, name,
                       CASE WHEN kind = 'active' THEN 'active:' || LOWER(name) ELSE kind END,
                       ROW_NUMBER() OVER (
                           PARTITION BY posting_id
                           ORDER BY CASE WHEN kind = 'hired' THEN 1 ELSE 0 END, position, id
                       )
                FROM {stage}
                WHERE kind IN {in_list(FUNNEL_KINDS)} AND posting_id IN ({postings_sql})
            )
        """  # noqa: S608  # nosec B608 # table names from model meta, values as parameters
        return sql, [*apps_params, *postings_params]


def days_between(start: str, end: str) -> str:
    """SQL for the days (a fraction) from `start` to `end`, two datetime columns."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


def percentiles(source: str, group: str, value: str, fractions: dict[str, float]) -> str:
    """SELECT grp, n, <name>... FROM `source` GROUP BY `group`: how many values each group
    has and their continuous percentiles, one column for each {name: fraction}
    (PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks).

    SQLite has no percentile aggregate, so there each value is numbered within its group by a
    window function, and the same interpolation picks the two ranks around 1 + p * (n - 1).
    """
    if connection.vendor == "postgresql":
        picks = ", ".join(
            f"percentile_cont({p}) WITHIN GROUP (ORDER BY {value}) AS {name}"
            for name, p in fractions.items()
        )
        return f"SELECT {group} AS grp, COUNT(*) AS n, {picks} FROM {source} GROUP BY {group}"  # noqa: S608  # nosec B608 # our own SQL fragments

    def pick(p: float) -> str:
        position = f"(1 + {p} * (n - 1))"
        low = f"CAST({position} AS INTEGER)"  # floor: the position is never negative
        at_low = f"MAX(CASE WHEN rn = {low} THEN v END)"
        at_next = f"COALESCE(MAX(CASE WHEN rn = {low} + 1 THEN v END), {at_low})"
        return f"({at_low} + ({position} - {low}) * ({at_next} - {at_low}))"

    picks = ", ".join(f"{pick(p)} AS {name}" for name, p in fractions.items())
    return f"""
        SELECT grp, n, {picks} FROM (
            SELECT {group} AS grp, {value} AS v,
                   ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY {value}) AS rn,
                   COUNT(*) OVER (PARTITION BY {group}) AS n
            FROM {source}
        ) numbered
        GROUP BY grp, n
    """  # noqa: S608  # nosec B608 # our own SQL fragments


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


STAGE_CHANGES = table(StageChange)
