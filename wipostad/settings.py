"""Settings for wipostad, read from the environment.

Every setting that differs between a laptop and production comes from an environment
variable (see .env.example). Values that cannot be understood stop the process at start
with a message naming the variable, rather than being silently replaced by a default.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
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

# What a key copied from an example or a tutorial contains; a generated key never does.
_PLACEHOLDER_WORDS = ("replace-this", "change-me", "changeme", "your-secret", "secret-key", "placeholder", "insecure")
_SECRET_KEY_MIN_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why a secret key must not be used in production, or None when it may."""
    lowered = key.lower()
    if len(key) < _SECRET_KEY_MIN_LENGTH:
        return f"it is shorter than {_SECRET_KEY_MIN_LENGTH} characters"
    if len(set(key)) < 5:
        return "it repeats too few different characters"
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return "it is a placeholder (such as the one in .env.example), not a generated key"
    return None


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (see .env.example), or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"
elif not DEBUG and (_key_problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY cannot be used with DJANGO_DEBUG=0: {_key_problem}. Generate one, e.g. with "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`, and keep it out of version control.'
    )

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
    "django_tasks",
    "django_tasks_db",
    "axes",
    "standards",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after the static files: answers anonymous visits of a published response
    # page from the cache, before sessions, authentication and the view.
    "surveys.responses.page_cache.PublishedPageCacheMiddleware",
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
    # Last: turns a sign-in refused by the lockout into the lockout page or JSON refusal.
    "axes.middleware.AxesMiddleware",
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

# SQLite lets one writer at a time: in WAL mode readers never wait for it, every
# transaction that may write takes the write lock when it starts (IMMEDIATE: no deadlock
# when two transactions that read first both want to write), and a writer waits up to
# WIPOSTAD_SQLITE_TIMEOUT seconds for the lock before giving up ("database is locked",
# answered like a version clash: nothing lost).
WIPOSTAD_SQLITE_TIMEOUT = env_int("WIPOSTAD_SQLITE_TIMEOUT", 20)


def sqlite_database(name: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": WIPOSTAD_SQLITE_TIMEOUT,
        },
    }


_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))}
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL could not be understood: {exc}") from None
else:
    DATABASES = {"default": sqlite_database(os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))}

