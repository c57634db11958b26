"""Scale-out: 1, 2 and 3 web processes against one PostgreSQL database and one Redis.

    .venv/bin/python -m benchmarks.scaleout            # part of `make bench`
    .venv/bin/python -m benchmarks.scaleout --seconds 3 --no-write-readme

Each web process is a gunicorn server of its own (one worker, four threads, production
settings), as each web machine of the production topology runs one; they share the database,
Redis (page cache, rate limits, broker) and the file store. One wrk per server drives it with
4 connections, all at once, so the offered load grows with the servers as it would with
machines behind a load balancer. The figure is the sum of their requests per second.

On a machine with two cores, throughput should grow from one process to two and stop there:
the third shares the same two cores (with PostgreSQL and the load generators). Figures go to
benchmarks/README.md between the scale-out markers.
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.run import (
    BENCH_DIR,
    BIN,
    README,
    ROOT,
    Children,
    PythonLoad,
    Run,
    Target,
    Wrk,
    bench_fixture,
    fetch,
    free_port,
    log,
    manage,
    postgres_admin,
    wait_until_up,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ats_bench_scaleout"
BEGIN, END = "<!-- scaleout-benchmark:begin -->", "<!-- scaleout-benchmark:end -->"
PAGES = {
    # Rendered on every request from several queries: CPU in Python and in PostgreSQL.
    "board of a posting": "/dashboard/postings/{posting}/board/",
    # Requested with the recruiter's session too, so rendered every time (the page cache
    # serves only visitors without one): a light page against the heavy board.
    "posting page": "/jobs/backend-engineer/",
}
CONNECTIONS_PER_SERVER = 4


def server_env(database_url: str, redis_url: str, secret_key: str, port: int = 0) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_", "SITE_"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ATS_VAR_DIR=str(BENCH_DIR),
        SITE_URL=f"http://127.0.0.1:{port}",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
    )
    return env


def together(load, targets: list[Target], seconds: float) -> Run:
    """Every target loaded at once, one generator each; their sum, and the worst latencies."""
    runs: list[Run] = []
    lock = threading.Lock()

    def one(target):
        run = load.run(target, seconds)
        with lock:
            runs.append(run)

    threads = [threading.Thread(target=one, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(
        requests=sum(r.requests for r in runs),
        seconds=max(r.seconds for r in runs),
        p50_ms=max(r.p50_ms for r in runs),
        p95_ms=max(r.p95_ms for r in runs),
        errors=sum(r.errors for r in runs),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--processes", default="1,2,3")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--write-readme", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.processes.split(",")]
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    connection, name = postgres_admin(args.postgres_url)
    if connection is None:
        raise SystemExit(f"PostgreSQL is not reachable at {args.postgres_url}")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "logs").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="ats-scaleout-"))
    children = Children(BENCH_DIR / "logs")
    per_server = CONNECTIONS_PER_SERVER
    load = Wrk(per_server, workdir) if shutil.which("wrk") else PythonLoad(per_server, workdir)
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): the Python load generator takes CPU")
    started = time.monotonic()
    load_before = os.getloadavg()
    postgres_version = connection.execute("SHOW server_version").fetchone()[0]
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
    results: dict[str, dict[int, list[Run]]] = {page: {} for page in PAGES}
    try:
        redis_port = free_port()
        children.start(
            "scaleout-redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
            os.environ.copy(),
        )
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        secret_key = secrets.token_urlsafe(50)
        seed_env = server_env(args.postgres_url, redis_url, secret_key)
        seed_env["DJANGO_DEBUG"] = "true"  # seed_demo creates the demo recruiter in debug only
        log(f"migrating and seeding {args.applications:,} applications")
        manage(seed_env, "migrate", "--no-input", "-v0")
        manage(seed_env, "seed_demo", "--applications", str(args.applications), "--no-progress")
        # With the production settings: their manifest names the hashed files.
        manage(
            server_env(args.postgres_url, redis_url, secret_key),
            "collectstatic",
            "--no-input",
            "-v0",
        )
        posting = bench_fixture(seed_env, "posting-id", "backend-engineer")
        cookie = f"sessionid={bench_fixture(seed_env, 'session', 'recruiter')}"

        servers = []
        for count in range(1, max(counts) + 1):
            port = free_port()
            env = server_env(args.postgres_url, redis_url, secret_key, port)
            children.start(
                f"scaleout-web-{count}",
                [str(BIN / "gunicorn"), "-c", "ats/gunicorn.conf.py", "ats.wsgi"],
                env,
            )
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            servers.append(f"http://127.0.0.1:{port}")
        for page, path in PAGES.items():
            headers = (("Cookie", cookie),)
            for base in servers:
                url = base + path.format(posting=posting)
                status, _, _ = fetch(url, dict(headers))
                if status != 200:
                    raise SystemExit(f"{page} answered {status} at {url}")
                load.run(Target(url, 200, headers), 1)  # warm each server up
            for round_number in range(args.rounds):
                for count in counts:
                    targets = [
                        Target(base + path.format(posting=posting), 200, headers)
                        for base in servers[:count]
                    ]
                    run = together(load, targets, args.seconds)
                    if run.errors:
                        raise SystemExit(f"{page} with {count} servers: {run.errors} errors")
                    results[page].setdefault(count, []).append(run)
                log(
                    f"{page}, round {round_number + 1}: "
                    + ", ".join(f"{c}: {results[page][c][-1].rate:.0f}/s" for c in counts)
                )
    finally:
        children.stop_all()
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)

    lines = report(
        args, results, counts, load, postgres_version, time.monotonic() - started, load_before
    )
    print("\n".join(lines))
    if args.write_readme:
        write_readme(lines)
        print(f"\nWrote {README.relative_to(ROOT)}")
    return 0


def _median(runs: list[Run], attribute: str) -> float:
    values = sorted(getattr(run, attribute) for run in runs)
    return values[len(values) // 2]


def report(args, results, counts, load, postgres_version, elapsed, load_before) -> list[str]:
    rows = [
        "| page | web processes | req/s | × one process | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, by_count in results.items():
        one = _median(by_count[counts[0]], "rate")
        for count in counts:
            rate = _median(by_count[count], "rate")
            rows.append(
                f"| {page} | {count} | {rate:,.0f} | {rate / one:.2f} | "
                f"{_median(by_count[count], 'p50_ms'):.1f} | "
                f"{_median(by_count[count], 'p95_ms'):.1f} |"
            )
    prose = [
        "## Scale-out: web processes on one database",
        "",
        "`make bench` ends with `.venv/bin/python -m benchmarks.scaleout`: 1, 2 and 3 gunicorn "
        "servers (each one worker with four threads, production settings), as separate web "
        "machines would run them, on one PostgreSQL database and one Redis; "
        f"`seed_demo --applications {args.applications}`. Both pages are requested with a "
        "recruiter's session, so both are rendered every time (no page cache). "
        "One load generator per server, "
        f"{CONNECTIONS_PER_SERVER} connections each, all at once; the rate is their sum, the "
        f"latencies the worst server's; the median of {args.rounds} rounds of "
        f"{args.seconds:.0f} s.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, PostgreSQL "
        f"{postgres_version}, load generator {load.version}. Run: "
        f"{datetime.now(UTC):%Y-%m-%d}, {elapsed / 60:.1f} minutes, load average "
        f"{load_before[0]:.1f} before.",
        "",
    ]
    wrapped = [textwrap.fill(line, width=96) if line else line for line in prose]
    return [*wrapped, *rows, ""]


def write_readme(lines: list[str]) -> None:
    text = README.read_text()
    block = "\n".join([BEGIN, *lines, END])
    if BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
