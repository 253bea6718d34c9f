"""Hazina settings, driven by the environment (django-environ).

Defaults give the embedded setup that needs no server: SQLite under var/, local-memory cache,
Celery tasks run eagerly, console email, and the local Daraja simulator. DJANGO_ENV=production
refuses to start without its secrets and turns on the HTTPS hardening `check --deploy` expects.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

from config.beat import BEAT_SCHEDULE
from config.openapi_enums import ENUM_NAME_OVERRIDES

# Lets models subscript Django's generic classes (QuerySet[T], DecimalField[...]) at runtime.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
IS_PRODUCTION = DJANGO_ENV == "production"

if IS_PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: production refuses to start without it
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable.")
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.bool("DEBUG", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "corsheaders",
    "auditlog",
    "axes",
    "django_celery_beat",
    "core",
    "accounts",
    "groups",
    "finance",
    "governance",
    "investments",
    "mpesa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

if IS_PRODUCTION:  # runserver serves static files in development
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Data stores ----------------------------------------------------------------------------
# An empty DATABASE_URL means "not set": the embedded SQLite file under var/.
DATABASE_URL = (
    env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'var' / 'hazina.sqlite3'}"
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # with "database is locked" half-way through a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    if xdist_worker := env.str("PYTEST_XDIST_WORKER", default=""):
        # Parallel test workers get a Redis database each (1-14), so one worker's cache.clear()
        # never wipes another's state mid-test. Database 15 is left to the broker of the tests
        # that run a real Celery worker (tests/celery_worker.py): no cache.clear() flushes it.
        worker_db = 1 + int(xdist_worker.removeprefix("gw")) % 14
        CACHES["default"]["LOCATION"] = urlsplit(REDIS_URL)._replace(path=f"/{worker_db}").geturl()
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Africa/Nairobi"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The scheduled jobs (config/beat.py), editable in the admin (django-celery-beat).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# Reverse proxies in front of the app (the load balancer, an ingress): their X-Forwarded-For
# gives the client's address to the throttles, django-axes and the M-Pesa allowlist alike
# (core.net.client_ip). 0: the header is ignored. MPESA_TRUSTED_PROXIES is its older name.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=env.int("MPESA_TRUSTED_PROXIES", default=0))

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out login never reaches the DB
    "accounts.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
# Lock the account whatever address the guesses come from (a distributed attack on one
# member's phone number); per-address abuse is slowed by the "auth" throttle instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.AuditedJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": "core.api.metadata.RouteMetadata",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.LimitOffsetPagination",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.NamedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"auth": env.str("AUTH_THROTTLE_RATE", default="30/minute")},
    # Hazina's throttles read core.net.client_ip; DRF's own read the same proxy count.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "core.api.errors.HazinaExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        *("400", "401", "403", "404", "405", "409", "413", "415", "429", "500")
    ],
    "ERROR_SCHEMAS": {
        "413": "core.api.openapi.PayloadTooLargeResponseSerializer",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hazina API",
    "DESCRIPTION": (
        "The API that chama members' and officials' apps use. Money is a decimal string with "
        "two places; ids are opaque UUIDs; every error has one shape."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES,
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# Request bodies: JSON at most this large (Django's own limit, 2.5 MB by default, answered
# 413 payload_too_large) and nested at most this deep (400 malformed_json).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=64)

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("sw", "Kiswahili")]
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True

# --- Static files and email -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_STATIC_STORAGE = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if IS_PRODUCTION
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Uploaded files (governance documents) are written under MEDIA_ROOT and never served from it:
# each download goes through the API, which checks who may read it.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_STORAGE},
    # Chama documents: local disk under MEDIA_ROOT by default. For an S3-compatible store,
    # install django-storages[s3] and set DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage
    # with DOCUMENTS_STORAGE_OPTIONS='{"bucket_name": "...", "endpoint_url": "..."}'
    # (docs/features/documents.md).
    "documents": {
        "BACKEND": env.str(
            "DOCUMENTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("DOCUMENTS_STORAGE_OPTIONS", default={}),
    },
}
# The largest document accepted (bytes); a larger upload is refused before it is read.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# Savings goals are simulated in today's money: the annual inflation assumed unless a
# simulation names its own (a fraction; Kenya's CPI inflation ran near 5% a year in 2024-25).
INVESTMENT_INFLATION_RATE = Decimal(env.str("INVESTMENT_INFLATION_RATE", default="0.05"))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hazina <no-reply@hazina.local>")
# Notifications: SMS_BACKEND console, locmem (tests) or africastalking (the credentials below);
# WHATSAPP_BACKEND console, locmem or a dotted path; email through EMAIL_URL.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default="console")
AFRICASTALKING_USERNAME = env.str("AFRICASTALKING_USERNAME", default="sandbox")
AFRICASTALKING_API_KEY = env.str("AFRICASTALKING_API_KEY", default="")
AFRICASTALKING_SENDER_ID = env.str("AFRICASTALKING_SENDER_ID", default="")
# This site's public address: the default of the links below and of the M-Pesa callbacks'.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where password-reset links point: the members' app, which posts uid and token back to the API.
PASSWORD_RESET_URL = env.str(
    "PASSWORD_RESET_URL", default=f"{SITE_URL}/reset-password/{{uid}}/{{token}}/"
)

# --- Hazina ---------------------------------------------------------------------------------
FREE_PLAN_MEMBER_LIMIT = 10

# M-Pesa (Daraja). The simulator (manage.py daraja_simulator) speaks Daraja's HTTP on loopback;
# sandbox and production need the credentials from the Daraja portal.
MPESA_ENVIRONMENT = env.str("MPESA_ENVIRONMENT", default="simulator")
_DARAJA_URLS = {
    "simulator": "http://127.0.0.1:8001",
    "sandbox": "https://sandbox.safaricom.co.ke",
    "production": "https://api.safaricom.co.ke",
}
if MPESA_ENVIRONMENT not in _DARAJA_URLS:
    raise ImproperlyConfigured(f"MPESA_ENVIRONMENT must be one of {', '.join(_DARAJA_URLS)}.")
MPESA_BASE_URL = env.str("MPESA_BASE_URL", default=_DARAJA_URLS[MPESA_ENVIRONMENT])
MPESA_CALLBACK_TOKEN = env.str("MPESA_CALLBACK_TOKEN", default="local-callback-token")
MPESA_ALLOWED_IPS = env.list("MPESA_ALLOWED_IPS", default=[])
MPESA_CALLBACK_BASE_URL = env.str("MPESA_CALLBACK_BASE_URL", default=SITE_URL)
MPESA_CONSUMER_KEY = env.str("MPESA_CONSUMER_KEY", default="simulator-key")
MPESA_CONSUMER_SECRET = env.str("MPESA_CONSUMER_SECRET", default="simulator-secret")
# Lipa na M-Pesa Online (STK Push) shortcode and passkey; defaults are Daraja's public sandbox ones.
MPESA_STK_SHORTCODE = env.str("MPESA_STK_SHORTCODE", default="174379")
MPESA_PASSKEY = env.str(
    "MPESA_PASSKEY", default="bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
)
MPESA_C2B_SHORTCODE = env.str("MPESA_C2B_SHORTCODE", default="600984")
MPESA_B2C_SHORTCODE = env.str("MPESA_B2C_SHORTCODE", default="600992")
MPESA_INITIATOR_NAME = env.str("MPESA_INITIATOR_NAME", default="testapi")
MPESA_INITIATOR_PASSWORD = env.str("MPESA_INITIATOR_PASSWORD", default="Safaricom999!*!")
# Safaricom's public certificate (sandbox or production) that encrypts the initiator password.
MPESA_CERTIFICATE_PATH = env.str("MPESA_CERTIFICATE_PATH", default="")
MPESA_TIMEOUT_SECONDS = env.float("MPESA_TIMEOUT_SECONDS", default=10.0)

# --- Production hardening -------------------------------------------------------------------
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers and the container healthcheck probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, environment=DJANGO_ENV, send_default_pii=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"callback_token": {"()": "core.logging.RedactCallbackToken"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The loggers that write request paths: a callback's path holds its secret token.
        "django.request": {"filters": ["callback_token"]},
        "django.server": {"filters": ["callback_token"]},
        "gunicorn.access": {"filters": ["callback_token"]},
        "uvicorn.access": {"filters": ["callback_token"]},
    },
}
