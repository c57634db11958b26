import time

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = (
        "Send every pending email that is due, in this process. For deployments without "
        "Celery beat: run it from cron, or with --loop as a small service."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, once a minute.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")

    def handle(self, *args, loop=False, interval=60, **options):
        while True:
            sent = failed = retrying = 0
            services.release_stale_claims()
            for outbox_id in services.due_ids():
                try:
                    email = services.deliver(outbox_id)
                except services.TransientEmailError:
                    retrying += 1
                    continue
                if email is None:
                    continue
                if email.status == email.Status.SENT:
                    sent += 1
                else:
                    failed += 1
            self.stdout.write(f"Sent {sent}, failed {failed}, will retry {retrying}.")
            if not loop:
                return
            time.sleep(interval)
