"""Signing in and out, the login lockout, and setting a password by email."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

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


def test_password_reset_emails_a_link_that_sets_a_new_password_and_lifts_the_lockout(
    client, recruiter, axes_on, settings
):
    settings.SITE_URL = "https://jobs.example.com"
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    assert email.subject == "Set a new password for the Pinterest hiring dashboard"
    link = re.search(r"https://jobs\.example\.com(/accounts/reset/\S+/)", email.body).group(1)
    assert "Your username is alice" in email.body

    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert sign_in(client, "alice", "a brand new passphrase").status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_reset_link_explains_itself(client):
    response = client.get("/accounts/reset/MQ/set-password/")
    assert "This link no longer works" in response.content.decode()
