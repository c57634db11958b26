"""How long each report takes on the data loaded: p50 and p95 over a number of runs.

    .venv/bin/python -m benchmarks.reports                  # the database of DATABASE_URL
    .venv/bin/python -m benchmarks.reports --runs 50 --history
    .venv/bin/python -m benchmarks.reports --fresh 100000   # part of `make bench`

`--fresh N` makes its own PostgreSQL database (ats_bench_reports, dropped afterwards), loads
the demo and N synthetic applications with their whole histories, and times the reports there.

Each report is read for every posting (as a recruiter sees it, no filter) and for the
Backend Engineer posting alone. `seed_demo --applications N` gives each synthetic application
one history row, in the stage it sits in; `--history` first writes the rows of the stages
before it (three days apart), so that the funnel and the time in stage have whole histories
to read, as real data would. The goal (issue: reports at 100,000 applications) is at most
300 ms p50 on PostgreSQL; no test asserts a time.
"""

import argparse
import os
import statistics
import time


def add_history() -> int:
    """Write, for each synthetic application, a history row for every open stage before the
    one it sits in (and move its own row after them). Returns the rows written."""
    from django.db import connection, transaction

    from applications.models import Application, Candidate, Stage, StageChange
    from reports.sql import table

    def days_after(days: str) -> str:
        if connection.vendor == "postgresql":
            return f"a.submitted_at + ({days}) * INTERVAL '1 day'"
        return f"datetime(a.submitted_at, '+' || ({days}) || ' days')"

    app, stage, change, candidate = (
        table(Application),
        table(Stage),
        table(StageChange),
        table(Candidate),
    )
    synthetic = f"""
        FROM {app} a
        JOIN {candidate} c ON c.id = a.candidate_id AND c.email LIKE 'synthetic.%%'
        JOIN {stage} cur ON cur.id = a.stage_id
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {change} (application_id, to_stage_id, at, reason)
            SELECT a.id, s.id, {days_after("s.position * 3 + (a.id % 4) * s.position")}, ''
            {synthetic}
            JOIN {stage} s ON s.posting_id = a.posting_id AND s.kind IN ('applied', 'active')
                AND s.position < cur.position
            WHERE NOT EXISTS (
                SELECT 1 FROM {change} x WHERE x.application_id = a.id AND x.to_stage_id = s.id
            )
            """  # noqa: S608  # nosec B608 # table names from model meta
        )
        written = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {change} SET at = (
                SELECT {days_after("cur.position * 3 + (a.id % 4) * cur.position + 1")}
                {synthetic}
                WHERE a.id = {change}.application_id
            )
            WHERE to_stage_id = (SELECT stage_id FROM {app} WHERE id = {change}.application_id)
              AND application_id IN (
                SELECT a.id {synthetic} WHERE cur.position > 0
              )
            """  # noqa: S608  # nosec B608 # table names from model meta
        )
        cursor.execute("ANALYZE")
    return written


def time_reports(runs: int) -> list[tuple[str, str, float, float]]:
    """[(scope, report, p50 ms, p95 ms)] for every report, all postings and one."""
    from applications.models import Application
    from postings.models import Posting
    from reports import funnel, knockouts, sources, timing
    from reports.sql import Covered

    everything = Covered(applications=Application.objects.all(), postings=Posting.objects.all())
    backend = Posting.objects.filter(slug="backend-engineer")
    one = Covered(applications=Application.objects.filter(posting__in=backend), postings=backend)
    reads = {
        "funnel": funnel.funnel,
        "time in stage": timing.time_in_stage,
        "time to hire": timing.time_to_hire,
        "sources": sources.sources,
        "knock-outs": knockouts.knockouts,
    }
    results = []
    for scope, covered in (("all postings", everything), ("one posting", one)):
        for name, read in reads.items():
            read(covered)  # warm: connection, statement caches
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                read(covered)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            results.append((scope, name, statistics.median(times), p95))
    return results


FRESH_URL = "postgres://postgres@127.0.0.1:5432/ats_bench_reports"


def fresh(applications: int, runs: int) -> None:
    """Create the benchmark's database, seed it, time the reports in a child process on it,
    and drop it: nothing of the developer's own database is read or written."""
    import subprocess
    import sys

    from benchmarks.run import ROOT, manage, postgres_admin

    connection, name = postgres_admin(FRESH_URL)
    if connection is None:
        raise SystemExit(f"PostgreSQL is not reachable at {FRESH_URL}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(DATABASE_URL=FRESH_URL, DJANGO_DEBUG="true", DJANGO_LOG_LEVEL="WARNING")
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--applications", str(applications), "--no-progress")
        subprocess.run(
            [sys.executable, "-m", "benchmarks.reports", "--history", "--runs", str(runs)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    finally:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--history", action="store_true", help="Write the earlier stages' history rows first."
    )
    parser.add_argument(
        "--fresh",
        type=int,
        metavar="N",
        help="time the reports on a database of their own with N synthetic applications",
    )
    args = parser.parse_args()
    if args.fresh is not None:
        return fresh(args.fresh, args.runs)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ats.settings")
    import django

    django.setup()
    from django.db import connection

    from applications.models import Application, StageChange

    if args.history:
        print(f"history rows written: {add_history():,}")
    print(
        f"{connection.vendor}: {Application.objects.count():,} applications, "
        f"{StageChange.objects.count():,} history rows, {args.runs} runs each"
    )
    print("| scope | report | p50 ms | p95 ms |\n| --- | --- | ---: | ---: |")
    for scope, name, p50, p95 in time_reports(args.runs):
        print(f"| {scope} | {name} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
