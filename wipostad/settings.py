"""Settings for wipostad, read from the environment.

Every setting that differs between a laptop and production comes from an environment
variable (see .env.example). Values that cannot be understood stop the process at start
with a message naming the variable, rather than being silently replaced by a default.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (see .env.example), or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "import_export",
    "rules",
    "standards",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before anything that renders text: picks the language from the
    # cookie set by the switcher (django.views.i18n.set_language), then Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wipostad.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "wipostad.urls"

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
                "surveys.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "wipostad.wsgi.application"

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))}
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL could not be understood: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Object permissions come from the rules of surveys/permissions.py; model permissions
# (what the admin asks, granted to the secretariat's group) from the database.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "surveys:dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The three languages of WIPO's standards pages, each named in its own language (the
# switcher shows these names as they are).
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Hashed file names need `collectstatic` first; off for development and tests. Compressed
# copies (gzip, Brotli) are made by `collectstatic` too, which takes a minute or more for
# the API documentation's files: DJANGO_STATIC_COMPRESS=0 skips them (throw-away servers).
if not env_bool("DJANGO_STATIC_MANIFEST", not DEBUG):
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif env_bool("DJANGO_STATIC_COMPRESS", True):
    _STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
else:
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}

# Uploaded attachments live outside the static tree and are only ever served by a
# view that checks who is asking (never by URL alone).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
WIPOSTAD_MAX_ATTACHMENT_BYTES = env_int("WIPOSTAD_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = WIPOSTAD_MAX_ATTACHMENT_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# HTTPS: on in production through the environment (see .env.example); off by default so
# that the development server and the test client work over plain HTTP.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language chosen with the switcher is remembered for a year, in a cookie sent like
# the session cookie (HTTPS only in production); no script needs to read it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy: no inline scripts or styles anywhere; everything from this site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Sign-in throttling: after this many failures for one username or one address within
# the window, further attempts are refused until the window has passed.
WIPOSTAD_SIGNIN_MAX_FAILURES = env_int("WIPOSTAD_SIGNIN_MAX_FAILURES", 5)
WIPOSTAD_SIGNIN_WINDOW_SECONDS = env_int("WIPOSTAD_SIGNIN_WINDOW_SECONDS", 15 * 60)

# The cache holds the state every process must share (request throttling): by default
# a table in the database (made by `manage.py createcachetable`, which `make migrate`
# runs). DJANGO_CACHE_BACKEND names another backend (a dotted path, e.g.
# django.core.cache.backends.redis.RedisCache) and DJANGO_CACHE_LOCATION its location.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND", "").strip() or "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "").strip() or "wipostad_cache",
    }
}

# How many reverse proxies in front of the application append the address they received
# to X-Forwarded-For. 0: the client's address is REMOTE_ADDR and the header is ignored
# (anyone can write it); N: the N-th address from the right of the header.
WIPOSTAD_TRUSTED_PROXIES = env_int("WIPOSTAD_TRUSTED_PROXIES", 0)
if WIPOSTAD_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"WIPOSTAD_TRUSTED_PROXIES must be 0 or more (got {WIPOSTAD_TRUSTED_PROXIES}).")

# The ST.13 checker (web page and API): the most numbers and characters one request may
# send, and how many checks an anonymous client may ask for (N/second, minute, hour or day).
WIPOSTAD_CHECKER_MAX_NUMBERS = env_int("WIPOSTAD_CHECKER_MAX_NUMBERS", 10_000)
WIPOSTAD_CHECKER_MAX_CHARACTERS = env_int("WIPOSTAD_CHECKER_MAX_CHARACTERS", 150_000)
WIPOSTAD_CHECKER_RATE = os.environ.get("WIPOSTAD_CHECKER_RATE", "").strip() or "30/minute"
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", WIPOSTAD_CHECKER_RATE):
    raise ImproperlyConfigured(
        f"WIPOSTAD_CHECKER_RATE must be a number of requests per second, minute, hour or day, e.g. 30/minute "
        f"(got {WIPOSTAD_CHECKER_RATE!r})."
    )
for _name in ("WIPOSTAD_CHECKER_MAX_NUMBERS", "WIPOSTAD_CHECKER_MAX_CHARACTERS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more (got {globals()[_name]}).")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wipostad API",
    "DESCRIPTION": "Survey data of the Committee on WIPO Standards: questionnaire editions, responses, "
    "review workflow, ST.13 compliance and application-number checks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The ST.13 checker's verdict on a number, apart from the compliance rules' verdicts.
    "ENUM_NAME_OVERRIDES": {
        "NumberVerdictEnum": "surveys.api.serializers.NUMBER_VERDICTS",
        "RuleVerdictEnum": "standards.st13.Verdict",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "surveys.api.schema.document_common_refusals",
    ],
}
# Imports through the admin run in one transaction: a bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "wipostad@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The PDF library reports every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
