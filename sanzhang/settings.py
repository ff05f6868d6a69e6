"""Settings, read from the environment (or a `.env` file) with safe development defaults.

A fresh clone runs with no configuration: SQLite under `var/`, DEBUG on, a development key.
Production sets DEBUG=false, SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY, DATABASE_URL and
ALLOWED_HOSTS (see README, "Settings").
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105 (development only; refused when DEBUG is off) # nosec B105
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    # Our apps come before django.contrib.admin so their registration/ templates win.
    "sanzhang.core",
    "sanzhang.access",
    "sanzhang.security",
    "sanzhang.audit",
    "sanzhang.places",
    "sanzhang.people",
    "sanzhang.register",
    "sanzhang.signup",
    "sanzhang.posts",
    "sanzhang.issues",
    "sanzhang.triage",
    "sanzhang.notifications",
    "sanzhang.schedules",
    "sanzhang.supervision",
    "sanzhang.visits",
    "sanzhang.awards",
    "sanzhang.volunteers",
    "sanzhang.wishes",
    "sanzhang.points",
    "sanzhang.party",
    "sanzhang.councils",
    "sanzhang.vetting",
    "sanzhang.training",
    "sanzhang.evaluations",
    "sanzhang.partners",
    "sanzhang.funds",
    "sanzhang.announcements",
    "sanzhang.marketplace",
    "sanzhang.rotation",
    "sanzhang.open311",
    "sanzhang.console",
    "sanzhang.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "django_tasks_db",
]

MIDDLEWARE = [
    "sanzhang.core.api_version.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sanzhang.security.middleware.PrivacyHeadersMiddleware",
    "sanzhang.core.body_limit.BodyLimitMiddleware",
    "sanzhang.core.input_hygiene.InputHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanzhang.core.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sanzhang.core.middleware.SessionTimeoutMiddleware",
    "sanzhang.security.ratelimits.RateLimitMiddleware",
    # The second factor before the password change: a stolen password alone changes nothing.
    "sanzhang.security.middleware.SecondFactorMiddleware",
    "sanzhang.security.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanzhang.urls"
WSGI_APPLICATION = "sanzhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanzhang.access.menu.navigation",
                "sanzhang.notifications.views.unread_notices",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env("DATABASE_URL")
    if url:
        max_age = int(env("DB_CONN_MAX_AGE", "0"))
        return dict(dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "sanzhang.sqlite3",
        # A thread keeps its connection between requests (opening one ran the PRAGMAs and
        # registered Django's functions every request: a tenth of a loaded worker's samples).
        "CONN_MAX_AGE": int(env("DB_CONN_MAX_AGE", "60")),
        # IMMEDIATE transactions and WAL: concurrent writers wait their turn instead of
        # failing with "database is locked" (measured, see docs/promises.md).
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": env("SQLITE_TEST_NAME") or None},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Reads the user with their organisation's place. (Sessions signed in before it named
    # Django's ModelBackend: those sign in again once.)
    "sanzhang.access.backends.ScopedModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
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
    {"NAME": "sanzhang.core.passwords.CharacterClassValidator"},
    {"NAME": "sanzhang.security.passwords.NotRecentlyUsedValidator"},
]
PASSWORD_MAX_AGE_DAYS = int(env("PASSWORD_MAX_AGE_DAYS", "90"))
# A result fed back and not rated: the resident is reminded after this many days, and the
# community or county office calls them back (回访) after this many.
RATING_REMINDER_DAYS = int(env("RATING_REMINDER_DAYS", "3"))
CALLBACK_AFTER_DAYS = int(env("CALLBACK_AFTER_DAYS", "7"))
LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "sanzhang.core.error_pages.csrf_failure"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out: 5 failures within 15 minutes lock the user name for 15 minutes from that address,
# whether or not the account exists, so the response never tells which names are real. By
# name and address together: by name alone, anyone who knows a name could lock its holder out.
# Guessing across names from one address is bounded by the rate limits below.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind N reverse proxies (TLS terminator, load balancer) the client's address is the N-th
# from the right in X-Forwarded-For; audit rows and axes use the same rule.
TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "sanzhang.audit.services.client_ip"
# axes.W006 asks to lock by IP as well. Offices reach us through one shared address, so an IP
# lock would let one mistyped password lock out a whole township; requests per IP are limited
# separately (rate limits), and user names are locked whether or not they exist.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Request rates (security/ratelimits.py, django-ratelimit), counted on POSTs only. `per`:
# "address" (generous: an office shares one) or "account" (the signed-in or bearer account);
# `paths`: a pattern of the paths counted, or none for every upload (a POST with files) anywhere.
# Rates are "count/period": s, m, h, d, with a multiplier ("100/10m").
RATE_LIMITS = {
    "login": {
        "per": "address",
        "rate": env("RATE_LOGIN_PER_ADDRESS", "100/10m"),
        "paths": r"^/accounts/login/$|^/admin/login/$|^/api/v1/auth/token/password$",
    },
    "signup": {
        "per": "address",
        "rate": env("RATE_SIGNUP_PER_ADDRESS", "60/10m"),
        # Also the merchants' sign-in by code and the public application (服务微平台).
        "paths": r"^/signup/(code/)?$|^/api/v1/auth/(code|token|wechat)$"
        r"|^/services/sign-in/(code/)?$|^/services/apply/$",
    },
    "report": {
        "per": "account",
        "rate": env("RATE_REPORT_PER_ACCOUNT", "30/h"),
        # Not the leaders' form (/issues/new/): a grid leader types up a meeting's paper list.
        "paths": r"^/r/$|^/api/v1/issues/?$|^/open311/",
    },
    "report-address": {
        "per": "address",
        "rate": env("RATE_REPORT_PER_ADDRESS", "600/h"),
        "paths": r"^/r/$|^/api/v1/issues/?$|^/issues/new/$|^/open311/",
    },
    "booking": {
        "per": "account",
        "rate": env("RATE_BOOKING_PER_ACCOUNT", "20/h"),
        "paths": r"^/services/listings/\d+/book/$",
    },
    "upload": {"per": "account", "rate": env("RATE_UPLOAD_PER_ACCOUNT", "120/h"), "paths": ""},
}
# The counters: Redis when RATELIMIT_REDIS_URL is set (several processes or machines share
# it); else a table in the database, counted by conditional UPDATEs (security/counters.py).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "ratelimit"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("RATELIMIT_REDIS_URL"),
        }
        if env("RATELIMIT_REDIS_URL")
        else {"BACKEND": "sanzhang.security.counters.DatabaseCounterCache"}
    ),
}
# Two-factor sign-in (TOTP, with recovery codes) for the county office and the three
# administrators (SECURITY.md promise 4): after the password, a code from an authenticator app.
# The role values of people.models.Role (settings cannot import models).
# The organisation department reads confidential vettings of cadres (干部考察).
TOTP_REQUIRED_ROLES = (
    "county_office",
    "org_department",
    "system_admin",
    "security_admin",
    "auditor",
)
TOTP_REQUIRED = env_bool("TOTP_REQUIRED", True)
OTP_TOTP_ISSUER = "三长联动"
# Secrets and recovery codes stay out of the admin, whoever may open it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after 30 minutes idle and 12 hours at most (SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_MAX_SECONDS = int(env("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Residents' phone, ID number and address are encrypted at rest (Fernet; the first key
# encrypts, all keys decrypt, so keys rotate) and found through a keyed hash.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env("FIELD_HASH_KEY")
if not DEBUG and not (FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY must be set.")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
WHITENOISE_USE_FINDERS = DEBUG
# Production serves the collected files compressed under hashed names (cached for a year);
# development reads them from the apps as they are edited.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "sanzhang.core.storage.StaticStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Media (photos, receipts, licences) on the local disk under VAR_DIR, or with MEDIA_STORAGE=s3 in
# an S3-compatible bucket (django-storages), shared by every application server. The bucket stays
# private: photos are still streamed by the views that check who may see them, never linked to
# (a presigned URL would leave the access check, and the CSP allows images from this site only).
MEDIA_STORAGE = env("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE == "s3":
    if not env("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket's own: private
            "file_overwrite": False,  # as on disk: a name taken gets a new one
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A whole request, files included: six photos of at most 8 MB and the form around them.
MAX_REQUEST_BODY_BYTES = int(env("MAX_REQUEST_BODY_BYTES", str(52 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50
# Every list of the API: at most 200 rows a page, larger limits refused (core/pagination.py).
NINJA_PAGINATION_CLASS = "sanzhang.core.pagination.BoundedPagination"

# Background work through Django's tasks API: a database-backed queue by default (no extra
# server; `manage.py db_worker` runs it), or Redis through RQ with TASKS_ENGINE=redis (the
# `redis` extra; `manage.py rqworker --job-class django_tasks_rq.Job default` runs it).
# Outgoing notices retry with exponential backoff.
TASKS_ENGINE = env("TASKS_ENGINE", "database").strip().lower()
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_ENGINE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_ENGINE == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    raise ImproperlyConfigured(f"TASKS_ENGINE must be 'database' or 'redis', not {TASKS_ENGINE!r}")
# The daily summary (每日一汇总) covers the 24 hours up to this hour, local time, and is
# produced then.
DAILY_SUMMARY_HOUR = int(env("DAILY_SUMMARY_HOUR", "20"))
# Bearer tokens' lifetimes in days: a phone's (renewed by signing in again), another system's.
API_TOKEN_DAYS = {
    "device": int(env("API_TOKEN_DEVICE_DAYS", "90")),
    "system": int(env("API_TOKEN_SYSTEM_DAYS", "365")),
}
# WeChat mini-program login (code2session): off unless the county's mini-program is configured.
WECHAT_APP_ID = env("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env("WECHAT_APP_SECRET", "")
WECHAT_CODE2SESSION_URL = env(
    "WECHAT_CODE2SESSION_URL", "https://api.weixin.qq.com/sns/jscode2session"
)
WECHAT_PROVIDER = env("WECHAT_PROVIDER", "sanzhang.signup.wechat.MiniProgram")
# The morning digest of what waits on each leader and staff member who asked for it (local hour).
DAILY_DIGEST_HOUR = int(env("DAILY_DIGEST_HOUR", "7"))
DELIVERY_MAX_ATTEMPTS = int(env("DELIVERY_MAX_ATTEMPTS", "5"))
DELIVERY_BACKOFF_SECONDS = int(env("DELIVERY_BACKOFF_SECONDS", "30"))
DELIVERY_TIMEOUT_SECONDS = int(env("DELIVERY_TIMEOUT_SECONDS", "5"))
# A scheduled run still `running` (or `queued`) this long after it started (or was queued)
# is taken back and queued again: its worker died. Longer than any run takes.
SCHEDULED_RUN_LEASE_MINUTES = int(env("SCHEDULED_RUN_LEASE_MINUTES", "60"))
# Where the audit log is shipped every hour (audit/shipping.py): in production a mount of the
# log host, or a folder a forwarder reads; the chain's head is anchored there.
AUDIT_SHIP_DIR = Path(env("AUDIT_SHIP_DIR", str(VAR_DIR / "audit-shipped")))
# Sign-up codes go to the SMS provider set at the top of the place tree; with none, and this
# on (development), into var/dev-sms.txt instead.
SMS_DEV_OUTBOX = env_bool("SMS_DEV_OUTBOX", DEBUG)
if SMS_DEV_OUTBOX and not DEBUG:
    raise ImproperlyConfigured("SMS_DEV_OUTBOX writes sign-up codes to a file: development only")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Backups (`manage.py backup` and `restore`, docs/backups.md): archives are encrypted with age to
# these public keys; the matching secret key is needed only to restore, and is kept offline.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_AGE_RECIPIENTS = env_list("BACKUP_AGE_RECIPIENTS")
BACKUP_AGE_IDENTITY = env("BACKUP_AGE_IDENTITY")
