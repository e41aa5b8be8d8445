"""All settings, read from environment variables (see docs/configuration.md).

Defaults give a working demo on embedded SQLite; production sets STEGVIS_SECRET_KEY,
STEGVIS_ALLOWED_HOSTS, DATABASE_URL and STEGVIS_HTTPS=true.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The one place data lives unless DATABASE_URL/STEGVIS_MEDIA_ROOT say otherwise.
DATA_DIR = Path(
    os.environ.get("STEGVIS_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "stegvis"
)


def _secret_key() -> str:
    key = os.environ.get("STEGVIS_SECRET_KEY")
    if key:
        return key
    # Without a configured key, keep one per data directory so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("STEGVIS_DEBUG", False)
ALLOWED_HOSTS = env_list("STEGVIS_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("STEGVIS_CSRF_TRUSTED_ORIGINS", "")

HTTPS = env_bool("STEGVIS_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("STEGVIS_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("STEGVIS_HSTS_PRELOAD", HTTPS)
if env_bool("STEGVIS_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("STEGVIS_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "stegvis.core",
    "stegvis.accounts",
    "stegvis.organisations",
    "stegvis.access",
    "stegvis.participants",
    "stegvis.consents",
    "stegvis.mapping",
    "stegvis.notes",
    "stegvis.plans",
    "stegvis.outcomes",
    "stegvis.activities",
    "stegvis.reporting",
    "stegvis.placements",
    "stegvis.dropin",
    "stegvis.progression",
    "stegvis.languagelevels",
    "stegvis.transfer",
    "stegvis.api",
    "stegvis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stegvis.urls"
WSGI_APPLICATION = "stegvis.wsgi.application"

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
                "stegvis.core.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = DATA_DIR / "stegvis.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{_default_sqlite}",
        conn_max_age=int(os.environ.get("STEGVIS_DB_CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the demo serve reads while a write is in progress.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT spends longer compiling the indicator and drill-down subqueries than
    # running them (0.2-5 s against ~40 ms at demo size); these are short interactive queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (per username and address).
AXES_FAILURE_LIMIT = int(os.environ.get("STEGVIS_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("STEGVIS_LOGIN_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STEGVIS_STATIC_ROOT") or DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app directories when collectstatic has not been run (the demo).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("STEGVIS_MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "media/"

COUNTRIES_FIRST = ["SE"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STEGVIS_LOG_LEVEL", "WARNING")},
}

# Rows per page in lists; the list pages pin their query counts independent of this.
PAGE_SIZE = int(os.environ.get("STEGVIS_PAGE_SIZE", 50))

# ---------------------------------------------------------------------------------------------
# REST API (stegvis.api): personal bearer tokens or the session; every view checks access
# itself through the access layer. Schema and docs at /api/v1/schema/ and /api/v1/docs/.
# Requests per user to the API, e.g. "1000/min" or "50000/day"; "off" for no limit.
API_RATE: str | None = os.environ.get("STEGVIS_API_RATE", "1000/min")
if (API_RATE or "").strip().lower() in ("", "off", "none"):
    API_RATE = None
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with a Bearer challenge.
        "stegvis.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "stegvis.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["stegvis.api.throttling.UserBudget"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "stegvis.api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stegvis API",
    "DESCRIPTION": (
        "Participants, enrollments, activities, exits and more, scoped exactly like the "
        "pages: you see what your role and organisation see, and every personal record "
        "returned is written to the access log. Authenticate with a personal token "
        "(Authorization: Bearer <token>, created under 'API tokens')."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields get one name each.
    "ENUM_NAME_OVERRIDES": {
        "OccupationEnum": "stegvis.outcomes.models.Occupation",
        "SupportSourceEnum": "stegvis.outcomes.models.SupportSource",
        "ParticipantLanguageEnum": "stegvis.participants.languages.LANGUAGE_CHOICES",
        "CountryEnum": "stegvis.api.serializers.COUNTRY_CHOICES",
        "AnswerEnum": "stegvis.outcomes.models.Answer",
        "EnrollmentStatusEnum": "stegvis.participants.models.EnrollmentStatus",
        "AttendanceStatusEnum": "stegvis.activities.models.AttendanceStatus",
    },
}
