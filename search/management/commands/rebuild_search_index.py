from django.core.management.base import BaseCommand
from tqdm import tqdm

from applications.models import Application
from search import services


class Command(BaseCommand):
    help = (
        "Rewrite the search document of every application, in batches: after changing what "
        "the index holds, or for rows written without signals. --missing writes only the "
        "documents that do not exist yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Only applications without a document."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, missing=False, no_progress=False, **options):
        applications = Application.objects.active()
        if missing:
            applications = applications.filter(search_document__isnull=True)
        with tqdm(total=applications.count(), desc="applications", disable=no_progress) as bar:
            written = services.rebuild(only_missing=missing, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} application(s)."))
