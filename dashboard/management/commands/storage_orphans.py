from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.pending_resumes import PENDING_DIR
from ats.storage import delete_files, private_file_fields, walk
from offers.services import ERASED

# Field values that name no file on purpose: an erased offer keeps "[erased]" where its
# letter was, to show there was one.
NOT_A_FILE = {"", ERASED}


class Command(BaseCommand):
    help = (
        "Compare private storage with the rows that name its files: list files no row names "
        "(orphans) and rows whose file is missing. A dry run unless --delete, which removes the "
        "orphans. Rows whose file is missing are only reported: the row is the record (an "
        "application, an offer), and the fix is to restore the file from a backup or rerun "
        "migrate_storage_to_bucket, not to lose the record."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Delete the orphan files (default: list only)."
        )
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help="Files younger than this are not judged: an upload is stored a moment before "
            "the row that names it commits (default 24).",
        )

    def handle(self, *args, delete, grace_hours, **options):
        named = self._named_files()
        cutoff = timezone.now() - timedelta(hours=grace_hours)
        stored, orphans, young = set(), [], 0
        for name, size, modified in walk(default_storage):
            stored.add(name)
            # Resumes kept while an applicant corrects the form have no row by design;
            # remove_pending_resumes expires them.
            if name in named or name.startswith(f"{PENDING_DIR}/"):
                continue
            if modified > cutoff:
                young += 1
                continue
            orphans.append(name)
            self.stdout.write(f"orphan file: {name} ({size} bytes)")
        missing = sorted(set(named) - stored)
        for name in missing:
            self.stdout.write(f"row without file: {named[name]}: {name}")
        failed = delete_files(orphans) if delete else []
        if delete:
            verb = f"deleted {len(orphans) - len(failed)}"
            verb += f", {len(failed)} failed (see the log)" if failed else ""
        else:
            verb = "dry run, nothing deleted (--delete removes them)"
        self.stdout.write(
            f"{len(stored)} files, {len(named)} named by rows. "
            f"Orphan files: {len(orphans)} ({verb}). "
            f"Rows without file: {len(missing)} (reported only). "
            f"Not judged, younger than {grace_hours:g} h: {young}."
        )

    def _named_files(self) -> dict[str, str]:
        """Each file name a row holds, and which row ("offers.Offer 12 pdf")."""
        named = {}
        for model, field in private_file_fields():
            rows = model._base_manager.exclude(**{f"{field.name}__in": NOT_A_FILE})
            for pk, name in rows.values_list("pk", field.name).iterator():
                named[name] = f"{model._meta.label} {pk} {field.name}"
        return named
