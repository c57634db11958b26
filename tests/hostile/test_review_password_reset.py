"""The trust review's attack on password reset, item 8.

Twenty reset requests sent twenty-one emails in 0.6 s, and a known address took twice as long
to answer as an unknown one, because the email was sent inside the request.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_views import ask_for_reset, run_worker

pytestmark = pytest.mark.django_db


def test_a_known_and_an_unknown_address_cost_the_request_the_same_work(
    client, recruiter, django_capture_on_commit_callbacks
):
    def work(email, ip):
        with CaptureQueriesContext(connection) as queries:
            response, after_commit = ask_for_reset(
                client, email, django_capture_on_commit_callbacks, ip=ip
            )
        return response.status_code, response["Location"], len(queries), len(after_commit)

    known = work("alice@example.com", "198.51.100.1")
    unknown = work("nobody@example.com", "198.51.100.2")
    assert known == unknown == (302, "/accounts/password_reset/done/", 0, 1)
    assert mail.outbox == []


def test_an_address_gets_three_reset_emails_an_hour_and_the_page_never_says_so(
    client, recruiter, outsider, django_capture_on_commit_callbacks
):
    answers, work = set(), []
    for attempt in range(6):
        response, after_commit = ask_for_reset(
            client,
            "Alice@Example.com" if attempt % 2 else "alice@example.com",
            django_capture_on_commit_callbacks,
            ip=f"198.51.100.{attempt}",
        )
        answers.add((response.status_code, response["Location"]))
        work.extend(after_commit)
    assert answers == {(302, "/accounts/password_reset/done/")}
    # Another address is not held back by Alice's.
    work.extend(ask_for_reset(client, "charlie@example.com", django_capture_on_commit_callbacks)[1])
    run_worker(work, django_capture_on_commit_callbacks)
    assert sorted(email.to[0] for email in mail.outbox) == ["alice@example.com"] * 3 + [
        "charlie@example.com"
    ]


def test_a_network_over_twenty_requests_an_hour_is_told_to_wait(
    client, recruiter, django_capture_on_commit_callbacks
):
    for n in range(20):
        response, _ = ask_for_reset(
            client, f"person{n}@example.com", django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    response, after_commit = ask_for_reset(
        client, "alice@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 429
    assert "many password reset requests from your network" in response.content.decode()
    assert after_commit == []
    # Another network is unaffected.
    other, _ = ask_for_reset(
        client, "alice@example.com", django_capture_on_commit_callbacks, ip="198.51.100.9"
    )
    assert other.status_code == 302
