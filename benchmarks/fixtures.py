"""Data the load benchmark needs beyond seed_demo, run in the benchmark's database.

    python -m benchmarks.fixtures top-up <posting-slug> <count>   # applications on one posting
    python -m benchmarks.fixtures session <username>              # prints a session key
    python -m benchmarks.fixtures posting-id <posting-slug>       # prints the posting's id

DATABASE_URL (and the rest of the environment) name the database, as for manage.py.
"""

import os
import random
import sys
from datetime import timedelta


def top_up(slug: str, count: int) -> None:
    """Bulk-add synthetic applications to one posting until it has `count` of them."""
    from django.db import transaction
    from django.utils import timezone

    from applications.models import Answer, Application, Candidate, StageChange
    from applications.services import ensure_pipeline
    from postings.models import Posting, Question

    posting = Posting.objects.get(slug=slug)
    stages = ensure_pipeline(posting)
    questions = [q for q in posting.questions.all() if q.kind == Question.Kind.YES_NO]
    existing = posting.applications.count()
    rng = random.Random(count)
    now = timezone.now()
    offset = Candidate.objects.filter(email__startswith=f"bench.{slug}.").count()
    for start in range(existing, count, 5000):
        size = min(5000, count - start)
        with transaction.atomic():
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    name=f"Bench Candidate {offset + start + i}",
                    email=f"bench.{slug}.{offset + start + i}@example.com",
                )
                for i in range(size)
            )
            if candidates[0].pk is None:
                candidates = list(Candidate.objects.filter(email__in=[c.email for c in candidates]))
            applications = []
            for candidate in candidates:
                stage = rng.choices(stages, weights=[50, 20, 10, 3, 1, 15, 1][: len(stages)])[0]
                submitted = now - timedelta(minutes=rng.randint(1, 60 * 24 * 200))
                applications.append(
                    Application(
                        candidate=candidate,
                        posting=posting,
                        stage=stage,
                        submitted_at=submitted,
                        stage_changed_at=submitted,
                    )
                )
            applications = Application.objects.bulk_create(applications)
            if applications[0].pk is None:
                by_candidate = dict(
                    Application.objects.filter(candidate__in=candidates).values_list(
                        "candidate_id", "pk"
                    )
                )
                for application in applications:
                    application.pk = by_candidate[application.candidate.pk]
            Answer.objects.bulk_create(
                (
                    Answer(application_id=a.pk, question=q, value_bool=rng.random() < 0.25)
                    for a in applications
                    for q in questions
                ),
                batch_size=2000,
            )
            StageChange.objects.bulk_create(
                (
                    StageChange(application_id=a.pk, to_stage=a.stage, at=a.submitted_at)
                    for a in applications
                ),
                batch_size=2000,
            )


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
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
