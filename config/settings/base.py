"""Settings shared by every profile.

Everything that differs between machines is read from the environment with a safe
default, so ``make run`` works on a bare machine (SQLite, no Redis) and the same code
runs on PostgreSQL and Redis when ``DATABASE_URL`` / ``REDIS_URL`` are set.
"""

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.storage import private_storage_setting

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _secret_key_from_var() -> str:
    """A per-machine key kept in var/ (never committed), generated on first run."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _secret_key_from_var()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "captcha",
    "institutions",
    "deadlines",
    "notifications",
    "complaints",
    "supervision",
    "publicity",
    "mediation",
    "training",
    "convention",
    "evaluation",
    "reports",
    "lifecycle",
    "api",
    "portal",
    "bench",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), around everything else.
    "config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "institutions.auth.AbsoluteSessionTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "institutions.User"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread",
                "deadlines.context_processors.calendar_warning",
            ],
        },
    },
]

# --- Response headers (config/middleware.py, docs/security.md) --------------------------
# Our own origin only; no inline script or style (templates keep their scripts and
# styles in static/). data: images for the icons Django's admin and Swagger UI inline
# in their CSS. An empty value sends no policy.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", default=False)

# --- Database -------------------------------------------------------------------------
# SQLite under var/ by default; DATABASE_URL=postgres://… for PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'complaints.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share the file: WAL lets readers run beside the writer,
    # IMMEDIATE transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation for this application's statements: on a million rows it
        # added ~100 ms to an aggregate that runs in ~20 ms (docs/performance.md).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL read replica for the heavy reads that can be a few seconds behind (the
# quarterly report pack, the supervision board and statistics), which opt in with
# ``config.routers.replica_reads()``. Unset: no replica alias and no router.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "OPTIONS": {"options": "-c jit=off"},
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        # Tests never reach a real replica: the alias mirrors the test database.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Passwords; permissions come from the access policy only (rules, above).
    "institutions.auth.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle by user name only: the client address is not trusted (it can be forged
# through X-Forwarded-For), and an attacker spreading guesses over many addresses
# must still hit the same lock.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# axes.W006 asks for the address in the lock key; we deliberately lock by user name
# alone (see above), so rotating user agents or cookies gains an attacker nothing.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "institutions.auth.client_ip"
# How many reverse proxies of our own stand in front (each appends to X-Forwarded-For).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sessions: idle timeout, refreshed by activity at most every SESSION_REFRESH_SECONDS
# (not by a write on every request), and an absolute cap; both enforced with
# institutions.auth.AbsoluteSessionTimeoutMiddleware.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
# Everything is served from this machine: banks run on intranets without internet.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files are private: they live outside STATIC_ROOT and are only ever served
# through a view that checks the access policy (there is no MEDIA_URL route).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Evidence files of complaints (complaints.attachments): a directory no URL serves,
# read only through the access-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
COMPLAINT_ATTACHMENT_MAX_BYTES = env.int("COMPLAINT_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Per kind of content (complaints.attachments decides the kind from the bytes); the
# limit of images is COMPLAINT_ATTACHMENT_MAX_BYTES above.
COMPLAINT_ATTACHMENT_LIMITS = {
    "pdf": env.int("ATTACHMENT_MAX_PDF_BYTES", default=20 * 1024 * 1024),
    "audio": env.int("ATTACHMENT_MAX_AUDIO_BYTES", default=50 * 1024 * 1024),
    "video": env.int("ATTACHMENT_MAX_VIDEO_BYTES", default=300 * 1024 * 1024),
}
# An image with more pixels is refused before it is decoded (a decompression bomb).
COMPLAINT_IMAGE_MAX_PIXELS = env.int("ATTACHMENT_MAX_IMAGE_PIXELS", default=40_000_000)
# Where evidence files are kept: "local" (PRIVATE_MEDIA_ROOT) or "s3" (any
# S3-compatible object store, through django-storages; every web server then shares
# one store). See config/storage.py and docs/complaints.md.
ATTACHMENT_STORAGE = env.str("ATTACHMENT_STORAGE", default="local")
STORAGES["private"] = private_storage_setting(ATTACHMENT_STORAGE, env)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------------
# REDIS_URL (or CELERY_BROKER_URL) selects Redis. Without it the broker is kombu's
# filesystem transport under var/celery: it needs no server, so `make run` works on a
# bare machine, and web, worker and beat on one host share it through the directory.
REDIS_URL = env.str("REDIS_URL", default="")
# The filesystem URL names a host (which the transport ignores): without one kombu warns
# "No hostname was supplied" each time it opens a connection (~30 times under make run).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Longer than the longest task (the quarterly report pack), so a task that is
    # still running is never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# What a task prints (the console e-mail backend's messages under `make run`) is
# logged at INFO, not as the WARNING Celery uses by default.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"

# The tally of open complaints behind the supervision board and the workbench
# (complaints/tally.py, docs/supervision.md): beat recounts it this often (installed by
# `manage.py setup_schedule`), and a page recounts it itself when the latest count is
# older than the maximum age (beat not running).
OPEN_TALLY_REFRESH_SECONDS = env.int("OPEN_TALLY_REFRESH_SECONDS", default=60)
OPEN_TALLY_MAX_AGE_SECONDS = env.int("OPEN_TALLY_MAX_AGE_SECONDS", default=600)

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Only read by the file-based backend (django.core.mail.backends.filebased), e.g. to
# check outgoing mail on a staging machine without an SMTP relay.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@complaints.local")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The public directory of complaint channels (portal.directory) publishes the
# jurisdiction of the supervising office with this institution code; empty: of every
# active supervising office, each under its own heading. Its absolute links (the QR
# code on an outlet's poster) start with SITE_URL.
PORTAL_OFFICE_CODE = env.str("PORTAL_OFFICE_CODE", default="")
# A mail server that does not answer gives up after this many seconds (Django's default
# is to wait for ever), well inside the delivery lease below.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Notice e-mail is delivered at least once (notifications.services.deliver_emails): a
# worker's claim on a notice expires after the lease, so the periodic resend (every
# 5 minutes) sends what a worker killed mid-send left; a notice that failed this many
# times is left unsent (and logged).
NOTIFICATION_EMAIL_LEASE_SECONDS = env.int("NOTIFICATION_EMAIL_LEASE_SECONDS", default=600)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=10)

# --- Messages to the consumer (notifications/consumer.py, docs/notifications.md) --------
# The SMS backend by dotted path: console (default: prints, phone masked), filebased
# (one JSON file per message in SMS_FILE_PATH), locmem (tests) or http (the gateway).
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.backends.console.SmsBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
# The HTTP gateway (notifications.sms.backends.http): JSON POST with a bearer token and
# the message's idempotency key; no answer within the timeout counts as a failure.
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# At-least-once delivery: a worker's claim on a message lasts the lease (longer than the
# gateway timeout); a failed message waits 30 s, doubling up to an hour, and is given up
# (logged) after this many attempts.
CONSUMER_MESSAGE_LEASE_SECONDS = env.int("CONSUMER_MESSAGE_LEASE_SECONDS", default=300)
CONSUMER_MESSAGE_MAX_ATTEMPTS = env.int("CONSUMER_MESSAGE_MAX_ATTEMPTS", default=12)

# --- Retention of personal data (lifecycle/, docs/personal-data.md) ---------------------
# Defaults; the office may override each in the admin (保存期限策略). A value below the
# legal minimum is raised to it: complaint files at least 3 years after closure (PBoC
# implementing measures 2020), access logs at least 6 months (Cybersecurity Law art. 21).
RETENTION_COMPLAINT_YEARS = env.int("RETENTION_COMPLAINT_YEARS", default=3)
RETENTION_ACCESS_LOG_MONTHS = env.int("RETENTION_ACCESS_LOG_MONTHS", default=36)
RETENTION_NOTICE_MONTHS = env.int("RETENTION_NOTICE_MONTHS", default=36)
RETENTION_REPORT_PACK_YEARS = env.int("RETENTION_REPORT_PACK_YEARS", default=5)
# Complaints anonymised per batch (one transaction, one audit row each).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=200)
# The daily scheduled run anonymises only once this is on: the first run is started by
# an administrator in the admin after reading the dry-run report.
RETENTION_AUTO_RUN = env.bool("RETENTION_AUTO_RUN", default=False)
# A consumer's PIPL request (access, correction, deletion) is answered within this many
# working days of the deadlines calendar.
PIPL_REQUEST_WORKING_DAYS = env.int("PIPL_REQUEST_WORKING_DAYS", default=15)

# --- django-import-export -------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Import and export in the admin need the model's add / view permission (answered by
# the access policy through django-rules), not mere access to the admin.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Historical import (reports/history.py, docs/import.md) ----------------------------
# The largest file the import page accepts, and how long an uploaded file (it holds
# personal data) may stay when nobody confirms or cancels it.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
IMPORT_UPLOAD_TTL_HOURS = env.int("IMPORT_UPLOAD_TTL_HOURS", default=24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            # Refused requests (4xx) as one line, without the traceback Django attaches.
            "()": "config.log_format.ConsoleFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

ADMIN_SITE_HEADER = _("金融消费者投诉处理与权益保护系统")
PUBLICITY_PHOTO_MAX_BYTES = env.int("PUBLICITY_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)

# --- Cache ------------------------------------------------------------------------------
# The portal's rate limits count in the cache: Redis when REDIS_URL is set (shared by
# every web process), otherwise the process's own memory (one process: `make run`).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- The public portal (portal/, docs/portal.md) -------------------------------------------
# Rate limits (django-ratelimit notation: count/period, period s, m, h or d).
PORTAL_SUBMIT_RATE_PER_ADDRESS = env.str("PORTAL_SUBMIT_RATE_PER_ADDRESS", default="10/h")
PORTAL_SUBMIT_RATE_PER_PHONE = env.str("PORTAL_SUBMIT_RATE_PER_PHONE", default="3/d")
PORTAL_ENQUIRY_RATE_PER_ADDRESS = env.str("PORTAL_ENQUIRY_RATE_PER_ADDRESS", default="30/h")
PORTAL_ENQUIRY_RATE_PER_CODE = env.str("PORTAL_ENQUIRY_RATE_PER_CODE", default="10/h")
# The captcha appears once an address made this many attempts within the hour.
PORTAL_CAPTCHA_AFTER = env.int("PORTAL_CAPTCHA_AFTER", default=1)
PORTAL_MAX_FILES = env.int("PORTAL_MAX_FILES", default=5)
# The handling category an online complaint starts in (staff may re-classify).
PORTAL_DEFAULT_CATEGORY = env.str("PORTAL_DEFAULT_CATEGORY", default="服务态度")
# How long after the answer the consumer may rate it on the portal.
CONSUMER_VERDICT_WINDOW_DAYS = env.int("CONSUMER_VERDICT_WINDOW_DAYS", default=15)
# A pause of the clocks (中止计时) running longer than this many days raises a notice
# to the managers over the handling institution (complaints.sweep, once per pause).
COMPLAINT_PAUSE_NOTICE_DAYS = env.int("COMPLAINT_PAUSE_NOTICE_DAYS", default=30)
# django-simple-captcha: drawn locally with Pillow and its bundled font; no audio.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LETTER_ROTATION = (-25, 25)
CAPTCHA_FLITE_PATH = None
RATELIMIT_USE_CACHE = "default"

# --- REST API (api/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    # JSON in and out, errors included (api/exceptions.py): no browsable-API HTML.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # OPTIONS on a view without a serializer (the transitions) answers, not 500.
    "DEFAULT_METADATA_CLASS": "api.metadata.ApiMetadata",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "金融消费者投诉处理与权益保护系统 API",
    "DESCRIPTION": "Complaint exchange API: same access policy and services as the browser.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One schema name per choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "ComplaintStatusEnum": "complaints.enums.ComplaintStatus",
        "ComplaintKindEnum": "complaints.enums.ComplaintKind",
        "AnswerPreferenceEnum": "complaints.enums.AnswerPreference",
        "RefusalReasonEnum": "complaints.enums.RefusalReason",
        "ContactMethodEnum": "complaints.enums.ContactMethod",
        "PauseReasonEnum": "complaints.enums.PauseReason",
        "WithdrawalChannelEnum": "complaints.enums.WithdrawalChannel",
        "InstitutionKindEnum": "institutions.enums.InstitutionKind",
        "NotificationKindEnum": "notifications.models.Notification.Kind",
    },
    # Swagger UI and ReDoc assets come from drf-spectacular-sidecar: served locally.
    # OPTIONS and the errors every operation can answer (413, 415, …): api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Financial-dispute mediation (mediation app): the time limit of each procedure in
# calendar days from acceptance, and how many days before the 30-day window for
# judicial confirmation closes the parties' reminder goes out.
MEDIATION_TIME_LIMIT_DAYS = {
    "simple": env.int("MEDIATION_SIMPLE_DAYS", default=15),
    "ordinary": env.int("MEDIATION_ORDINARY_DAYS", default=30),
    "complex": env.int("MEDIATION_COMPLEX_DAYS", default=60),
}
MEDIATION_JUDICIAL_REMIND_DAYS = env.int("MEDIATION_JUDICIAL_REMIND_DAYS", default=7)

# Rectification items (整改事项): the default time limit in working days when the
# office gives none, and how many calendar days before the deadline the sweep
# reminds the institution (once).
RECTIFICATION_DEFAULT_WORKING_DAYS = env.int("RECTIFICATION_DEFAULT_WORKING_DAYS", default=20)
RECTIFICATION_REMIND_DAYS = env.int("RECTIFICATION_REMIND_DAYS", default=3)

# Complaint hot spots (投诉热点) on the statistics page: a cause × business line ×
# institution cell is flagged when it has at least HOTSPOT_MIN_COUNT complaints and
# rose by at least HOTSPOT_MIN_RISE_PERCENT % against both the previous period and
# the same period last year (docs/supervision.md). The page can override both.
HOTSPOT_MIN_COUNT = max(1, env.int("HOTSPOT_MIN_COUNT", default=3))
HOTSPOT_MIN_RISE_PERCENT = max(0, env.int("HOTSPOT_MIN_RISE_PERCENT", default=50))
