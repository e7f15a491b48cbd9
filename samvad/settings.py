"""Samvad's one settings module, read from the environment (12-factor).

Zero configuration gives the embedded default: SQLite in ./var, the console e-mail backend and the
local X sandbox. `SAMVAD_PRODUCTION=1` switches on everything `check --deploy` asks for.
"""

import json
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samvad import datadir

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A setting from NAME, or from the file that NAME_FILE points to (for secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


PRODUCTION = env_bool("SAMVAD_PRODUCTION")
DEBUG = env_bool("DEBUG")
# Read only: the directory and the development secrets in it are made by `samvad.datadir.prepare()`
# when the `samvad` command starts, never by importing the settings.
DATA_DIR = datadir.data_dir()

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = datadir.dev_secret("secret_key")

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from our static files, not a CDN
    "samvad.org",
    "samvad.audit",
    "samvad.notifications",
    "samvad.jobs",
    "samvad.api",
    "samvad.content",
    "samvad.publishing",
    "samvad.platforms.x",
    "samvad.advocacy",
    "samvad.training",
    "samvad.campaigns",
    "samvad.reports",
    "samvad.inbox",
    "django_otp",  # two-step verification: authenticator apps and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # login throttling
    "samvad.accounts_security",
    "dbfiles",  # uploaded files in the database (the default file storage, see below)
    "samvad.ops",
    "samvad.home",  # each role's home page, above every feature app
]
if not PRODUCTION:
    # The local X and the demo data serve development, the tests and the benchmarks only.
    INSTALLED_APPS += ["samvad.xsandbox", "samvad.demo"]

MIDDLEWARE = [
    # First: /healthz answers before any redirect, session or host check (see samvad/ops).
    "samvad.ops.middleware.HealthMiddleware",
    "samvad.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samvad.accounts_security.middleware.OTPMiddleware",  # django-otp's, without lazy proxies
    "samvad.org.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samvad.api.middleware.ApiMiddleware",  # idempotency keys; problem JSON for every API error
    "samvad.accounts_security.middleware.SessionLimitsMiddleware",
    "samvad.accounts_security.middleware.MfaMiddleware",
    "samvad.accounts_security.middleware.PermissionsPolicyMiddleware",
    "samvad.accounts_security.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked login into a 429
]

ROOT_URLCONF = "samvad.urls"
WSGI_APPLICATION = "samvad.wsgi.application"

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
                "samvad.org.context_processors.samvad",
                "samvad.notifications.context_processors.notifications",
            ],
            "builtins": ["samvad.org.templatetags.samvad"],
        },
    }
]
if not PRODUCTION:
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("samvad.demo.context_processors.demo")

# SQLite is the embedded default. WAL lets readers run beside the one writer, IMMEDIATE takes the
# write lock at BEGIN so two workers never deadlock upgrading a read lock, and the busy timeout
# makes a writer wait its turn instead of failing.
SQLITE_PATH = DATA_DIR / "samvad.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) so that worker processes started by tests can open the test database;
    # one per test run so that runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # One test database per test run (and per xdist worker, which adds its own suffix), so that two
    # runs on one server never share or drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Forms and widgets render through Jinja2: a form page spends a third of the CPU there with Django's
