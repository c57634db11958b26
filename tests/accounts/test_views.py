"""Signing in and out, the login lockout, and setting a password by email."""

import base64
import json
import re
import uuid
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import redis
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username, password, ip="203.0.113.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_a_styled_form_with_a_reset_link(client):
    response = client.get("/accounts/login/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in page and 'class="textinput form-control' in page
    assert "/accounts/password_reset/" in page


def test_recruiter_signs_in_to_the_dashboard_and_signs_out_with_a_post(client, recruiter):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


def test_a_wrong_password_says_so_on_the_page(client, recruiter, axes_on):
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_that_username_from_that_address_for_fifteen_minutes(
    client, recruiter, axes_on
):
    for _ in range(4):
        assert sign_in(client, "alice", "wrong").status_code == 200
    locked = sign_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused now, from that address...
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same user from another address, and another user from this one, get in.
    assert sign_in(client, "alice", PASSWORD, ip="198.51.100.2").status_code == 302
    client.post("/accounts/logout/")


def test_the_lockout_ends_after_the_cool_off(client, recruiter, axes_on):
    for _ in range(5):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_another_user_on_the_same_address_is_not_locked_out(client, recruiter, outsider, axes_on):
    for _ in range(5):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "charlie", PASSWORD).status_code == 302


RESET = "/accounts/password_reset/"


def ask_for_reset(client, email, capture, ip="203.0.113.7"):
    """POST the reset form; returns the response and the work left for after the commit."""
    with capture() as after_commit:
        response = client.post(RESET, {"email": email}, REMOTE_ADDR=ip)
    return response, after_commit


def run_worker(after_commit, capture):
    """What the worker does once the request's transaction commits: the reset task writes
    the outbox rows, and each row's send task delivers it."""
    while after_commit:
        with capture() as more:
            for callback in after_commit:
                callback()
        after_commit = more


def test_password_reset_emails_a_link_that_sets_a_new_password_and_lifts_the_lockout(
    client, recruiter, axes_on, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://jobs.example.com"
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    response, after_commit = ask_for_reset(
        client, "ALICE@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    run_worker(after_commit, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    assert email.subject == "Set a new password for the Pinterest hiring dashboard"
    link = re.search(r"https://jobs\.example\.com(/accounts/reset/\S+/)", email.body).group(1)
    assert "Your username is alice" in email.body
    html = email.alternatives[0][0]
    assert f'href="https://jobs.example.com{link}"' in html

    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert sign_in(client, "alice", "a brand new passphrase").status_code == 302
    # The link worked once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_the_reset_request_sends_no_email_the_outbox_does(
    client, recruiter, django_capture_on_commit_callbacks
):
    response, after_commit = ask_for_reset(
        client, "alice@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()

    # After the commit the reset task writes the email into the outbox, still sending nothing...
    with django_capture_on_commit_callbacks() as sends:
        for callback in after_commit:
            callback()
    row = OutboxEmail.objects.get()
    assert (row.kind, row.to, row.status) == ("password_reset", "alice@example.com", "pending")
    assert mail.outbox == []
    # ...and the outbox delivers it.
    run_worker(sends, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == "sent"
    assert [email.to for email in mail.outbox] == [["alice@example.com"]]


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, db, django_capture_on_commit_callbacks
):
    response, after_commit = ask_for_reset(
        client, "nobody@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    run_worker(after_commit, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_the_admin_never_shows_a_reset_link(
    admin_client, recruiter, django_capture_on_commit_callbacks
):
    from django.test import Client

    response, after_commit = ask_for_reset(
        Client(), "alice@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks():
        for callback in after_commit:
            callback()
    row = OutboxEmail.objects.get()
    token_path = re.search(r"/accounts/reset/\S+/", row.body_text).group(0)
    pages = [
        admin_client.get("/admin/notifications/outboxemail/"),
        admin_client.get("/admin/notifications/outboxemail/", {"q": "reset"}),
        admin_client.get(f"/admin/notifications/outboxemail/{row.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert token_path not in page.content.decode()
    assert "Not shown: it holds a link" in pages[-1].content.decode()


def test_a_used_reset_link_explains_itself(client):
    response = client.get("/accounts/reset/MQ/set-password/")
    assert "This link no longer works" in response.content.decode()


@pytest.fixture
def broker_down(settings):
    """Tasks published (ats.queue) to a Redis that is not there."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"


def test_with_the_broker_down_the_reset_email_still_reaches_the_outbox(
    client, recruiter, broker_down, django_capture_on_commit_callbacks
):
    response, after_commit = ask_for_reset(
        client, "alice@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks():
        for callback in after_commit:
            callback()
    row = OutboxEmail.objects.get()
    assert (row.kind, row.to, row.status) == ("password_reset", "alice@example.com", "pending")
    assert mail.outbox == []


@pytest.mark.redis
def test_with_a_broker_the_reset_is_queued_for_the_worker_and_nothing_written_here(
    client, recruiter, settings, redis_available, django_capture_on_commit_callbacks
):
    queue_name = f"ats-test-{uuid.uuid4().hex[:12]}"
    broker = urlparse(redis_available)._replace(path="/9").geturl()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker
    settings.CELERY_TASK_DEFAULT_QUEUE = queue_name
    response, after_commit = ask_for_reset(
        client, "alice@example.com", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    for callback in after_commit:
        callback()
    client_ = redis.Redis.from_url(broker)
    try:
        messages = client_.lrange(queue_name, 0, -1)
        client_.delete(queue_name)
    finally:
        client_.close()
    [message] = [json.loads(raw) for raw in messages]
    assert message["headers"]["task"] == "accounts.tasks.send_password_reset"
    args, _, _ = json.loads(base64.b64decode(message["body"]))
    assert args[0] == "alice@example.com" and len(args[1]) == 32
    # The worker writes the email; the request only queued it.
    assert not OutboxEmail.objects.exists()
