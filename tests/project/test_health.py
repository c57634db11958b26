import subprocess
import sys

import pytest

from tests.project.test_settings import ROOT, STRONG_KEY


def test_healthz_answers_without_touching_the_database(client):
    # No db fixture here: any query would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_private_directory(client, settings):
    settings.REDIS_URL = None
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


@pytest.mark.django_db
def test_readyz_reports_a_private_directory_it_cannot_make_as_not_ready(client, settings, tmp_path):
    settings.REDIS_URL = None
    (tmp_path / "a-file").write_text("in the way")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "a-file" / "private"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error: not writable"


@pytest.mark.django_db
def test_readyz_pings_redis_when_configured(client, settings, redis_available):
    settings.REDIS_URL = redis_available
    response = client.get("/readyz")
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_redis_as_not_ready(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


def test_check_deploy_passes_with_production_settings():
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="jobs.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
