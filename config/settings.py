"""Settings for the course portal, configured by environment variables.

Every variable is listed in README.md. Nothing here differs between machines
except through the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

# Without DEBUG there is no default: the key stays empty, so management commands that need no key
# (migrate, makemigrations --check, compilemessages) still run, while serving refuses to start
# (config/wsgi.py, config/asgi.py) and Django refuses any use of the empty key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105


def require_secret_key():
    """Refuse to serve without a secret key."""
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DJANGO_DEBUG=1 for development."
        )


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.contrib.postgres",
    "axes",
    "csp",
    "accounts",
    "coursework",
    "portfolio",
    "directory",
    "caseplans",
    "analysis",
    "toolkits",
    "grading",
    "jobs",
    "maintenance",
    "demo",
]

MIDDLEWARE = [
    # /healthz, answered before the host check, the HTTPS redirect and the session (config.health).
    "config.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; every page and redirect gets one.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.KazakhFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses NUL characters and unreadable bodies before any view or session-reading middleware.
    "config.middleware.UnusableInputMiddleware",
    "accounts.middleware.SignedInNoStoreMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# DATABASE_URL: sqlite:///path or postgres://user:pass@host:port/name.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Production keeps each connection for a minute and checks it before reuse, so a restarted PostgreSQL costs
        # the requests of that moment, not a restart of the portal. Development opens one per request.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
# A database that does not answer at all (a network fault rather than a refusal) fails the request after a few
# seconds instead of holding it, and /healthz, until the system gives up on the connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in security (README, "Security"). django-axes counts failed sign-ins by account and, separately, by address:
# either count reaching the limit refuses that account's sign-in (from anywhere), or any sign-in from that address,
# until the cool-off has passed since the last failure or an administrator lifts the lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
# An address has a limit of its own (accounts.attempts): a computer lab's students sign in through one address.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_HANDLER = "accounts.attempts.SignInAttempts"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# A success does not clear the failures counted: someone with an account of their own could otherwise sign in
# between guesses at another's password and clear their address's count.
AXES_RESET_ON_SUCCESS = False
# Attempts while locked are refused without being counted: the lock ends a fixed time after the last failure that
# caused it, and the person who tries their right password meanwhile does not lock their own account too.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"
# How many reverse proxies in front of the portal append the address they saw to X-Forwarded-For. With 0 the
# address is the connection's own (REMOTE_ADDR), so a forged header cannot dodge the address lock.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sessions (accounts.middleware.SessionTimeoutMiddleware): signed out after SESSION_IDLE_MINUTES without a request,
# and SESSION_MAX_HOURS after signing in however active. The cookie outlives neither.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_HOURS", "12")) * 60 * 60
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# Every signed-in request reads its session: with a cache that every worker shares (CACHE_URL, below) it is read
# from there, and written to the database and the cache alike. Never from a cache of each process's own: a sign-out
# in one worker would leave the session alive in the cache of another.
if os.environ.get("CACHE_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Content-Security-Policy on every page (django-csp): scripts and styles only from the portal's own static files,
# nothing inline. The grading and submission pages frame a PDF of the portal's own (frame-src falls back to
# default-src); portfolio's file download lets those pages, and no other site, frame it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The same rule for browsers that read only the older header; the file download says SAMEORIGIN.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Languages: Kazakh first and default, then Russian and English.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Our catalogue first; the supplement fills gaps in Django's own Kazakh catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_supplement"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded work is private: it lives outside any static or media URL and is
# served only by views that check access.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Or an S3-compatible bucket (django-storages), private: files are read only through the portal's views, after
# their access check. The bucket is never public; no file gets a public address.
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "access_key": os.environ.get("STORAGE_ACCESS_KEY") or None,
            "secret_key": os.environ.get("STORAGE_SECRET_KEY") or None,
            "location": os.environ.get("STORAGE_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": os.environ.get("STORAGE_ADDRESSING_STYLE") or None,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
# The portal's public address, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Set-password links of new accounts (and password resets) stay valid for a week: a roster is often imported
# before the term starts, and students read their university mail late.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60

# A task is "due soon" when its due moment is at most this many days away.
DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", "7"))

if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HTTPS only (README, "Security"): plain HTTP is redirected (the proxy's X-Forwarded-Proto tells which it was),
    # and browsers are told by HSTS to use nothing else for a year.
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)

# Logs go to standard output, one line per event in logfmt (key=value) for people and log collectors alike.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"logfmt": {"()": "config.logs.LogfmtFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "logfmt"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal": {"level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# The cache (the gradebook's class order and statistics): with CACHE_URL (redis://host:port/db) one Redis that every
# worker and server shares, so a class built by one is read by all; without it each process keeps its own in memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Whether every process reads the same cache. What a service forgets when it changes it (a letter scale) can be cached
# only then: each process's own memory would keep the old value in the other workers.
SHARED_CACHE = bool(CACHE_URL)

# Long grade sheets are laid out in parts by this many render processes side by side (config.pdf, jobs).
PDF_WORKERS = int(os.environ.get("PDF_WORKERS", "0")) or os.cpu_count() or 1
# …when the sheet has at least this many students; a shorter one is laid out in one piece.
PDF_PARTS_MIN_ROWS = int(os.environ.get("PDF_PARTS_MIN_ROWS", "150"))
# A render worker silent this long is stopped (the sheet is then laid out in the job's own process).
PDF_RENDER_SECONDS = int(os.environ.get("PDF_RENDER_SECONDS", "300"))

# Background jobs (README, "Production"): Celery, its broker and results in Redis. With no broker the jobs run in the
# request that asks for them: nothing else needs to run for `make run` or the tests.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The portal reads no task's return value (a job's outcome is its row), so none is stored or waited for.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A job is acknowledged when it ends: a worker that dies mid-job leaves it to be delivered again, and the job's own
# record (jobs.models.Job) lets it run at most twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING above, in the same logfmt lines as the web processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_BEAT_SCHEDULE = {
    "jobs-expire": {"task": "jobs.tasks.expire_files", "schedule": 15 * 60},
    "jobs-recover": {"task": "jobs.tasks.recover_stalled", "schedule": 60},
}
# A finished job's file is kept this long, then deleted (the page then offers to prepare it again).
JOB_FILE_HOURS = int(os.environ.get("JOB_FILE_HOURS", "24"))
# A running job that has not reported progress for this long is taken to have lost its worker.
JOB_STALL_SECONDS = int(os.environ.get("JOB_STALL_SECONDS", "120"))

# Portfolio uploads: every file streams to a temporary file while its SHA-256 is computed.
FILE_UPLOAD_HANDLERS = ["portfolio.uploads.HashingUploadHandler"]
# Those temporary files live in a folder of the portal's own (created when first needed), on the private storage's
# disk and never served, so `manage.py clean_uploads` can remove what a killed request left there.
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR", str(PRIVATE_STORAGE_ROOT / ".incoming"))
# Work built in the portal posts its whole editor as one form. The largest is СӨЖ 3's toolkit at its limits
# (toolkits.data): 30 criteria × 3 fields, 10 instruments × 5, and 600 items × 18 (7 fields and up to 11 scale
# anchors) = 10,940 fields. Django's default of 1,000 refused a toolkit of about 80 items before any view ran.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 12_000
PORTFOLIO_MAX_FILE_SIZE = int(os.environ.get("PORTFOLIO_MAX_FILE_MB", "20")) * 1024 * 1024
PORTFOLIO_MAX_SUBMISSION_SIZE = int(os.environ.get("PORTFOLIO_MAX_SUBMISSION_MB", "60")) * 1024 * 1024
PORTFOLIO_MAX_FILES = int(os.environ.get("PORTFOLIO_MAX_FILES", "10"))
# A form sending more files than a version may hold is refused as Django reads it (a page saying so), before any
# view checks or parses one: the files one request can make the portal parse are bounded by this (Django's default
# is 100).
DATA_UPLOAD_MAX_NUMBER_FILES = PORTFOLIO_MAX_FILES
