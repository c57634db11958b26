"""Data the load benchmark needs beyond seed_demo, run in the benchmark's database.

    python -m benchmarks.fixtures top-up <posting-slug> <count>   # applications on one posting
    python -m benchmarks.fixtures session <username>              # prints a session key
    python -m benchmarks.fixtures posting-id <posting-slug>       # prints the posting's id
    python -m benchmarks.fixtures export-queries <posting-slug>   # queries of its CSV export

DATABASE_URL (and the rest of the environment) name the database, as for manage.py.
"""

import os
import sys


def top_up(slug: str, count: int) -> None:
    """Add synthetic applications to one posting until it has `count` of them."""
    from django.core.management import call_command

    from postings.models import Posting

    missing = count - Posting.objects.get(slug=slug).applications.count()
    if missing > 0:
        call_command("seed_demo", "--applications", str(missing), "--on", slug, "--no-progress")


def session(username: str) -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def export_queries(slug: str) -> int:
    """How many queries the posting's CSV export runs, read whole by a recruiter."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from postings.models import Posting

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="recruiter"))
    url = reverse("dashboard:export_csv", args=[Posting.objects.get(slug=slug).pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        for _ in response.streaming_content:
            pass
    return len(queries)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ats.settings")
    import django

    django.setup()
    command, *args = argv
    if command == "top-up":
        top_up(args[0], int(args[1]))
    elif command == "session":
        print(session(args[0]))
    elif command == "posting-id":
        from postings.models import Posting

        print(Posting.objects.get(slug=args[0]).pk)
    elif command == "export-queries":
        print(export_queries(args[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
