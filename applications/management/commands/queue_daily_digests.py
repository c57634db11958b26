from datetime import date

from django.core.management.base import BaseCommand, CommandError

from applications import emails


class Command(BaseCommand):
    help = (
        "Queue the daily digests of new applications (yesterday's, or --day's). Celery beat "
        "runs this every morning; without beat, run it from cron once a day. Running it again "
        "for the same day queues nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="The day to digest, YYYY-MM-DD (default: yesterday).")

    def handle(self, *args, day=None, **options):
        try:
            day = date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"--day={day!r} is not a date: use YYYY-MM-DD.") from None
        queued = emails.queue_daily_digests(day)
        self.stdout.write(f"Queued {queued} digest(s).")
