import time

from django.core.management.base import BaseCommand

from notifications import delivery


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
            delivery.release_stale_claims()
            outcomes = delivery.deliver_batch(delivery.due_ids())
            self.stdout.write(
                f"Sent {outcomes['sent']}, failed {outcomes['failed']}, "
                f"will retry {outcomes['retrying']}."
            )
            if not loop:
                return
            time.sleep(interval)
