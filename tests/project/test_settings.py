"""Settings come from the environment, and a bad value stops start-up naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ats.env import env_bool, env_int, env_list, env_url

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-Zq8!xR2#vN5@wL9$tB3%yH6^jK1&mP4*"


PRINT_SETTINGS = (
    "import ats.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'],"
    " s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
)


def load_settings(code=PRINT_SETTINGS, **env):
    """Run `code` (which imports the settings) in a fresh interpreter with exactly these
    variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_"))
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code,
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_embedded_default_needs_no_variables():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    debug, engine, eager, email = result.stdout.split()
    assert (debug, engine, eager) == ("True", "django.db.backends.sqlite3", "True")
    assert email == "django.core.mail.backends.console.EmailBackend"


def test_production_reads_every_service_from_the_environment():
    result = load_settings(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="jobs.example.com",
        DATABASE_URL="postgres://u:p@db.example.com:5432/ats",
        REDIS_URL="redis://cache.example.com:6379/0",
    )
    assert result.returncode == 0, result.stderr
    debug, engine, eager, email = result.stdout.split()
    assert (debug, engine, eager) == ("False", "django.db.backends.postgresql", "False")
    assert email == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": STRONG_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://localhost:6379/x"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://localhost:6379/14"}, "REDIS_RATELIMIT_URL"),
        ({"REDIS_CACHE_URL": "localhost:6379"}, "REDIS_CACHE_URL"),
        ({"REDIS_RATELIMIT_URL": "http://localhost:6379"}, "REDIS_RATELIMIT_URL"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS"),
        ({"ATS_CALENDAR_KEY": "not-a-fernet-key"}, "ATS_CALENDAR_KEY"),
        ({"ATS_CALENDAR_KEY": "A" * 43 + "=,oops"}, "ATS_CALENDAR_KEY"),
        ({"ATS_CALDAV_ALLOW_PRIVATE": "sometimes"}, "ATS_CALDAV_ALLOW_PRIVATE"),
        ({"ATS_CALDAV_BUDGET_SECONDS": "0"}, "ATS_CALDAV_BUDGET_SECONDS"),
        ({"DJANGO_LOG_FORMAT": "xml"}, "DJANGO_LOG_FORMAT"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env, named):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    for value, expected in [("TRUE", True), ("on", True), ("1", True), ("No", False), ("0", False)]:
        monkeypatch.setenv("FLAG", value)
        assert env_bool("FLAG", default=not expected) is expected
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_helpers_reject_nonsense(monkeypatch):
    monkeypatch.setenv("N", "1.5")
    with pytest.raises(ImproperlyConfigured, match=r"N='1\.5' is not a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("HOSTS", "a.example.com, b.example.com")
    assert env_list("HOSTS", []) == ["a.example.com", "b.example.com"]
    monkeypatch.setenv("U", "ftp://x")
    with pytest.raises(ImproperlyConfigured, match="U="):
        env_url("U", None, schemes=("redis",))


PRINT_REDIS = (
    "import json, ats.settings as s; print(json.dumps([s.CELERY_BROKER_URL,"
    " s.CACHES['default'].get('LOCATION'), s.CACHES['ratelimit'].get('LOCATION')]))"
)


@pytest.mark.parametrize(
    ("redis_url", "databases"),
    [
        (
            "redis://cache.example.com:6379/0",
            [
                "redis://cache.example.com:6379/0",
                "redis://cache.example.com:6379/1",
                "redis://cache.example.com:6379/2",
            ],
        ),
        (
            "rediss://:secret@cache.example.com:6380",
            [
                "rediss://:secret@cache.example.com:6380",
                "rediss://:secret@cache.example.com:6380/1",
                "rediss://:secret@cache.example.com:6380/2",
            ],
        ),
        (
            "unix:///run/redis.sock?db=4",
            [
                "unix:///run/redis.sock?db=4",
                "unix:///run/redis.sock?db=5",
                "unix:///run/redis.sock?db=6",
            ],
        ),
    ],
)
def test_one_redis_url_gives_the_broker_cache_and_rate_limits_a_database_each(redis_url, databases):
    result = load_settings(PRINT_REDIS, REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == databases


def test_the_cache_and_rate_limits_can_be_placed_on_a_redis_of_their_own():
    result = load_settings(
        PRINT_REDIS,
        REDIS_URL="redis://broker.example.com:6379/15",
        REDIS_CACHE_URL="redis://cache.example.com:6379/0",
        REDIS_RATELIMIT_URL="redis://limits.example.com:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "redis://broker.example.com:6379/15",
        "redis://cache.example.com:6379/0",
        "redis://limits.example.com:6379/0",
    ]


def test_without_redis_rate_limits_have_a_memory_store_apart_from_the_pages():
    result = load_settings("import json, ats.settings as s; print(json.dumps(s.CACHES))")
    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert caches["default"]["BACKEND"].endswith("LocMemCache")
    assert caches["ratelimit"]["BACKEND"].endswith("LocMemCache")
    assert caches["ratelimit"]["LOCATION"] != caches["default"]["LOCATION"]
    assert caches["ratelimit"]["OPTIONS"]["MAX_ENTRIES"] >= 100_000


def test_a_well_formed_calendar_key_starts_and_rotates():
    keys = "A" * 43 + "=," + "B" * 43 + "="
    result = load_settings(
        "import ats.settings as s; print(s.ATS_CALENDAR_KEY)", ATS_CALENDAR_KEY=keys
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == keys
