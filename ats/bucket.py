"""Private files in an S3-compatible bucket (ATS_STORAGE_URL), through django-storages.

Imported only when settings name this backend, and then only when a file is first touched:
Django builds the default storage lazily, so a web process on the local directory never
loads boto3.

Nothing here makes a file public. No ACL is sent, so every object stays private to the
bucket's owner (and buckets with ACLs disabled, AWS's default, refuse most ACL headers).
Downloads stream through the views that check who may see the file; url() is never used by
the site, and if something calls it, it gets a signed link that expires within a minute.
"""

from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

# A store that hangs must not hold a web thread for botocore's default of a minute per try,
# five tries. A 10 MB file still has room to arrive.
CONNECT_SECONDS = 5
READ_SECONDS = 30
ATTEMPTS = 3
# Readiness is asked every few seconds and must answer before the balancer gives up.
PING_SECONDS = 2


class BucketStorage(S3Storage):
    # Class attributes win over django-storages' AWS_* Django settings, so nothing but
    # ATS_STORAGE_URL shapes this storage.
    default_acl = None
    querystring_auth = True
    querystring_expire = 60
    # Names are random, but never overwrite: a clash gets a new name, as on the local disk.
    file_overwrite = False

    def __init__(self, **options):
        # A file read from the bucket spills to disk past the size an upload does, instead
        # of a 10 MB resume staying in a web worker's memory while it is sent.
        options.setdefault("max_memory_size", settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        super().__init__(**options)
        self.client_config = self.client_config.merge(
            Config(
                connect_timeout=CONNECT_SECONDS,
                read_timeout=READ_SECONDS,
                retries={"mode": "standard", "max_attempts": ATTEMPTS},
            )
        )
        self._ping_client = None

    def ping(self) -> None:
        """Raise unless the bucket answers a HEAD within PING_SECONDS, without retrying."""
        if self._ping_client is None:
            self._ping_client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                use_ssl=self.use_ssl,
                endpoint_url=self.endpoint_url,
                verify=self.verify,
                config=self.client_config.merge(
                    Config(
                        connect_timeout=PING_SECONDS,
                        read_timeout=PING_SECONDS,
                        retries={"mode": "standard", "max_attempts": 1},
                    )
                ),
            )
        self._ping_client.head_bucket(Bucket=self.bucket_name)

    def walk(self, *, under: str = ""):
        """(name, size, last modified) of every object under this storage's prefix, or under
        a folder of it."""
        prefix = f"{self.location}/" if self.location else ""
        folder = f"{under.strip('/')}/" if under.strip("/") else ""
        pages = self.connection.meta.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket_name, Prefix=prefix + folder
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield entry["Key"][len(prefix) :], entry["Size"], entry["LastModified"]
