"""ATS_STORAGE_URL: read loudly, never repeating its secret, and boto3 loaded only for a bucket."""

import json
import textwrap

import pytest
from django.core.exceptions import ImproperlyConfigured

from ats.env import env_bucket
from tests.project.test_settings import load_settings


def bucket_options(monkeypatch, url):
    monkeypatch.setenv("ATS_STORAGE_URL", url)
    return env_bucket("ATS_STORAGE_URL")


def test_no_url_means_the_local_directory(monkeypatch):
    monkeypatch.delenv("ATS_STORAGE_URL", raising=False)
    assert env_bucket("ATS_STORAGE_URL") is None


def test_a_full_url_gives_every_option(monkeypatch):
    options = bucket_options(
        monkeypatch,
        "s3://AKIA123:se%2Fcret%40x@minio.internal:9000/ats-files/prod?region=eu-central-1"
        "&secure=false&addressing=virtual",
    )
    assert options == {
        "access_key": "AKIA123",
        "secret_key": "se/cret@x",
        "bucket_name": "ats-files",
        "location": "prod",
        "endpoint_url": "http://minio.internal:9000",
        "use_ssl": False,
        "region_name": "eu-central-1",
        "addressing_style": "virtual",
        "object_parameters": {"ServerSideEncryption": "AES256"},
    }


def test_the_defaults_are_https_path_style_and_encrypted_with_credentials_from_boto3(
    monkeypatch,
):
    options = bucket_options(monkeypatch, "s3://s3.eu-west-1.amazonaws.com/ats-files")
    assert (options["access_key"], options["secret_key"]) == (None, None)
    assert options["endpoint_url"] == "https://s3.eu-west-1.amazonaws.com"
    assert (options["region_name"], options["addressing_style"]) == ("us-east-1", "path")
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["location"] == ""


@pytest.mark.parametrize(
    ("sse", "parameters"),
    [("none", {}), ("aws:kms", {"ServerSideEncryption": "aws:kms"})],
)
def test_encryption_can_be_kms_or_off_for_a_store_that_refuses_it(monkeypatch, sse, parameters):
    options = bucket_options(monkeypatch, f"s3://k:s@store.example/files?sse={sse}")
    assert options["object_parameters"] == parameters


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://k:hush@store.example/files", "is not an s3:// URL"),
        ("s3://k:hush@store.example", "names no valid bucket"),
        ("s3://k:hush@store.example/Bad_Bucket", "names no valid bucket"),
        ("s3://k:hush@:9000/files", "names no host"),
        ("s3://k:hush@store.example:port/files", "port that is not a number"),
        ("s3://justakey@store.example/files", "a key without its secret"),
        ("s3://k:hush@store.example/files?sse=des", "sse='des'"),
        ("s3://k:hush@store.example/files?secure=maybe", "secure='maybe'"),
        ("s3://k:hush@store.example/files?addressing=dns", "addressing='dns'"),
        ("s3://k:hush@store.example/files?region=Mars%201", "not a region name"),
        ("s3://k:hush@store.example/files?regoin=eu-west-1", "unknown options regoin"),
        ("s3://k:hush@store.example/files?sse=none&sse=AES256", "repeats sse"),
        ("s3://k:hu/sh@store.example/files", "port that is not a number"),
    ],
)
def test_a_bad_url_stops_start_up_naming_the_problem_and_never_the_secret(
    monkeypatch, url, problem
):
    with pytest.raises(ImproperlyConfigured) as refusal:
        bucket_options(monkeypatch, url)
    message = str(refusal.value)
    assert message.startswith("ATS_STORAGE_URL=")
    assert problem in message
    assert "hush" not in message
    assert "hu/sh" not in message


def test_settings_use_the_bucket_without_loading_boto3_until_a_file_is_touched():
    result = load_settings(
        "import sys, ats.settings as s; print(s.STORAGES['default']['BACKEND'],"
        " 'boto3' in sys.modules)",
        ATS_STORAGE_URL="s3://key:secret@127.0.0.1:9000/ats-files?secure=false",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ats.bucket.BucketStorage", "False"]


def test_a_bad_storage_url_stops_start_up_without_printing_the_secret():
    result = load_settings(ATS_STORAGE_URL="s3://key:hunter2@store.example/?sse=des")
    assert result.returncode != 0
    assert "ATS_STORAGE_URL" in result.stderr
    assert "hunter2" not in result.stderr


# What a web worker imports is what it keeps in memory: on the local directory, boto3 and
# botocore (tens of megabytes) must never be among it, whatever page it serves.
SERVE_PAGES = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    from django.urls import get_resolver, reverse
    from tests import factories

    get_resolver().url_patterns  # every view module, as the first request loads them
    posting = factories.backend_engineer_posting()
    application = factories.apply(posting, name="Jane Doe", email="jane@example.com")
    manager = factories.UserFactory(username="bob", role="hiring_manager")
    posting.hiring_team.add(manager)
    client = Client()
    pages = ("/", f"/jobs/{posting.slug}/", f"/jobs/{posting.slug}/apply/", "/readyz")
    statuses = [client.get(url).status_code for url in pages]
    client.force_login(manager)
    for url in (
        application.get_dashboard_url(),
        reverse("dashboard:resume_download", args=[posting.pk, application.pk]),
    ):
        response = client.get(url)
        b"".join(response.streaming_content) if response.streaming else response.content
        statuses.append(response.status_code)
    loaded = sorted(
        name for name in sys.modules
        if name.split(".")[0] in ("boto3", "botocore", "s3transfer")
        or name.startswith("storages.backends.s3")
    )
    print(json.dumps({"statuses": statuses, "loaded": loaded}))
    """
)


def test_serving_pages_and_a_resume_from_the_local_directory_never_imports_boto3(tmp_path):
    result = load_settings(
        SERVE_PAGES, DJANGO_SETTINGS_MODULE="ats.settings", ATS_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["statuses"] == [200] * 6
    assert served["loaded"] == []


def test_the_debug_error_page_hides_the_buckets_key_and_secret(bucket_storage):
    from django.views.debug import SafeExceptionReporterFilter

    bucket_storage("s3://AKIAEXAMPLE:hush@store.example/files")
    shown = SafeExceptionReporterFilter().get_safe_settings()["STORAGES"]
    assert shown["default"]["OPTIONS"]["bucket_name"] == "files"
    assert "hush" not in str(shown)
    assert "AKIAEXAMPLE" not in str(shown)