# engine (decision 017). Our widget templates are in each app's jinja2/ directory.
FORM_RENDERER = "django.forms.renderers.Jinja2"
AUTH_USER_MODEL = "org.User"
PASSWORD_HASHERS = [
    "samvad.accounts_security.hashers.OwaspArgon2PasswordHasher",  # decision 014
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "hi"
LANGUAGES = [("hi", _("Hindi")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Kolkata"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project's own CSS, outside any app
# Uploaded files (photos, evidence) must be seen by every web and worker host (decision 012): in
# the database by default, so that it stays the only thing the hosts share; or in any
# S3-compatible object store through django-storages (`pip install 'samvad[s3]'`).
SAMVAD_FILE_STORAGE = env("SAMVAD_FILE_STORAGE", "database")
if SAMVAD_FILE_STORAGE == "database":
    _files = {"BACKEND": "dbfiles.storage.DBStorage"}
elif SAMVAD_FILE_STORAGE == "s3":
    _files = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("SAMVAD_S3_BUCKET"),
            "endpoint_url": env("SAMVAD_S3_ENDPOINT_URL") or None,  # None: Amazon's own
            "region_name": env("SAMVAD_S3_REGION") or None,
            "access_key": env("SAMVAD_S3_ACCESS_KEY_ID"),
            "secret_key": env("SAMVAD_S3_SECRET_ACCESS_KEY"),
            "location": env("SAMVAD_S3_PREFIX"),
            "file_overwrite": False,  # a second upload of the same name gets a new name
            "default_acl": None,  # private: files are served only through Samvad's views
        },
    }
else:
    raise ImproperlyConfigured("SAMVAD_FILE_STORAGE must be 'database' or 's3'.")
STORAGES = {
    "default": _files,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Where uploads lived before decision 012; `samvad movefiles` moves them into the storage above.
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "samvad@localhost")

# Accounts (issue 9). Sessions end after SAMVAD_SESSION_IDLE_SECONDS without a request and
# SAMVAD_SESSION_MAX_SECONDS after login; changing email or two-step verification needs the
# password again unless it was given in the last SAMVAD_REAUTH_SECONDS.
SAMVAD_SESSION_IDLE_SECONDS = int(env("SAMVAD_SESSION_IDLE_SECONDS", str(30 * 60)))
SAMVAD_SESSION_MAX_SECONDS = int(env("SAMVAD_SESSION_MAX_SECONDS", str(12 * 60 * 60)))
SAMVAD_REAUTH_SECONDS = int(env("SAMVAD_REAUTH_SECONDS", str(5 * 60)))
# API tokens expire this many days after they are made (issue 16): a forgotten one stops working.
SAMVAD_API_TOKEN_DAYS = int(env("SAMVAD_API_TOKEN_DAYS", "90"))
# Roles that must use two-step verification (the demo sets none: it is walked without phones).
SAMVAD_MFA_REQUIRED_ROLES = [
    r.strip()
    for r in env("SAMVAD_MFA_REQUIRED_ROLES", "district_admin,editor").split(",")
    if r.strip()
]
OTP_TOTP_ISSUER = "Samvad"
# Logins are throttled (samvad/accounts_security/throttle.py): per username *and* address, and per
# address across usernames, each with its limit of wrong passwords; past it, logins from there
# pause for SAMVAD_LOGIN_PAUSE, doubled for each further failure up to SAMVAD_LOGIN_PAUSE_MAX.
# Nobody elsewhere is affected, failures during a pause do not count, and failures are forgotten
# an hour after the last one. Behind reverse proxies, SAMVAD_TRUSTED_PROXIES must say how many
# there are (docs/deploy.md), or everyone shares the proxy's address.
AUTHENTICATION_BACKENDS = [
    "samvad.accounts_security.throttle.ThrottleBackend",
    # Django's, reading the user of each request faster; refuses inactive users on every request.
    "samvad.accounts_security.sessions.ModelBackend",
]
AXES_HANDLER = "samvad.accounts_security.throttle.BackoffHandler"
AXES_FAILURE_LIMIT = int(env("SAMVAD_LOGIN_FAILURE_LIMIT", "5"))
SAMVAD_LOGIN_ADDRESS_FAILURE_LIMIT = int(env("SAMVAD_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
SAMVAD_LOGIN_PAUSE = timedelta(seconds=int(env("SAMVAD_LOGIN_PAUSE_SECONDS", "60")))
SAMVAD_LOGIN_PAUSE_MAX = timedelta(minutes=int(env("SAMVAD_LOGIN_PAUSE_MAX_MINUTES", "15")))
AXES_COOLOFF_TIME = timedelta(hours=1)  # how long failures are remembered after the last one
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # order: throttle.py
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samvad.accounts_security.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "samvad.accounts_security.throttle.client_ip"
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged as warnings
# The security log (accounts_security/security_log.py) records every log-in; axes' access log
# would keep each one's address and browser a second time, in three more queries, for nobody
# (no page reads it).
AXES_DISABLE_ACCESS_LOG = True
SAMVAD_TRUSTED_PROXIES = int(env("SAMVAD_TRUSTED_PROXIES", "0"))  # reverse proxies in front

SESSION_ENGINE = "samvad.accounts_security.sessions"  # Django's database sessions, read faster
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = SAMVAD_SESSION_MAX_SECONDS
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SAMVAD_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
# No inline script or style anywhere: htmx and Swagger UI load from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Shown on the landing page so that a newcomer can walk every journey.
SAMVAD_DEMO = env_bool("SAMVAD_DEMO")
# Four eyes: a district's new setting that stops whoever wrote or last edited a post from
# approving it. On in production; off elsewhere, the demo included (one editor walks it).
SAMVAD_FOUR_EYES = env_bool("SAMVAD_FOUR_EYES", PRODUCTION)

# The worker: how long a claimed job is leased before another worker may recover it, and the
# period of the heartbeat job that shows the worker is alive (tests shorten it).
SAMVAD_JOB_LEASE_SECONDS = int(env("SAMVAD_JOB_LEASE_SECONDS", "300"))
SAMVAD_HEARTBEAT_SECONDS = int(env("SAMVAD_HEARTBEAT_SECONDS", "60"))
# How often campaigns measure their accounts and posts on X (the demo measures every minute).
SAMVAD_CAMPAIGN_MEASURE_MINUTES = float(env("SAMVAD_CAMPAIGN_MEASURE_MINUTES", "15"))
# How often the inbox fetches the official accounts' mentions from X.
SAMVAD_INBOX_FETCH_SECONDS = int(env("SAMVAD_INBOX_FETCH_SECONDS", "60"))
# When (IST, HH:MM) the daily campaign report is made and sent.
SAMVAD_DAILY_REPORT_TIME = env("SAMVAD_DAILY_REPORT_TIME", "18:00")
# Each post's daily metric rows are kept this many days; after that one final row remains.
SAMVAD_METRIC_DAYS = int(env("SAMVAD_METRIC_DAYS", "7"))

# Publishing (samvad/publishing): the lease on a claimed post (renewed every third of it while
# the worker works, so a killed worker's account waits at most this long), how often the publishing
# loop looks for due posts on SQLite (PostgreSQL wakes it with NOTIFY), how often the reconciler
# runs, and how long after a post became uncertain it is posted again when X does not show it
# (longer than any call to X lasts).
SAMVAD_PUBLISH_LEASE_SECONDS = float(env("SAMVAD_PUBLISH_LEASE_SECONDS", "20"))
SAMVAD_PUBLISH_POLL_SECONDS = float(env("SAMVAD_PUBLISH_POLL_SECONDS", "0.5"))
SAMVAD_RECONCILE_SECONDS = float(env("SAMVAD_RECONCILE_SECONDS", "30"))
SAMVAD_RECONCILE_GRACE_SECONDS = float(env("SAMVAD_RECONCILE_GRACE_SECONDS", "120"))

# X: the API (the local sandbox in development), this installation's X app, and the key ring that
# seals the accounts' tokens (first key current; separate from SECRET_KEY so either can rotate).
SAMVAD_X_API_BASE_URL = env("SAMVAD_X_API_BASE_URL", "https://api.x.com")
SAMVAD_X_AUTHORIZE_URL = env("SAMVAD_X_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize")
SAMVAD_X_WEB_BASE_URL = env("SAMVAD_X_WEB_BASE_URL", "https://x.com")  # web intents staff tap
SAMVAD_X_CLIENT_ID = env("SAMVAD_X_CLIENT_ID")
SAMVAD_X_CLIENT_SECRET = env("SAMVAD_X_CLIENT_SECRET")
SAMVAD_X_CONSUMER_KEY = env("SAMVAD_X_CONSUMER_KEY")  # OAuth 1.0a, for pasted user tokens
SAMVAD_X_CONSUMER_SECRET = env("SAMVAD_X_CONSUMER_SECRET")
SAMVAD_TOKEN_KEYS = [k.strip() for k in env("SAMVAD_TOKEN_KEYS").split(",") if k.strip()]
if not SAMVAD_TOKEN_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("SAMVAD_TOKEN_KEYS (or SAMVAD_TOKEN_KEYS_FILE) must be set.")
    SAMVAD_TOKEN_KEYS = datadir.dev_secret("token_keys").split()
# X's pay-per-use prices in USD (override any of them with JSON in SAMVAD_X_PRICES).
SAMVAD_X_PRICES = {
    "post_read": "0.005",
    "user_read": "0.010",
    "follow_read": "0.010",
    "owned_read": "0.001",
    "like_read": "0.001",
    "post_create": "0.015",
    "post_with_url": "0.20",
    "reply_to_mention": "0.010",
} | json.loads(env("SAMVAD_X_PRICES", "{}"))
# Every district's daily X budget unless its admin sets another, in rupees; the ledger is in
# dollars at this rate. At the budget reads stop; publishing goes on into a reserve above it.
SAMVAD_X_DAILY_BUDGET_INR = int(env("SAMVAD_X_DAILY_BUDGET_INR", "250"))
SAMVAD_INR_PER_USD = Decimal(env("SAMVAD_INR_PER_USD", "88"))
SAMVAD_X_PUBLISH_RESERVE = Decimal(env("SAMVAD_X_PUBLISH_RESERVE", "0.25"))

# `samvad generate`: the app labels whose generators run, in order (empty: INSTALLED_APPS order).
SAMVAD_GENERATORS = [a for a in env("SAMVAD_GENERATORS").split(",") if a]

# Production logs one JSON object per line (python-json-logger), ready to ship; every line written
# while a request is served carries its request id (samvad.ops.middleware). Elsewhere, plain text.
SAMVAD_LOG_JSON = env_bool("SAMVAD_LOG_JSON", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "samvad.ops.middleware.RequestContextFilter"},
        "forbidden_in_one_line": {"()": "samvad.accounts_security.logs.ForbiddenInOneLine"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": "time",  # ISO 8601, UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            **({"formatter": "json"} if SAMVAD_LOG_JSON else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO; the ledger already records each call to X.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "httpx": {"level": "WARNING"},
        # A refused request is an expected answer, not a fault: one line, no traceback.
        "django.request": {"filters": ["forbidden_in_one_line"]},
    },
}