# A read replica (DATABASE_REPLICA_URL, e.g. a PostgreSQL streaming standby): every write
# and every read goes to the primary ("default") except the reads a piece of work asks
# for explicitly with wipostad.db_router.replica_reads() — long read-only work such as
# building a report or an export, which may lag the primary by the replica's delay. Reads
# inside a transaction on the primary stay on the primary (they must see its writes), and
# migrations run on the primary only. Under test the replica is the primary itself.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    if not _database_url:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) to be set as well.")
    try:
        DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL could not be understood: {exc}") from None
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["wipostad.db_router.PrimaryReplicaRouter"]

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
# django-axes comes first: it refuses a locked-out username and address before any
# password is checked (see the sign-in lockout below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's password check, refusing the demo accounts' published password with DEBUG off.
    "surveys.accounts.backends.PasswordBackend",
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
# Attachments and built exports go through Django's default storage: files under
# MEDIA_ROOT on this machine, or, when WIPOSTAD_S3_BUCKET is set, a bucket of any service
# speaking the S3 API (shared by every app server and worker). Objects are private and the
# application never hands out their URLs: every file is read through the storage by a view
# that checks who is asking. Without access keys, the credentials come from the
# environment of the machine (an instance role, AWS_* variables or files).
WIPOSTAD_S3_BUCKET = os.environ.get("WIPOSTAD_S3_BUCKET", "").strip()
if WIPOSTAD_S3_BUCKET:
    _s3_addressing = os.environ.get("WIPOSTAD_S3_ADDRESSING_STYLE", "").strip().lower() or "auto"
    if _s3_addressing not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"WIPOSTAD_S3_ADDRESSING_STYLE must be one of auto, path, virtual (got {_s3_addressing!r})."
        )
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": WIPOSTAD_S3_BUCKET,
            "endpoint_url": os.environ.get("WIPOSTAD_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("WIPOSTAD_S3_REGION", "").strip() or None,
            "access_key": os.environ.get("WIPOSTAD_S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("WIPOSTAD_S3_SECRET_ACCESS_KEY", "").strip() or None,
            "addressing_style": _s3_addressing,
            # Keys under this prefix only (one bucket may serve several installations).
            "location": os.environ.get("WIPOSTAD_S3_PREFIX", "").strip().strip("/"),
            "default_acl": "private",
            # A URL, should one ever be asked for, is signed and expires; none is public.
            "querystring_auth": True,
            "querystring_expire": 300,
            # Like the file system: a name in use gets a new one rather than replacing a file.
            "file_overwrite": False,
            # A file read from the bucket is held in memory up to this size, then on disk.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}

# Uploaded attachments live outside the static tree and are only ever served by a
# view that checks who is asking (never by URL alone).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
WIPOSTAD_MAX_ATTACHMENT_BYTES = env_int("WIPOSTAD_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
# A request's body apart from uploaded files (a form post, an API request): the whole
# questionnaire at its answers' size limits takes a few hundred kilobytes; larger is
# refused (400 on the pages, 413 in the API) before it is read. Likewise the number of
# fields in a form post (the questionnaire form posts about a thousand at most).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("WIPOSTAD_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("WIPOSTAD_MAX_FORM_FIELDS", 3000)
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
# The health check answers the load balancer over plain HTTP too (it holds nothing private).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

# The sign-in lockout (django-axes, surveys/accounts/lockout.py): failures are counted in
# the database for a username and a client address together, through the sign-in page,
# the admin's login and the API token alike; after this many within the window, that
# username cannot sign in from that address until the window has passed (or the
# secretariat lifts the lockout at /accounts/lockouts/).
WIPOSTAD_SIGNIN_MAX_FAILURES = env_int("WIPOSTAD_SIGNIN_MAX_FAILURES", 5)
WIPOSTAD_SIGNIN_WINDOW_SECONDS = env_int("WIPOSTAD_SIGNIN_WINDOW_SECONDS", 15 * 60)
# How many proxies in front of the application append to X-Forwarded-For: 0 reads the
# client's address from the connection alone (the header is anyone's to write); N reads
# the N-th address from the right of X-Forwarded-For (surveys/client_address.py).
WIPOSTAD_TRUSTED_PROXIES = env_int("WIPOSTAD_TRUSTED_PROXIES", 0)
if WIPOSTAD_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"WIPOSTAD_TRUSTED_PROXIES must be 0 or more (got {WIPOSTAD_TRUSTED_PROXIES}).")
if WIPOSTAD_SIGNIN_MAX_FAILURES < 1 or WIPOSTAD_SIGNIN_WINDOW_SECONDS < 1:
    raise ImproperlyConfigured("WIPOSTAD_SIGNIN_MAX_FAILURES and WIPOSTAD_SIGNIN_WINDOW_SECONDS must be 1 or more.")
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = WIPOSTAD_SIGNIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=WIPOSTAD_SIGNIN_WINDOW_SECONDS)
AXES_CLIENT_IP_CALLABLE = "surveys.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "surveys.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# A successful sign-in forgets the earlier failures; attempts during a lockout do not
# move its end, so the time the page gives stays true.
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Only failures are kept (and only for the window), not a log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner on every command; lockouts are still logged.
AXES_VERBOSE = False

# The cache holds the state every process must share (request throttling): by default
# a table in the database (made by `manage.py createcachetable`, which `make migrate`
# runs). REDIS_URL (redis://host:6379/0, rediss:// for TLS) puts it in Redis instead;
# DJANGO_CACHE_BACKEND names any other backend (a dotted path) and DJANGO_CACHE_LOCATION
# its location. Never a cache local to one process: app servers and workers must agree.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if os.environ.get("DJANGO_CACHE_BACKEND", "").strip():
        raise ImproperlyConfigured("Set REDIS_URL or DJANGO_CACHE_BACKEND, not both: they both choose the cache.")
    if not re.match(r"(rediss?|unix)://", REDIS_URL):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {REDIS_URL.split('@')[-1]!r})."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND", "").strip()
            or "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "").strip() or "wipostad_cache",
        }
    }
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        # Entries kept before the oldest third is dropped: Django's default, 300, is too
        # few for a count per client and the cached pages.
        CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("WIPOSTAD_CACHE_MAX_ENTRIES", 50_000)}
