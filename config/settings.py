"""Settings for every environment, read from environment variables.

The defaults are safe for a developer's machine (SQLite, console e-mail,
local-memory cache, DEBUG off). Production sets the variables listed in the
README; nothing else differs between environments.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-development-only-key-change-me-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before wagtail.admin: it overrides the admin's sign-in template.
    "accounts",
    "stories",
    "ideabank",
    "blt",
    "search",
    "ops",
    # After the apps whose signals it listens to, so their own work on commit comes first.
    "pagecache",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_fsm_log",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files before anything else touches the request: compressed, hashed, cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.AdminContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Whole public pages for anonymous visitors (pagecache/__init__.py): after the
    # security headers, the language and CSRF, so hits get them too; before sign-in.
    "pagecache.middleware.PageCacheMiddleware",
    "pagecache.middleware.SharedSiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "accounts.middleware.StaffSessionMiddleware",
    "accounts.middleware.RequireTwoStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Writes wait for each other instead of failing at once under concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # Readers no longer wait for a writer, and a commit needs no sync of the journal;
        # a power cut may lose the last commits, never the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL's full-text search fields.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One Redis for every app process in production: the cache and the rate-limit counters
# must be shared, or each process would count and invalidate on its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis = {
        "BACKEND": "ops.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # A dead Redis must cost a request milliseconds, not the default minutes.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "idebank"},
        "ratelimit": {**_redis, "KEY_PREFIX": "idebank-limits"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "idebank",
            # Past 300 entries (the default) it drops a third of them, generation and all.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "idebank-limits",
        },
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Seconds an anonymous visitor's public page is kept whole in the cache; 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Language: bokmål unless the visitor picks another in the language switcher.
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise looks here at start-up and warns when it is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Photos sent with ideas are never served from MEDIA_URL: staff see them through a
# permission-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "ideabank.storage.PrivateStorage"},
    # Hashed names, so browsers may keep static files for a year; gzip and brotli copies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # runserver serves static files from the source folders, without collectstatic.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Public media (story images, documents) on S3-compatible object storage, when set.
# Photos sent with ideas stay in PRIVATE_MEDIA_ROOT, never in the bucket.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
# Three photos of up to 10 MB each, plus the text fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# E-mail through Django's mailers. Development prints mail to the console.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "idebank@kommune.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif os.environ.get("MAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["MAIL_FILE_PATH"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work goes through Django's tasks API. Immediate on a developer's machine and
# in tests; with DJANGO_TASKS=database, tasks wait in the database for `manage.py worker`.
if os.environ.get("DJANGO_TASKS", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# HTTPS and cookie hardening, on in production (DJANGO_HTTPS=true behind TLS).
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The proxy's health checks speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Client address for rate limits: REMOTE_ADDR, or the proxy's header when behind one.
RATELIMIT_IP_META_KEY = os.environ.get("DJANGO_CLIENT_IP_HEADER") or None
RATELIMIT_VIEW = "ideabank.views.rate_limited"

# Content Security Policy, with Django's own middleware. Public pages load only the
# site's own files: no inline script, no inline style, no frames. A template that ever
# needs an inline script gives it nonce="{{ csp_nonce }}".
CSP_MEDIA_ORIGINS = env_list("DJANGO_CSP_MEDIA_ORIGINS")
if not CSP_MEDIA_ORIGINS and os.environ.get("MEDIA_S3_CUSTOM_DOMAIN"):
    CSP_MEDIA_ORIGINS = [f"https://{os.environ['MEDIA_S3_CUSTOM_DOMAIN']}"]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The 500 page keeps its style inline so it shows even when static files are what
    # broke; this is the hash of that one <style> (tests/security checks it).
    "style-src": [CSP.SELF, "'sha256-0l3Lf3+E40fPQdGlfKMdMRtpkhxGHzLEBRp/7wINnKM='"],
    "img-src": [CSP.SELF, *CSP_MEDIA_ORIGINS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "upgrade-insecure-requests": HTTPS,
}
# The Wagtail admin (config.middleware.AdminContentSecurityPolicyMiddleware) writes inline
# scripts and styles, shows image previews from data: and blob: URLs, and frames its
# own previews.
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
# Staff e-mail addresses are not sent to Gravatar: the admin shows an uploaded picture
# or its own default.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Browser features neither the site nor the admin uses, off for every page and frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Idébanken")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Norwegian stemming, so "barnehage" finds "barnehagene". After changing it, run
    # `manage.py update_index`.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "norwegian"
# Documents (a floke's attachments among them) are streamed by Wagtail after its
# permission checks, never handed out as a storage URL: in a bucket that URL is public.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "pptx", "txt", "csv"]
# Uploaded images are stored as their pixels only: no EXIF, comments or appended files.
WAGTAILIMAGES_IMAGE_FORM_BASE = "stories.forms.ImageForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Staff sign-in (the `accounts` app). Wrong passwords lock a username out from one
# address (django-axes); staff may add a code from an authenticator app (django-otp).
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=float(os.environ.get("DJANGO_LOGIN_LOCKOUT_HOURS", "1")))
# By username and address together: a stranger guessing a colleague's password locks
# out only themselves, and one office behind one address is not locked out together.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
# Failed attempts are kept (they make the lockout); successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
STAFF_REQUIRE_2FA = env_bool("DJANGO_STAFF_REQUIRE_2FA")
# Only staff have sessions (residents never sign in), so this is the staff session: it
# ends when the browser closes, or after this long without a request
# (accounts.middleware.StaffSessionMiddleware).
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_STAFF_SESSION_HOURS", "8")) * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The idea bank
IDEABANK = {
    "MIN_FILL_SECONDS": int(os.environ.get("IDEABANK_MIN_FILL_SECONDS", "3")),
    "SUBMIT_RATE": os.environ.get("IDEABANK_SUBMIT_RATE", "10/h"),
    "ATTEMPT_RATE": os.environ.get("IDEABANK_ATTEMPT_RATE", "60/h"),
    "SUPPORT_RATE": os.environ.get("IDEABANK_SUPPORT_RATE", "60/h"),
    "TOKEN_TTL_DAYS": int(os.environ.get("IDEABANK_TOKEN_TTL_DAYS", "365")),
    "MAX_PHOTOS": 3,
    "MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "MAX_PHOTO_PIXELS": 40_000_000,
}
# Privacy (docs/decisions/0014): months a closed idea keeps its sender's contact details
# and photos, and days a declined idea marked as spam is kept before it is deleted.
IDEABANK_RETENTION_MONTHS = int(os.environ.get("IDEABANK_RETENTION_MONTHS", "12"))
IDEABANK_SPAM_RETENTION_DAYS = int(os.environ.get("IDEABANK_SPAM_RETENTION_DAYS", "30"))

# The BLT pipeline: reminders about work that waits too long.
BLT_STUCK_DAYS = int(os.environ.get("BLT_STUCK_DAYS", "30"))
IDEABANK_ANSWER_REMINDER_DAYS = int(os.environ.get("IDEABANK_ANSWER_REMINDER_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "config.logging.RedactPrivateLinks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own handlers, which would print private links unredacted.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.tasks": {"level": "WARNING"},
        # Lockouts are warnings; every sign-in and start-up at INFO would drown them.
        "axes": {"level": "WARNING"},
    },
}
