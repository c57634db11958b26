from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from ats.storage import sha256_of, walk


class Command(BaseCommand):
    help = (
        "Copy every file of the local private directory (ATS_PRIVATE_MEDIA_ROOT) into the "
        "bucket of ATS_STORAGE_URL under the same name, reading each back to check its SHA-256. "
        "One way and safe to rerun: a file already in the bucket with the same SHA-256 is "
        "skipped, and nothing local is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="The local directory to copy from (default: ATS_PRIVATE_MEDIA_ROOT).",
        )

    def handle(self, *args, source, verbosity, **options):
        from storages.backends.s3 import S3Storage

        if not isinstance(default_storage, S3Storage):
            raise CommandError(
                "Private storage is the local directory, not a bucket: set ATS_STORAGE_URL "
                "to the bucket to copy into, then run this again."
            )
        source = Path(source or settings.PRIVATE_MEDIA_ROOT)
        if not source.is_dir():
            raise CommandError(f"{source} is not a directory: nothing to copy.")
        local = FileSystemStorage(location=source)
        copied = skipped = replaced = failed = 0
        copied_bytes = 0
        for name, size, _ in walk(local):
            digest = sha256_of(local, name)
            there = default_storage.exists(name)
            if there and sha256_of(default_storage, name) == digest:
                skipped += 1
                if verbosity > 1:
                    self.stdout.write(f"skipped {name}: in the bucket with the same SHA-256")
                continue
            # Under its own name, never a renamed copy: rows name files by that name. A
            # different object there can only be an earlier copy that went wrong.
            with local.open(name, "rb") as content:
                default_storage._save(name, content)
            if sha256_of(default_storage, name) != digest:
                failed += 1
                self.stderr.write(f"FAILED {name}: the bucket's copy has another SHA-256")
                continue
            replaced += there
            copied += 1
            copied_bytes += size
            if verbosity > 1:
                self.stdout.write(f"copied {name} ({size} bytes, SHA-256 verified)")
        self.stdout.write(
            f"Copied {copied} files ({copied_bytes} bytes; {replaced} replaced a differing "
            f"copy), skipped {skipped} already there, failed {failed}."
        )
        if failed:
            raise CommandError(f"{failed} files did not verify; run the command again.")