# Sessions are kept in the database, shared by every process. With Redis, in the cache
# too (cached_db): a signed-in request reads its session from Redis, and every change is
# written to the database as well, so that a restarted or emptied Redis signs nobody out.
# (Sessions in the cache alone would be lost with it; in a database cache, cached_db
# would only read the database twice.)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# Published response pages (surveys/responses/page_cache.py) are kept apart from the
# shared state above, so that many pages never push throttles or lockouts out: their own
# table with the database backend, their own key prefix with another backend.
CACHES["published_pages"] = (
    {**CACHES["default"], "LOCATION": "wipostad_page_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    else {**CACHES["default"], "KEY_PREFIX": "published-pages"}
)
WIPOSTAD_PUBLISHED_PAGE_SECONDS = env_int("WIPOSTAD_PUBLISHED_PAGE_SECONDS", 60 * 60)
# Each process keeps the published pages it served this many seconds without asking the
# cache again (0: ask every time); another process's change shows after at most this long.
WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS = env_int("WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS", 1)

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

# A response as a PDF or DOCX file (surveys/responses/document_views.py): how many files
# an anonymous client may have built (N/second, minute, hour or day); a published
# response's file kept in the cache is sent without counting.
WIPOSTAD_RESPONSE_DOCUMENT_RATE = os.environ.get("WIPOSTAD_RESPONSE_DOCUMENT_RATE", "").strip() or "20/minute"
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", WIPOSTAD_RESPONSE_DOCUMENT_RATE):
    raise ImproperlyConfigured(
        f"WIPOSTAD_RESPONSE_DOCUMENT_RATE must be a number of files per second, minute, hour or day, e.g. "
        f"20/minute (got {WIPOSTAD_RESPONSE_DOCUMENT_RATE!r})."
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON nested deeper than any request needs is refused (400), and forms as DRF reads them.
    "DEFAULT_PARSER_CLASSES": [
        "surveys.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "surveys.api.parsers.exception_handler",
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
# Spreadsheet imports (standards.sheet_uploads): at most this many data rows (about 200
# offices with a few numbering systems each fit many times over) and bytes, refused before
# the file is read whole. A previewed file waits for its confirmation in a folder of its
# own; files older than the given seconds are removed when another preview starts and by
# `manage.py clear_import_previews`.
WIPOSTAD_IMPORT_MAX_ROWS = env_int("WIPOSTAD_IMPORT_MAX_ROWS", 2000)
WIPOSTAD_IMPORT_MAX_BYTES = env_int("WIPOSTAD_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
WIPOSTAD_IMPORT_PREVIEW_DIR = Path(
    os.environ.get("WIPOSTAD_IMPORT_PREVIEW_DIR", "").strip() or str(BASE_DIR / "var" / "import-previews")
)
WIPOSTAD_IMPORT_PREVIEW_MAX_AGE = env_int("WIPOSTAD_IMPORT_PREVIEW_MAX_AGE", 60 * 60)
IMPORT_EXPORT_TMP_STORAGE_CLASS = "standards.sheet_uploads.PreviewFolder"


def _email_url_settings() -> dict:
    """EMAIL_* settings from EMAIL_URL (e.g. smtp+tls://user:password@host:587), or none."""
    raw = os.environ.get("EMAIL_URL", "").strip()
    if not raw:
        return {}
    try:
        parsed = environ.Env.email_url_config(raw)
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(f"EMAIL_URL could not be understood: {exc}") from None
    timeout = (parsed.pop("OPTIONS", None) or {}).get("TIMEOUT")
    return {key: value for key, value in {**parsed, "EMAIL_TIMEOUT": timeout}.items() if value is not None}


# E-mail: EMAIL_URL, or one variable per setting; a variable that is set wins over the URL.
_email = _email_url_settings()
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", _email.get("EMAIL_HOST", "localhost"))
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", _email.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", _email.get("EMAIL_HOST_USER", ""))
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", _email.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", _email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", _email.get("EMAIL_USE_SSL", False))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "E-mail: use STARTTLS (DJANGO_EMAIL_USE_TLS, smtp+tls://) or TLS from the start "
        "(DJANGO_EMAIL_USE_SSL, smtp+ssl://), not both."
    )
# Seconds to wait for the mail server; without it a hung server would hold a worker forever.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", _email.get("EMAIL_TIMEOUT") or 30)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "wipostad@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks): e-mail is sent by a task after the step commits.
# "database": tasks wait in the database for `manage.py db_worker` (production);
# "immediate": they run at once in the process that queues them (development, tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("WIPOSTAD_TASKS_BACKEND", "immediate" if DEBUG else "database").strip().lower()
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"WIPOSTAD_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} (got {_tasks_backend!r})."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}
# How many times a message is tried before it is shown as failed (the tries are spaced
# out: 1 minute, then 4, 16 …); the secretariat can send it again from the admin.
WIPOSTAD_MAIL_ATTEMPTS = env_int("WIPOSTAD_MAIL_ATTEMPTS", 3)
# Heavy report files (PDF, DOCX, XLSX, the CSV zip) are built by tasks and kept in the
# default storage (surveys/reports/builds.py). When a response is published or reopened,
# the public files of its round are queued at once, so that visitors never wait for a
# build; off by default where tasks run in the requesting process. A build running for
# longer than WIPOSTAD_EXPORT_BUILD_TIMEOUT seconds counts as failed and can be retried.
WIPOSTAD_PREPARE_PUBLIC_EXPORTS = env_bool("WIPOSTAD_PREPARE_PUBLIC_EXPORTS", _tasks_backend == "database")
WIPOSTAD_EXPORT_BUILD_TIMEOUT = env_int("WIPOSTAD_EXPORT_BUILD_TIMEOUT", 30 * 60)
# The report page is read from a stored build of the report (one per state of the figures).
# A round with at most this many responses in scope is built while the request waits (well
# under a second); a larger one is built by a task while the page shows how far it has got.
WIPOSTAD_REPORT_INLINE_LIMIT = env_int("WIPOSTAD_REPORT_INLINE_LIMIT", 200)
if WIPOSTAD_REPORT_INLINE_LIMIT < 0:
    raise ImproperlyConfigured(f"WIPOSTAD_REPORT_INLINE_LIMIT must be 0 or more (got {WIPOSTAD_REPORT_INLINE_LIMIT}).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The PDF library reports every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Automatic reminders to offices that have not submitted every response of a round: the
# days before the round's deadline and the days after it (a new round's defaults; each
# round's own schedule is on its form). Sent by `manage.py send_reminders`, run daily.
WIPOSTAD_REMINDER_DAYS_BEFORE = os.environ.get("WIPOSTAD_REMINDER_DAYS_BEFORE", "14,7,1").strip()
WIPOSTAD_REMINDER_DAYS_AFTER = os.environ.get("WIPOSTAD_REMINDER_DAYS_AFTER", "7,14").strip()
for _name in ("WIPOSTAD_REMINDER_DAYS_BEFORE", "WIPOSTAD_REMINDER_DAYS_AFTER"):
    if not all(p.strip().isdigit() for p in globals()[_name].split(",") if p.strip()):
        raise ImproperlyConfigured(f"{_name} must be whole numbers of days separated by commas, e.g. 14,7,1.")

# --- Accounts: password reset, two-factor authentication, single sign-on -------------------
# Password reset links (e-mailed through the recorded mail queue, in the user's language)
# stay valid this many seconds; a link also stops working once the password has changed.
PASSWORD_RESET_TIMEOUT = env_int("WIPOSTAD_PASSWORD_RESET_SECONDS", 24 * 60 * 60)

# Two-factor authentication (django-otp, time-based codes from an authenticator app) for
# the secretariat and staff accounts (surveys/accounts/two_factor.py). Whoever has set up
# an authenticator is always asked for a code after the password; with
# WIPOSTAD_REQUIRE_TWO_FACTOR on (the default with DJANGO_DEBUG=0), those without one are
# sent to set it up before any other page. Office members are never asked.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
_auth_middleware = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth_middleware + 1 : _auth_middleware + 1] = [
    "django_otp.middleware.OTPMiddleware",
    "surveys.accounts.middleware.TwoFactorMiddleware",
]
WIPOSTAD_REQUIRE_TWO_FACTOR = env_bool("WIPOSTAD_REQUIRE_TWO_FACTOR", not DEBUG)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = os.environ.get("WIPOSTAD_TWO_FACTOR_ISSUER", "").strip() or "wipostad"
# After each wrong code the next try waits 1, 2, 4, 8 … seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1

# Single sign-on with an OpenID Connect provider (mozilla-django-oidc), off by default. A
# person signing in through the provider is let in only as the EXISTING active account
# with the e-mail address the provider vouches for (its email_verified claim); no account
# is ever created (surveys/accounts/sso.py). Every value comes from the environment.
WIPOSTAD_OIDC_ENABLED = env_bool("WIPOSTAD_OIDC_ENABLED", False)
WIPOSTAD_OIDC_NAME = os.environ.get("WIPOSTAD_OIDC_NAME", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("WIPOSTAD_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("WIPOSTAD_OIDC_CLIENT_SECRET", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("WIPOSTAD_OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("WIPOSTAD_OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("WIPOSTAD_OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("WIPOSTAD_OIDC_JWKS_ENDPOINT", "").strip() or None
OIDC_RP_SIGN_ALGO = os.environ.get("WIPOSTAD_OIDC_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("WIPOSTAD_OIDC_TIMEOUT", 10)
LOGIN_REDIRECT_URL_FAILURE = "login"
# The authorisation code and what proves the flow are never kept with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "state", "code_verifier", "nonce"]
_SSO_SIGN_ALGOS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "HS256"}


def sso_problems() -> list[str]:
    """What is missing or wrong in the single sign-on settings (each naming its variable)."""
    required = {
        "WIPOSTAD_OIDC_NAME": WIPOSTAD_OIDC_NAME,
        "WIPOSTAD_OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
        "WIPOSTAD_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "WIPOSTAD_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "WIPOSTAD_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "WIPOSTAD_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    }
    if not OIDC_RP_SIGN_ALGO.startswith("HS"):
        required["WIPOSTAD_OIDC_JWKS_ENDPOINT"] = OIDC_OP_JWKS_ENDPOINT
    problems = [f"{name} is not set" for name, value in required.items() if not value]
    if OIDC_RP_SIGN_ALGO not in _SSO_SIGN_ALGOS:
        problems.append(f"WIPOSTAD_OIDC_SIGN_ALGO must be one of {', '.join(sorted(_SSO_SIGN_ALGOS))}")
    endpoints = {name: value for name, value in required.items() if name.endswith("_ENDPOINT") and value}
    for name, value in endpoints.items():
        if not value.startswith("https://") and not (DEBUG and value.startswith("http://")):
            problems.append(f"{name} must be an https:// address")
    return problems


if WIPOSTAD_OIDC_ENABLED:
    _sso_problems = sso_problems()
    if _sso_problems:
        raise ImproperlyConfigured("Single sign-on (WIPOSTAD_OIDC_ENABLED=1): " + "; ".join(_sso_problems) + ".")
    # Right after django-axes, which must stay first: a locked-out address is refused
    # before the provider is asked anything.
    AUTHENTICATION_BACKENDS.insert(1, "surveys.accounts.sso.VerifiedEmailBackend")

# Invitations to offices' accounts (surveys/accounts/invitations.py): the days a link to
# set a password stays valid, and the site's address for links in e-mails (e.g.
# https://surveys.example.org). Without it, a link is made from the address of the page
# where the invitation was sent.
WIPOSTAD_INVITATION_DAYS = env_int("WIPOSTAD_INVITATION_DAYS", 14)
if WIPOSTAD_INVITATION_DAYS < 1:
    raise ImproperlyConfigured(f"WIPOSTAD_INVITATION_DAYS must be 1 or more (got {WIPOSTAD_INVITATION_DAYS}).")
# Password reset e-mails (surveys/accounts/passwords.py): at most this many to one
# account in an hour (later requests send nothing, with the same answer on the page), and
# at most this many reset requests an hour from one client address (later ones are asked
# to wait), so the reset page cannot be used to flood a mailbox or the mail queue.
WIPOSTAD_RESET_MAILS_PER_HOUR = env_int("WIPOSTAD_RESET_MAILS_PER_HOUR", 3)
WIPOSTAD_RESET_REQUESTS_PER_HOUR = env_int("WIPOSTAD_RESET_REQUESTS_PER_HOUR", 10)
for _name in ("WIPOSTAD_RESET_MAILS_PER_HOUR", "WIPOSTAD_RESET_REQUESTS_PER_HOUR"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more (got {globals()[_name]}).")
WIPOSTAD_SITE_URL = os.environ.get("WIPOSTAD_SITE_URL", "").strip().rstrip("/")
if WIPOSTAD_SITE_URL and not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", WIPOSTAD_SITE_URL):
    raise ImproperlyConfigured(
        f"WIPOSTAD_SITE_URL must be an address such as https://surveys.example.org (got {WIPOSTAD_SITE_URL!r})."
    )
# A person's stored language is put in force when they sign in (after authentication).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "surveys.accounts.languages.SignInLanguageMiddleware",
)
