"""Settings for the ATS, read from environment variables (see README.md).

One module serves development, tests and production: the embedded default
(SQLite, eager Celery, console email) needs no variables at all, and production
sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DATABASE_URL and REDIS_URL.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from ats.env import (
    env_bool,
    env_bucket,
    env_choice,
    env_int,
    env_list,
    env_plus_address,
    env_str,
    env_subset,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ATS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105  # nosec B105 # debug only
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else None)
if SECRET_KEY is None:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))" makes one).'
    )
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters in production.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Absolute base of links in emails, which are built outside any request.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
COMPANY_NAME = env_str("ATS_COMPANY_NAME", "Pinterest")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "accounts",
    "postings",
    "applications",
    "notifications",
    "interviews",
    "offers",
    "conversations",
    "sourcing",
    "reports",
    "search",
    "dashboard",
]

MIDDLEWARE = [
    # First: its one line per request covers every answer, the page cache's included.
    "ats.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached careers pages are answered here, before sessions, CSRF and the rest.
    # Outside the page cache, so that a cached page still keeps where its visitor came from.
    "applications.sources.SourceCookieMiddleware",
    "postings.cache.CareersPageCacheMiddleware",
    # The security headers wrap every middleware that can answer by itself below them, so
    # that a refusal (the 413 of an oversized upload) is framed and scripted like any page.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ats.middleware.CSPMiddleware",  # django-csp's, building the site-wide header once
    "ats.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ats.middleware.StaffTimeZoneMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ats.urls"
WSGI_APPLICATION = "ats.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ats.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
_database_url = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=0)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the dev server and an eager Celery task share the file.
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, page cache and rate limits, or none of them -------------
# One variable, three databases: the broker keeps REDIS_URL's own, the page cache takes the
# next and the rate limits the one after. Page traffic then never crowds the broker's queue (nor
# does clearing the cache drop queued tasks), and the rate-limit counters live in a store that
# page traffic never fills. REDIS_CACHE_URL and REDIS_RATELIMIT_URL place them elsewhere.
_REDIS_SCHEMES = ("redis", "rediss", "unix")
_REDIS_DEFAULT_DATABASES = 16


def _redis_database(url: str, offset: int, *, instead: str) -> str:
    """The Redis server of `url`, `offset` databases further on."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_query = [value for name, value in query if name == "db"]
    # redis-py reads ?db= before the path, and a unix socket's database only from ?db=.
    if in_query or parts.scheme == "unix":
        number = in_query[-1] if in_query else "0"
    else:
        number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL={url!r} names database {number!r}, not a number.")
    database = int(number) + offset
    if database >= _REDIS_DEFAULT_DATABASES:
        raise ImproperlyConfigured(
            f"REDIS_URL uses database {number}, and {instead} would need database {database}, "
            f"past the {_REDIS_DEFAULT_DATABASES} a Redis server has by default: use a lower "
            f"database in REDIS_URL, or set {instead}."
        )
    path = parts.path
    if in_query or parts.scheme == "unix":
        query = [(name, value) for name, value in query if name != "db"] + [("db", database)]
    else:
        path = f"/{database}"
    rebuilt = f"{parts.scheme}://{parts.netloc}{path}"
    return f"{rebuilt}?{urlencode(query)}" if query else rebuilt


