"""Replies reach the timeline: mailed by the candidate over SMTP into a real Dovecot mailbox,
fetched over IMAP, matched, stored once, marked, and the hiring team told."""

import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from applications.resumes import pdf_bytes_with_text
from conversations import receiving
from conversations.mailbox import Mailbox
from conversations.models import Message
from notifications.models import OutboxEmail
from tests import factories
from tests.conversations.conftest import MAILBOX_ADDRESS, reply, send, send_raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(application, recruiter, hiring_manager):
    """Alice wrote to Jane; Bob is on the posting's hiring team."""
    return factories.sent_to_candidate(application, author=recruiter)


def plus_address(application) -> str:
    return f"jobs+{application.conversation_thread.reply_token}@careers.example.com"


def unseen(dovecot) -> list[bytes]:
    connection = dovecot.client()
    try:
        connection.select("INBOX")
        return connection.uid("SEARCH", None, "UNSEEN")[1][0].split()
    finally:
        connection.logout()


def fetch(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return receiving.fetch_replies(**kwargs)


def test_a_reply_to_the_plus_address_lands_on_its_application_and_the_team_hears(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    send(mailbox, reply(to=plus_address(application)))
    assert len(unseen(mailbox)) == 1

    report = fetch(django_capture_on_commit_callbacks)

    assert (report.stored, report.to_inbox, report.duplicates) == (1, 0, 0)
    message = Message.objects.get(direction="in")
    assert message.application == application
    assert message.body_text == "Thanks, Tuesday works for me."
    assert message.from_address == "Jane Doe <jane@example.com>"
    assert not message.sender_mismatch
    assert unseen(mailbox) == []
    alerts = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CANDIDATE_REPLIED)
    assert sorted(alerts.values_list("to", flat=True)) == ["alice@example.com", "bob@example.com"]
    assert "Tuesday works" in alerts.first().body_text


def test_a_reply_without_the_plus_token_is_matched_by_in_reply_to(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    """The candidate's client replied to From, not Reply-To: the reference still finds it."""
    send(
        mailbox,
        reply(to=MAILBOX_ADDRESS, in_reply_to=sent.message_id),
        to=MAILBOX_ADDRESS,
    )
    fetch(django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").application == application


def test_a_reply_referencing_only_the_outbox_row_is_matched_too(
    mailbox, application, django_capture_on_commit_callbacks
):
    """An email the outbox sent the candidate (a stage update) with no conversation row."""
    outbox = OutboxEmail.objects.get(key=f"application:{application.pk}:received")
    send(mailbox, reply(to=MAILBOX_ADDRESS, in_reply_to=outbox.message_id))
    fetch(django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").application == application


def test_a_teammate_answering_a_notification_is_not_taken_for_the_candidate(
    mailbox, application, hiring_manager, django_capture_on_commit_callbacks
):
    from applications import emails

    (alert,) = emails.queue_new_application_alerts(application)
    send(mailbox, reply(to=MAILBOX_ADDRESS, sender="bob@example.com", in_reply_to=alert.message_id))
    fetch(django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").application is None


def test_fetching_twice_stores_once(mailbox, sent, application, django_capture_on_commit_callbacks):
    message = reply(to=plus_address(application))
    send(mailbox, message)
    fetch(django_capture_on_commit_callbacks)
    # The same message delivered again (a mail server's retry): it is unread once more.
    send(mailbox, message)
    report = fetch(django_capture_on_commit_callbacks)
    assert (report.stored, report.duplicates) == (0, 1)
    assert Message.objects.filter(direction="in").count() == 1
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CANDIDATE_REPLIED).count() == 2
    assert unseen(mailbox) == []


def test_a_fetch_that_dies_after_storing_and_before_marking_stores_once_on_the_next_run(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    send(mailbox, reply(to=plus_address(application)))

    def die(box, uid):
        raise SystemExit("killed between the commit and the mark")

    with pytest.raises(SystemExit):
        fetch(django_capture_on_commit_callbacks, mark=die)
    assert Message.objects.filter(direction="in").count() == 1
    assert len(unseen(mailbox)) == 1, "the server still has it unread"

    report = fetch(django_capture_on_commit_callbacks)
    assert (report.stored, report.duplicates) == (0, 1)
    assert Message.objects.filter(direction="in").count() == 1
    assert unseen(mailbox) == []


def test_processed_mail_is_moved_to_the_processed_folder_when_one_is_set(
    mailbox, settings, sent, application, django_capture_on_commit_callbacks
):
    settings.ATS_IMAP_PROCESSED_FOLDER = "ATS Processed"
    send(mailbox, reply(to=plus_address(application)))
    fetch(django_capture_on_commit_callbacks)
    connection = mailbox.client()
    try:
        assert connection.select("INBOX")[1] == [b"0"]
        assert connection.select('"ATS Processed"')[1] == [b"1"]
    finally:
        connection.logout()


def test_a_second_fetcher_waits_for_the_lock(mailbox, sent, application):
    from django.core.cache import cache

    send(mailbox, reply(to=plus_address(application)))
    cache.add(receiving.LOCK_KEY, "another fetcher", 60)
    assert receiving.fetch_replies().locked
    assert not Message.objects.filter(direction="in").exists()
    cache.delete(receiving.LOCK_KEY)


def test_unmatched_mail_goes_to_the_inbox_and_can_be_assigned(
    mailbox, application, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    send(mailbox, reply(to=MAILBOX_ADDRESS, subject="Question about the role"))
    report = fetch(django_capture_on_commit_callbacks)
    assert report.to_inbox == 1
    message = Message.objects.inbox().get()
    assert message.application is None
    assert not OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CANDIDATE_REPLIED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        receiving.assign(message=message, application=application, by=recruiter)
    message.refresh_from_db()
    assert message.application == application and message.handled_by == recruiter
    assert not Message.objects.inbox().exists()
    # The team hears, but not Alice, who assigned it.
    alerts = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CANDIDATE_REPLIED)
    assert list(alerts.values_list("to", flat=True)) == ["bob@example.com"]


def test_a_spoofed_sender_is_marked(mailbox, sent, application, django_capture_on_commit_callbacks):
    send(mailbox, reply(to=plus_address(application), sender="mallory@evil.example"))
    fetch(django_capture_on_commit_callbacks)
    message = Message.objects.get(direction="in")
    assert message.application == application and message.sender_mismatch
    alert = OutboxEmail.objects.filter(kind="candidate_replied").first()
    assert "not the candidate" in alert.body_text


def test_a_20_mb_message_is_refused_by_its_size_without_being_downloaded(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    message = reply(to=plus_address(application), subject="My portfolio")
    message.add_attachment(
        b"\x00" * (20 * 1024 * 1024), maintype="application", subtype="octet-stream",
        filename="portfolio.bin",
    )  # fmt: skip
    send(mailbox, message)
    boxes = []
    real_mark = Mailbox.mark_processed

    def watching(box, uid):
        boxes.append(box)
        real_mark(box, uid)

    report = fetch(django_capture_on_commit_callbacks, mark=watching)

    assert report.stored == 1 and report.to_inbox == 1
    stored = Message.objects.get(direction="in")
    assert stored.application is None and stored.body_text == ""
    assert stored.subject == "My portfolio"
    assert stored.problems[0].startswith("Too large: 27.")
    assert unseen(mailbox) == []
    # What crossed the wire: the headers, not the 20 MB. The server's count says the same.
    assert boxes[0].downloaded < 10_000
    assert max(_bytes_sent_per_session(mailbox)) < 100_000


def _bytes_sent_per_session(dovecot) -> list[int]:
    """Dovecot logs, as each IMAP session ends, the bytes it sent ("out=")."""
    for _ in range(50):
        log = dovecot.log_text()
        sent = [int(n) for n in re.findall(r"imap\(jobs\).*Disconnected.* out=(\d+)", log)]
        if sent:
            return sent[-2:]
        time.sleep(0.1)
    raise AssertionError("Dovecot logged no session")


def test_malformed_mime_goes_to_the_inbox_saying_what_was_wrong_and_the_batch_goes_on(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    broken = (
        b"From: Jane Doe <jane@example.com>\r\n"
        + f"To: {plus_address(application)}\r\n".encode()
        + b"Subject: Broken\r\nMessage-ID: <broken@example.com>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed\r\n\r\n"
        b"--nowhere\r\nContent-Type: text/plain\r\n\r\n<script>alert(1)</script>\r\n"
    )
    send_raw(mailbox, broken, sender="jane@example.com", to=plus_address(application))
    send(mailbox, reply(to=plus_address(application), text="And a good one."))

    report = fetch(django_capture_on_commit_callbacks)

    assert report.stored == 2
    bad = Message.objects.get(message_id="<broken@example.com>")
    assert bad.application is None and bad.body_text == "" and bad.subject == "Broken"
    assert bad.problems[0].startswith("Malformed: its MIME structure is broken (")
    assert Message.objects.get(body_text="And a good one.").application == application
    assert unseen(mailbox) == []


def test_an_html_only_body_is_sanitised_and_read_as_text(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    message = reply(to=plus_address(application), text=None)
    message.set_content(
        "<p>Hello <b>team</b>,</p><script>alert('x')</script>"
        '<img src=x onerror="alert(1)"><p>See <a href="javascript:alert(2)">this</a> &amp; '
        '<a href="https://example.com/work">that</a>.</p>',
        subtype="html",
    )
    send(mailbox, message)
    fetch(django_capture_on_commit_callbacks)
    stored = Message.objects.get(direction="in")
    assert stored.body_text == "Hello team,\nSee this & that."
    for dangerous in ("<script", "alert", "onerror", "javascript:", "<img"):
        assert dangerous not in stored.body_html
    link = '<a href="https://example.com/work" rel="noopener noreferrer nofollow">'
    assert link in stored.body_html


def test_quoted_history_is_trimmed_and_kept(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    text = (
        "Tuesday at 10 works.\n\nJane\n\n"
        "On Mon, 30 Nov 2026 at 09:00, Alice <jobs@careers.example.com> wrote:\n"
        "> Could you do a call on Tuesday?\n> Alice\n"
    )
    send(mailbox, reply(to=plus_address(application), text=text))
    fetch(django_capture_on_commit_callbacks)
    stored = Message.objects.get(direction="in")
    assert stored.body_text == "Tuesday at 10 works.\n\nJane"
    assert "> Could you do a call on Tuesday?" in stored.body_full


def test_attachments_a_pdf_is_kept_and_an_exe_refused(
    mailbox, sent, application, private_root, django_capture_on_commit_callbacks
):
    message = reply(to=plus_address(application), text="My references attached.")
    message.add_attachment(
        pdf_bytes_with_text("References"), maintype="application", subtype="pdf",
        filename="../../references.pdf",
    )  # fmt: skip
    message.add_attachment(
        b"MZ\x90\x00" + b"\x00" * 200, maintype="application", subtype="pdf",
        filename="invoice.pdf.exe",
    )  # fmt: skip
    send(mailbox, message)
    fetch(django_capture_on_commit_callbacks)

    stored = Message.objects.get(direction="in")
    kept = stored.attachments.get()
    assert kept.original_name == "references.pdf" and kept.content_type == "application/pdf"
    # A name the server made, in private storage; the sender's name is for display only.
    assert re.fullmatch(r"replies/[0-9a-f]{32}/attachment\.pdf", kept.file.name)
    assert (private_root / kept.file.name).read_bytes().startswith(b"%PDF-")
    assert stored.problems == ["Not kept: invoice.pdf.exe: not a PDF or Word file."]


def test_mail_without_a_message_id_is_stored_once_under_a_hash_of_its_bytes(
    mailbox, sent, application, django_capture_on_commit_callbacks
):
    raw = (
        b"From: jane@example.com\r\n"
        + f"To: {plus_address(application)}\r\n".encode()
        + b"Subject: no id\r\n\r\nHello\r\n"
    )
    for _ in range(2):
        send_raw(mailbox, raw, sender="jane@example.com", to=plus_address(application))
        fetch(django_capture_on_commit_callbacks)
    stored = Message.objects.get(direction="in")
    assert stored.message_id.startswith("<sha256-")


def test_the_command_fetches_once_and_says_when_it_is_off(
    mailbox, settings, sent, application, capsys
):
    send(mailbox, reply(to=plus_address(application)))
    call_command("fetch_replies")
    assert "Stored 1" in capsys.readouterr().out
    settings.ATS_IMAP_HOST = None
    with pytest.raises(CommandError, match="ATS_IMAP_HOST is not set"):
        call_command("fetch_replies")


def test_the_beat_task_fetches(mailbox, sent, application):
    from conversations.tasks import fetch_replies

    send(mailbox, reply(to=plus_address(application)))
    assert fetch_replies.delay().get().startswith("Stored 1")


def test_a_mailbox_that_refuses_the_login_is_reported_not_raised_by_the_task(mailbox, settings):
    from conversations.tasks import fetch_replies

    settings.ATS_IMAP_PASSWORD = "wrong"
    assert fetch_replies.delay().get() == "failed"
    with pytest.raises(CommandError, match="could not be read"):
        call_command("fetch_replies")


def test_the_loop_polls_and_stops_cleanly_on_sigterm(mailbox, tmp_path):
    """`fetch_replies --loop` as a service runs it: a run, a wait, and SIGTERM ends the wait."""
    import os
    import select
    import signal
    import subprocess
    import sys

    from tests.conversations.conftest import PASSWORD, USER
    from tests.project.test_settings import ROOT

    environment = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith(("ATS_", "DATABASE_", "REDIS_"))
        },
        # The empty mailbox needs no database; an own file keeps the checkout's untouched. No
        # Redis either: the fetch lock then lives in this process, and another test process
        # fetching from its own mailbox meanwhile cannot make this run stand aside.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ATS_IMAP_HOST": "127.0.0.1",
        "ATS_IMAP_PORT": str(mailbox.port),
        "ATS_IMAP_SECURITY": "none",
        "ATS_IMAP_USER": USER,
        "ATS_IMAP_PASSWORD": PASSWORD,
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_replies", "--loop", "--interval", "300"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "no run reported"
        assert process.stdout.readline().startswith("Stored 0")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, process.stderr.read()
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
