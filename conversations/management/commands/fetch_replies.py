import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from conversations import receiving
from conversations.mailbox import MailboxError


class Command(BaseCommand):
    help = (
        "Fetch candidates' replies from the IMAP mailbox (ATS_IMAP_*) once; with --loop, keep "
        "polling, for deployments without Celery beat. Stops cleanly on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between runs (default 60)."
        )

    def handle(self, *args, loop=False, interval=60, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        stop = threading.Event()
        if loop:
            # A signal ends the wait between runs at once; a run in progress finishes its
            # current batch, whose messages are each stored and marked, or neither.
            for number in (signal.SIGTERM, signal.SIGINT):
                signal.signal(number, lambda *_: stop.set())
        while True:
            try:
                report = receiving.fetch_replies()
            except receiving.NotConfigured as exc:
                raise CommandError(str(exc)) from None
            except MailboxError as exc:
                if not loop:
                    raise CommandError(f"The mailbox could not be read: {exc}") from None
                self.stderr.write(f"The mailbox could not be read: {exc}")
            else:
                self.stdout.write(str(report))
            if not loop or stop.wait(interval):
                return
