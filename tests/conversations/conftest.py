"""A real mailbox for the reply tests: Debian's Dovecot with a throwaway configuration, one
per test process, and the way mail reaches it.

How mail arrives: the "candidate" speaks SMTP to a small mail server of the test's own
(aiosmtpd, like the suite's SMTP sink), which hands each message to Dovecot's LDA
(`dovecot-lda -d jobs -a jobs+<token>@...`), adding Delivered-To as Postfix does. That is
how Postfix with `mailbox_command = /usr/lib/dovecot/dovecot-lda -a "$RECIPIENT"` delivers
to a Dovecot mailbox in production, and it needs only dovecot-core: Dovecot's LMTP server
lives in another package (dovecot-lmtpd) that this machine and CI would have to install too.
The plus part of the address reaches Dovecot as it would from Postfix, and the message lands
in the one mailbox, `jobs`, that the fetcher reads over IMAP.
"""

import grp
import imaplib
import os
import pwd
import re
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import need
from tests.notifications.conftest import free_port, smtp_email, smtp_sink  # noqa: F401

DOVECOT = "/usr/sbin/dovecot"
LDA = "/usr/lib/dovecot/dovecot-lda"
USER = "jobs"
PASSWORD = "mailbox-secret"  # nosec B105 # a throwaway test mailbox
DOMAIN = "careers.example.com"
MAILBOX_ADDRESS = f"{USER}@{DOMAIN}"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _config(folder: str, port: int) -> str:
    if os.geteuid() == 0:
        # Dovecot refuses to deliver as root or a system uid: the mail belongs to nobody.
        uid, gid = 65534, 65534
        unprivileged = ""
    else:
        # Run as ourselves: every Dovecot process, and the mail, are this user's.
        uid, gid = os.getuid(), os.getgid()
        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        unprivileged = f"""
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = {uid}
service anvil {{
  chroot =
}}
"""
    chroot = "" if os.geteuid() == 0 else "  chroot =\n"
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# "jobs+token@domain" and "jobs" are the same mailbox, as with plus addressing anywhere.
auth_username_format = %Ln
recipient_delimiter = +
mail_location = maildir:~/Maildir
lda_mailbox_autocreate = yes
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/mail/%n allow_all_users=yes
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
{unprivileged}
"""


class Dovecot:
    def __init__(self, folder: str, port: int):
        self.folder = folder
        self.port = port
        self.config = f"{folder}/dovecot.conf"
        self.log = f"{folder}/dovecot.log"
        self.process = None

    def start(self):
        os.makedirs(f"{self.folder}/mail")
        with open(f"{self.folder}/passwd", "w") as passwd:
            passwd.write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        with open(self.config, "w") as config:
            config.write(_config(self.folder, self.port))
        if os.geteuid() == 0:
            # The mail processes run as nobody: they must reach and own the mail folder.
            os.chmod(self.folder, 0o755)  # noqa: S103 # nobody must reach the mail
            os.chown(f"{self.folder}/mail", 65534, 65534)
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", self.config])
        deadline = time.monotonic() + 15
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Dovecot did not start: {self.log_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def log_text(self) -> str:
        try:
            with open(self.log) as log:
                return log.read()
        except FileNotFoundError:
            return ""

    def deliver(self, raw: bytes, recipient: str, sender: str) -> None:
        """What the mail server does with a message for the mailbox: hand it to the LDA."""
        subprocess.run(
            [LDA, "-c", self.config, "-d", USER, "-a", recipient, "-f", sender],
            input=f"Delivered-To: {recipient}\r\n".encode() + raw,
            check=True,
            timeout=30,
            capture_output=True,
        )

    def client(self) -> imaplib.IMAP4:
        """A connection of the test's own, to look at the mailbox from outside the ATS."""
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(USER, PASSWORD)
        return connection

    def empty(self):
        """Every folder emptied, so each test starts from a clean mailbox."""
        connection = self.client()
        try:
            _, folders = connection.list()
            for line in folders or []:
                # (\HasNoChildren) "." "Name": flags, delimiter, name.
                name = re.match(r'\(.*?\) (?:NIL|".*?") (.+)$', line.decode()).group(1)
                name = name.strip('"')
                status, count = connection.select(f'"{name}"')
                if status == "OK" and count != [b"0"]:
                    connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                    connection.expunge()
                if name != "INBOX":
                    connection.select("INBOX")
                    connection.delete(f'"{name}"')
        finally:
            connection.logout()


class DeliveringHandler:
    """An SMTP server for one domain: each message for a recipient there goes to the LDA."""

    def __init__(self, dovecot: Dovecot):
        self.dovecot = dovecot
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not address.lower().endswith("@" + DOMAIN):
            return "550 5.1.1 Not a mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.dovecot.deliver(envelope.original_content, recipient, envelope.mail_from)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def dovecot():
    """A Dovecot IMAP server of this test process, and its mail server in front."""
    need(os.path.exists(DOVECOT), f"{DOVECOT} is missing (apt-get install dovecot-imapd)")
    # A short folder: Dovecot's unix sockets must fit in 108 characters.
    folder = tempfile.mkdtemp(prefix="dv-", dir="/tmp")
    server = Dovecot(folder, free_port())
    server.start()
    smtp = Controller(
        DeliveringHandler(server),
        hostname="127.0.0.1",
        port=free_port(),
        data_size_limit=40 * 1024 * 1024,
    )
    smtp.start()
    server.smtp_port = smtp.port
    yield server
    smtp.stop()
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def mailbox(dovecot, settings):
    """The ATS pointed at the empty test mailbox."""
    dovecot.empty()
    settings.ATS_IMAP_HOST = "127.0.0.1"
    settings.ATS_IMAP_PORT = dovecot.port
    settings.ATS_IMAP_SECURITY = "none"
    settings.ATS_IMAP_USER = USER
    settings.ATS_IMAP_PASSWORD = PASSWORD
    settings.ATS_IMAP_FOLDER = "INBOX"
    settings.ATS_IMAP_PROCESSED_FOLDER = None
    settings.ATS_IMAP_TIMEOUT_SECONDS = 10
    settings.SITE_URL = f"https://{DOMAIN}"
    return dovecot


def send(dovecot: Dovecot, message: EmailMessage, *, to: str | None = None) -> EmailMessage:
    """The candidate sends `message` over SMTP to the company's mail server."""
    with smtplib.SMTP("127.0.0.1", dovecot.smtp_port, timeout=30) as smtp:
        smtp.send_message(message, to_addrs=[to or message["To"]])
    return message


def send_raw(dovecot: Dovecot, raw: bytes, *, sender: str, to: str) -> None:
    with smtplib.SMTP("127.0.0.1", dovecot.smtp_port, timeout=30) as smtp:
        smtp.sendmail(sender, [to], raw)


def reply(
    *,
    to: str,
    sender: str = "jane@example.com",
    subject: str = "Re: Your application",
    text: str | None = "Thanks, Tuesday works for me.",
    in_reply_to: str = "",
    message_id: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Jane Doe <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    if text is not None:
        message.set_content(text)
    return message


@pytest.fixture
def reply_address(settings):
    settings.ATS_REPLY_ADDRESS = "jobs@hiring.example"
    return settings.ATS_REPLY_ADDRESS