def _redis_cache(location: str) -> dict:
    return {
        "BACKEND": "ats.cache.RedisCache",  # Django's, reusing its Redis clients
        "LOCATION": location,
        "KEY_PREFIX": "ats",
        # Short timeouts: a Redis outage must slow nothing down by more than a moment.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


REDIS_URL = env_url("REDIS_URL", None, schemes=_REDIS_SCHEMES)
REDIS_CACHE_URL = env_url("REDIS_CACHE_URL", None, schemes=_REDIS_SCHEMES) or (
    REDIS_URL and _redis_database(REDIS_URL, 1, instead="REDIS_CACHE_URL")
)
REDIS_RATELIMIT_URL = env_url("REDIS_RATELIMIT_URL", None, schemes=_REDIS_SCHEMES) or (
    REDIS_URL and _redis_database(REDIS_URL, 2, instead="REDIS_RATELIMIT_URL")
)
CACHES = {
    "default": (
        _redis_cache(REDIS_CACHE_URL)
        if REDIS_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
    # Rate-limit counters (ats.ratelimit). In memory, a store of their own with room for every
    # counter: an evicted counter would start again from zero.
    "ratelimit": (
        _redis_cache(REDIS_RATELIMIT_URL)
        if REDIS_RATELIMIT_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING like the web processes (one format, request ids), rather than
# through the handler Celery would put on the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A submission must not hang when Redis is down: publishing never retries (task_publish_retry,
# the transport's max_retries) and a connect or a reply gives up within seconds (the socket
# timeouts), so the outbox row stays pending for the sweep. A Redis that is stopped but still
# accepts connections costs one request socket_timeout; then enqueue() backs off.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    # Above kombu's 1 s BRPOP poll, so an idle worker's wait never times out.
    "socket_timeout": 3,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
# Workers, unlike publishers, reconnect for ever: with broker_connection_retry off a worker
# shuts down at the first Redis restart.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A send in progress when Redis goes away finishes and records its outcome in the database;
# the redelivered message then finds the row sent. Cancelling it could repeat the email.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False

# --- Email ----------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ATS <jobs@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mailbox candidates' replies go to, by plus addressing: with `jobs@example.com`, every
# email to a candidate says Reply-To: jobs+<token>@example.com, the token naming the
# application's conversation. Unset: no Reply-To, and replies go to DEFAULT_FROM_EMAIL.
ATS_REPLY_ADDRESS = env_plus_address("ATS_REPLY_ADDRESS")
# How long a worker may hold an outbox row while sending before the sweep assumes it died and
# sends the row again. It must outlast the slowest send, which is a few EMAIL_TIMEOUTs.
ATS_EMAIL_CLAIM_LEASE_SECONDS = env_int("ATS_EMAIL_CLAIM_LEASE_SECONDS", 600, minimum=1)
if ATS_EMAIL_CLAIM_LEASE_SECONDS < 3 * EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        f"ATS_EMAIL_CLAIM_LEASE_SECONDS={ATS_EMAIL_CLAIM_LEASE_SECONDS} must be at least three"
        f" times EMAIL_TIMEOUT ({EMAIL_TIMEOUT}), or a slow send could be sent twice."
    )
# A stage-change email waits this long before the sweep sends it, so that a recruiter who
# moves a card by mistake, or moves it twice in a row, sends one email (or none), not two.
ATS_STAGE_EMAIL_HOLD_SECONDS = env_int("ATS_STAGE_EMAIL_HOLD_SECONDS", 120, minimum=0)
# How long after submitting a scorecard its author may still change it freely; after that a
# change is an amendment with a written reason, kept beside the scorecard.
ATS_SCORECARD_EDIT_MINUTES = env_int("ATS_SCORECARD_EDIT_MINUTES", 60, minimum=0)
# How long after an interview ends an interviewer without a submitted scorecard is reminded.
ATS_SCORECARD_REMINDER_HOURS = env_int("ATS_SCORECARD_REMINDER_HOURS", 2, minimum=0)
# Interviews: the candidate may move or cancel their interview on the status page until this
# many hours before it starts; everyone invited is reminded this many hours before.
ATS_INTERVIEW_CHANGE_CUTOFF_HOURS = env_int("ATS_INTERVIEW_CHANGE_CUTOFF_HOURS", 24, minimum=0)
ATS_INTERVIEW_REMINDER_HOURS = env_int("ATS_INTERVIEW_REMINDER_HOURS", 24, minimum=1)

# --- Files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Resumes, offer letters and reply attachments live in private storage: outside STATIC/MEDIA
# roots, with no URL, served only through permission-checked views. On one machine that is a
# directory; with several, an S3-compatible bucket they all share (ATS_STORAGE_URL).
PRIVATE_MEDIA_ROOT = Path(env_str("ATS_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
_bucket = env_bucket("ATS_STORAGE_URL")
STORAGES = {
    "default": {"BACKEND": "ats.bucket.BucketStorage", "OPTIONS": _bucket}
    if _bucket
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Uploads above this are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
RESUME_MAX_BYTES = 10 * 1024 * 1024
# The whole apply request: a 10 MB resume plus the form's text, with room for multipart framing.
APPLY_MAX_REQUEST_BYTES = RESUME_MAX_BYTES + 1024 * 1024

# --- Auth -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"
# Lockout after repeated failed logins (django-axes): five failures for one username from
# one address lock that pair out for fifteen minutes; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The same client address as the apply rate limit, honouring ATS_NUM_PROXIES.
AXES_CLIENT_IP_CALLABLE = "ats.ratelimit.client_ip"
# No start-up banner on every manage.py command; lockouts are still logged.
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Forms ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: our JS and CSS are files under static/. The posting page's
# JSON-LD is a data block (type="application/ld+json"), which script-src does not govern.
# Bootstrap's CSS draws its icons with data: SVGs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Status and reset tokens are taken out of every logged path (ats/log_redaction.py): on the
# loggers that print request paths (django.request: "Not Found: <path>"; django.server: the
# runserver access log), before the records reach any handler, and on our own handler.
# One line per record: "text" for a terminal, "json" for a log shipper.
LOG_FORMATTERS = {"text": "ats.logs.TextFormatter", "json": "ats.logs.JsonFormatter"}
LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", "text", choices=tuple(LOG_FORMATTERS))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "ats.log_redaction.RedactSecrets"},
        "request_id": {"()": "ats.logs.RequestIdFilter"},
    },
    "formatters": {
        "line": {"()": LOG_FORMATTERS[LOG_FORMAT]},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["redact_secrets", "request_id"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["redact_secrets"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
    },
}

# --- Applying -------------------------------------------------------------------
# Behind a load balancer, how many proxies append to X-Forwarded-For (0: trust REMOTE_ADDR).
ATS_NUM_PROXIES = env_int("ATS_NUM_PROXIES", 0, minimum=0)
# Accepted applications per IP per hour, and attempts of any kind (failed ones too) per IP
# per hour: the looser bound on what a client may make us validate.
APPLY_RATE_LIMIT = env_int("ATS_APPLY_RATE_LIMIT", 10, minimum=1)
APPLY_ATTEMPT_LIMIT = env_int(
    "ATS_APPLY_ATTEMPT_LIMIT", 5 * APPLY_RATE_LIMIT, minimum=APPLY_RATE_LIMIT
)
# How long the landing page's utm_* values and external referrer wait for the application.
APPLY_SOURCE_MAX_AGE = env_int("ATS_APPLY_SOURCE_MAX_AGE", 7 * 24 * 3600, minimum=60)
# How long a resume attached to a form that failed validation waits for the corrected form.
PENDING_RESUME_MAX_AGE = env_int("ATS_PENDING_RESUME_MAX_AGE", 3600, minimum=60)

# --- Interviewers' own calendars (CalDAV) ------------------------------------------
# The key that encrypts CalDAV passwords at rest: a Fernet key (python -c "from
# cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"), or several
# separated by commas to rotate (the first encrypts, all decrypt). Unset: nobody can connect
# a calendar. A malformed key stops start-up rather than failing at the first connection.
ATS_CALENDAR_KEY = env_str("ATS_CALENDAR_KEY")
if ATS_CALENDAR_KEY:
    from cryptography.fernet import Fernet

    for _key in ATS_CALENDAR_KEY.split(","):
        try:
            Fernet(_key.strip())
        except ValueError:
            raise ImproperlyConfigured(
                "ATS_CALENDAR_KEY is not a Fernet key (32 url-safe base64-encoded bytes)."
            ) from None
# Calendar addresses are typed by users and fetched by the server: only https to public
# addresses, unless this is on (a calendar server on the company network, or tests).
ATS_CALDAV_ALLOW_PRIVATE = env_bool("ATS_CALDAV_ALLOW_PRIVATE", default=False)
# Seconds one calendar operation (a connection check, a busy-time read, an event write) may
# take in all; each connect and read waits at most a third of it.
ATS_CALDAV_BUDGET_SECONDS = env_int("ATS_CALDAV_BUDGET_SECONDS", 8, minimum=1, maximum=60)

# --- Replies from candidates (an IMAP mailbox) --------------------------------------
# Candidates reply to jobs+<token>@..., one mailbox with plus addressing; the fetcher reads it
# (conversations/mailbox.py). No host: replies are not fetched, and fetch_replies says so.
ATS_IMAP_HOST = env_str("ATS_IMAP_HOST")
ATS_IMAP_SECURITY = env_choice("ATS_IMAP_SECURITY", "ssl", ("ssl", "starttls", "none"))
ATS_IMAP_PORT = env_int(
    "ATS_IMAP_PORT", 993 if ATS_IMAP_SECURITY == "ssl" else 143, minimum=1, maximum=65535
)
ATS_IMAP_USER = env_str("ATS_IMAP_USER", "")
ATS_IMAP_PASSWORD = env_str("ATS_IMAP_PASSWORD", "")
# A password in clear over the network only when someone chose it, or on this machine.
ATS_IMAP_ALLOW_PLAINTEXT = env_bool("ATS_IMAP_ALLOW_PLAINTEXT", default=False)
ATS_IMAP_FOLDER = env_str("ATS_IMAP_FOLDER", "INBOX")
# Where processed mail is moved; unset: it stays in ATS_IMAP_FOLDER, marked read.
ATS_IMAP_PROCESSED_FOLDER = env_str("ATS_IMAP_PROCESSED_FOLDER")
# A message above this is never downloaded: an Inbox entry says what it was.
ATS_IMAP_MAX_MESSAGE_BYTES = env_int(
    "ATS_IMAP_MAX_MESSAGE_BYTES", 15 * 1024 * 1024, minimum=64 * 1024
)
# Each connect, read and write on the IMAP socket gives up after this.
ATS_IMAP_TIMEOUT_SECONDS = env_int("ATS_IMAP_TIMEOUT_SECONDS", 30, minimum=1, maximum=600)
# Messages one run stores at most; the rest wait for the next run.
ATS_IMAP_BATCH = env_int("ATS_IMAP_BATCH", 100, minimum=1)
if ATS_IMAP_HOST:
    if not (ATS_IMAP_USER and ATS_IMAP_PASSWORD):
        raise ImproperlyConfigured("ATS_IMAP_HOST is set: set ATS_IMAP_USER and ATS_IMAP_PASSWORD.")
    if (
        ATS_IMAP_SECURITY == "none"
        and not ATS_IMAP_ALLOW_PLAINTEXT
        and ATS_IMAP_HOST not in ("127.0.0.1", "localhost", "::1")
    ):
        raise ImproperlyConfigured(
            f"ATS_IMAP_SECURITY=none would send the mailbox password in clear to "
            f"{ATS_IMAP_HOST}: use ssl or starttls, or set ATS_IMAP_ALLOW_PLAINTEXT=true."
        )

# The voluntary self-identification survey applicants may answer after applying (reports/):
# which of its questions to ask, in this order. Off unless set: its questions and wording are
# those of US equal-employment law (EEO-1, OFCCP), which employers elsewhere must not copy.
ATS_EEO_QUESTIONS = env_subset("ATS_EEO_QUESTIONS", ("gender", "race", "veteran", "disability"))

CELERY_BEAT_SCHEDULE = {
    # A sweep that waited longer than its period is dropped: the next one does the same work.
    "sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The digest of the previous day (UTC). Idempotent, so a late or repeated run is harmless.
    "daily-digest": {
        "task": "applications.tasks.queue_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Once per seat (an outbox key), so a run every quarter hour repeats nothing.
    "scorecard-reminders": {
        "task": "interviews.tasks.send_scorecard_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Idempotent (one reminder per interview time), so a run every few minutes is cheap.
    "interview-reminders": {
        "task": "interviews.tasks.send_interview_reminders",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 540},
    },
    "remove-stale-pending-resumes": {
        "task": "applications.tasks.remove_stale_pending_resumes",
        "schedule": crontab(minute=17),
        "options": {"expires": 3000},
    },
    # Replies from candidates; a run while the previous one holds the mailbox does nothing.
    "fetch-replies": {
        "task": "conversations.tasks.fetch_replies",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # New adverse-impact flags, to recruiters. Remembers what it reported, so a repeat says nothing.
    "fairness-flags": {
        "task": "reports.tasks.email_new_fairness_flags",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}
