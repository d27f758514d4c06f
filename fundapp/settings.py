"""Linli's settings: one module, read from the environment with embedded defaults.

Every variable is documented in `.env.example`. The defaults (SQLite, Celery in
process, console email) need nothing running, so `make run` works on a bare
machine; production sets DJANGO_DEBUG=false and real services.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fundapp.environment import (
    cache_from_url,
    database_from_url,
    env,
    env_bool,
    env_int,
    env_list,
    rate_limits_from,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is false but DJANGO_SECRET_KEY is the development key: "
        "set DJANGO_SECRET_KEY to a long random value."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form widgets' own templates, found through TEMPLATES (FORM_RENDERER).
    "django.forms",
    "rules",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "pgtrigger",
    "pghistory",
    "fundapp.apps.FundConfig",
    "proposals.apps.ProposalsConfig",
    "councils.apps.CouncilsConfig",
    "projects.apps.ProjectsConfig",
    "reports.apps.ReportsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "fundapp.middleware.DeclaredSizeLimit",
    # Before anything reads the session or the user: an unchanged poll of a
    # live meeting is answered here, with no query.
    "councils.middleware.LivePollUnchanged",
    "django.middleware.common.CommonMiddleware",
    "fundapp.middleware.RowIdsInRange",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fundapp.middleware.SessionLimits",
    # After the user is known: the history of changes records who made them
    # and through which request (PostgreSQL; fundapp/history.py).
    "fundapp.middleware.HistoryContext",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fundapp.middleware.PermissionsPolicy",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fundapp.urls"
# Form widgets render through the project's templates, except a select,
# which fundapp/widgets.py writes in Python as Django's templates write it.
FORM_RENDERER = "fundapp.widgets.WidgetRenderer"
WSGI_APPLICATION = "fundapp.wsgi.application"

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
                "fundapp.context_processors.language_switch",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
# The accounts' index carries the balance for PostgreSQL (INCLUDE); SQLite
# makes the index without it, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)
CACHES = {"default": cache_from_url(env("DJANGO_CACHE_URL", "locmem://"))}
# A new release renders its pages afresh, even from a shared cache.
CACHES["default"]["KEY_PREFIX"] = env("LINLI_RELEASE", "")
# The live meeting's version (councils/live_version.py), read by every poll
# without a query, must be the same in every process: the default cache when
# it is shared (Redis) or keeps nothing, else files on this machine.
_DEFAULT_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
CACHES["live"] = cache_from_url(
    env("LINLI_LIVE_CACHE_URL", "")
    or (
        env("DJANGO_CACHE_URL", "locmem://")
        if _DEFAULT_CACHE in ("ForgivingRedisCache", "DummyCache")
        else f"file://{BASE_DIR / '.live-cache'}"
    )
)
CACHES["live"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "fundapp.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "fundapp.backends.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout (django-axes): after LINLI_LOGIN_FAILURE_LIMIT wrong passwords
# for one account (by phone or username alike), or from one address, logins
# are refused for LINLI_LOGIN_LOCKOUT_MINUTES, or until a social worker
# unlocks the account. Logins, failures and lockouts are recorded.
AXES_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LINLI_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "fundapp.ratelimits.login_name"
AXES_CLIENT_IP_CALLABLE = "fundapp.ratelimits.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Every login is an AccessLog row, stamped with its logout (the audit page).
AXES_DISABLE_ACCESS_LOG = False
AXES_VERBOSE = False
# History of changes (django-pghistory): PostgreSQL triggers write an event row
# for every insert, update and delete of the tracked tables, whoever connects;
# the events themselves can't be changed or deleted. The context (who, which
# request) is attached to writes made during POST/PUT/PATCH/DELETE requests.
# SQLite records no history (its triggers aren't installed).
PGHISTORY_APPEND_ONLY = True
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
RATE_LIMITS = rate_limits_from(env("LINLI_RATE_LIMITS", ""))
# Uploads: a request that declares more than this is refused before its body is
# read (a 10 MB file and its form); photos decoded at once in one process.
MAX_REQUEST_BYTES = env_int("LINLI_MAX_REQUEST_BYTES", 11 * 1024 * 1024)
IMAGE_REENCODING_AT_ONCE = env_int("LINLI_IMAGE_REENCODING_AT_ONCE", 2)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "fund:home"
LOGOUT_REDIRECT_URL = "fund:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("LINLI_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "linli@localhost")
# SMTP (with DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend):
# reports are submitted to the superior departments by email.
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "30"))

# Sessions end after an hour without a request and a day at most
# (fundapp.middleware.SessionLimits); the cookie itself lasts the day.
SESSION_IDLE_SECONDS = env_int("LINLI_SESSION_IDLE_SECONDS", 3600)
SESSION_COOKIE_AGE = env_int("LINLI_SESSION_MAX_SECONDS", 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from
# this site only; no inline script or style attribute, no eval (htmx's is off,
# templates/base.html); no framing, no plugins, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Powerful features no page uses (a photo is chosen with a file input, which
# needs no camera permission).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)
# HTTPS. Production serves only HTTPS; behind a proxy that terminates TLS,
# DJANGO_SECURE_PROXY_SSL_HEADER=true trusts its X-Forwarded-Proto (set it
# only when the proxy overwrites that header). The health check answers on
# plain HTTP too, for monitors on the machine.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://localhost//")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a worker took and never acknowledged (the worker was killed) goes
# back to the queue after this many seconds: longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(3 * 3600)))
}

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "fundapp.openapi.OpenDataSchema",
    # Read-only public data: the session of a signed-in reader, no passwords.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication"
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_CLASSES": ["fundapp.ratelimits.ApiThrottle"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Linli open data API",
    "DESCRIPTION": "Read-only public data of Linli's community funds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a `kind`; the meeting's choices get their own name.
    "ENUM_NAME_OVERRIDES": {"MeetingKindEnum": "councils.models.MeetingKind"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"error_reference": {"()": "fundapp.failures.ErrorReference"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # The failure's line carries the reference its reader saw (fundapp/failures.py).
    "loggers": {"django.request": {"filters": ["error_reference"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# Periodic jobs, each with its schedule in words; run by `celery -A fundapp beat`.
CELERY_BEAT_SCHEDULE = {
    "reconcile the ledger's cached balances, every night at 02:30": {
        "task": "fundapp.tasks.fund_reconcile_all",
        "schedule": crontab(hour=2, minute=30),
    },
}

# proposals: notification emails that found the broker or the mail server down
# are handed over again.
CELERY_BEAT_SCHEDULE["send the notification emails still owed, every 5 minutes"] = {
    "task": "proposals.tasks.notifications_send_pending",
    "schedule": crontab(minute="*/5"),
}

# councils: meeting notices go out at each meeting's lead time.
CELERY_BEAT_SCHEDULE["send the council meetings' due notices, every 15 minutes"] = {
    "task": "councils.tasks.meeting_notices_due",
    "schedule": crontab(minute="*/15"),
}

# reports: last year's annual reports are prepared in January; the social
# workers are reminded of the departments' deadlines; requests that found the
# broker down are queued again.
CELERY_BEAT_SCHEDULE[
    "prepare last year's annual report of every fund, on 2 January at 03:00"
] = {
    "task": "reports.tasks.reports_prepare_annual",
    "schedule": crontab(month_of_year=1, day_of_month=2, hour=3, minute=0),
}
CELERY_BEAT_SCHEDULE[
    "remind the social workers of the departments' deadlines, every day at 08:00"
] = {
    "task": "reports.tasks.reports_remind_deadlines",
    "schedule": crontab(hour=8, minute=0),
}
CELERY_BEAT_SCHEDULE["queue the reports waiting for the broker, every 5 minutes"] = {
    "task": "reports.tasks.reports_queue_waiting",
    "schedule": crontab(minute="*/5"),
}
