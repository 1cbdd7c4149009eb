"""Django settings, every one that may differ between machines read from the environment.

Variables: ``JIXIAO_DEBUG`` (default off), ``SECRET_KEY`` (required unless debugging),
``DATABASE_URL`` (default: SQLite under ``JIXIAO_DATA_DIR``), ``JIXIAO_DATA_DIR`` (default
``./data``), ``ALLOWED_HOSTS`` (comma-separated), ``JIXIAO_UPLOAD_MAX_MB`` (default 10),
``JIXIAO_SESSION_MINUTES`` (default 480), ``JIXIAO_LOGIN_MAX_FAILURES`` (default 5) and
``JIXIAO_LOGIN_LOCK_MINUTES`` (default 15), ``JIXIAO_TRUST_X_FORWARDED_FOR`` (default off).
In production (``JIXIAO_DEBUG`` unset) cookies are secure, HTTP is redirected to HTTPS and HSTS
is sent; behind a TLS-terminating proxy set ``JIXIAO_PROXY_SSL_HEADER=1`` so that Django sees
``X-Forwarded-Proto: https``; ``JIXIAO_SSL_REDIRECT=0`` when the proxy redirects itself.
Production (``jixiao serve --production`` sets ``JIXIAO_PRODUCTION=1``): ``JIXIAO_STATIC_ROOT``
(default ``<data dir>/static``), ``DATABASE_REPLICA_URLS`` (comma-separated read replicas for the
dashboard and roll-up), ``JIXIAO_CACHE`` (``db`` by default in production, ``locmem`` otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from jixiao.web.env import cache_setting, database_from_url, env_bool, env_int, env_list, replica_databases

DEBUG = env_bool("JIXIAO_DEBUG", default=False)
PRODUCTION = env_bool("JIXIAO_PRODUCTION", default=False)

DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR") or "data").resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("未设置 SECRET_KEY：生产环境必须提供；本机调试请设置 JIXIAO_DEBUG=1")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else ["localhost", "127.0.0.1"]
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "jixiao.accounts",
    "jixiao.tracking",
    "jixiao.goals",
    "jixiao.evaluation",
    "jixiao.benchmarking",
    "ninja",
    "jixiao.api",
    "jixiao.audit",
    "jixiao.public",
    "jixiao.library",
    "jixiao.warnings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "jixiao.audit.context.ClientAddressMiddleware",
    "jixiao.tracking.caching.DataVersionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jixiao.accounts.middleware.AccountChecksMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.tracking.context_processors.inbox",
                "jixiao.accounts.context_processors.administration",
                "jixiao.warnings.context_processors.warnings",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL"), data_dir=DATA_DIR),
    **replica_databases(env_list("DATABASE_REPLICA_URLS", default=[]), data_dir=DATA_DIR),
}
DATABASE_ROUTERS = ["jixiao.web.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["jixiao.accounts.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracking:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jixiao.accounts.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("JIXIAO_STATIC_ROOT") or (str(DATA_DIR / "static") if PRODUCTION else None)
if PRODUCTION:
    # `jixiao serve --production` runs collectstatic at start: hashed names cached for a year,
    # gzip copies made once, served by WhiteNoise from each worker without a finder.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = False
else:
    # Serve straight from the apps' static folders: no collectstatic step before `jixiao serve`.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = DEBUG

# Workers keep no state of their own: sessions live in the database (Django's default engine)
# and the cache in a database table that every worker and app server shares.
CACHES = {"default": cache_setting(os.environ.get("JIXIAO_CACHE") or ("db" if PRODUCTION else "locmem"))}
if not CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # The pages' cached fragments ({% cache %}) are read from each worker's memory first: their
    # keys carry the data version, so a local copy is never stale (see layered_cache.py).
    CACHES["template_fragments"] = {
        "BACKEND": "jixiao.web.layered_cache.LayeredCache",
        "TIMEOUT": 120,  # the templates' {% cache 120 %}
        "OPTIONS": {"SHARED": "default", "LOCAL_ENTRIES": 300},
    }

# An upload larger than this is refused by the upload page with a message naming the limit.
JIXIAO_UPLOAD_MAX_BYTES = env_int("JIXIAO_UPLOAD_MAX_MB", default=10, minimum=1) * 1024 * 1024
# Evidence files of a rectification (整改佐证材料, stored in the database): size of each, number per step.
JIXIAO_ATTACHMENT_MAX_BYTES = env_int("JIXIAO_ATTACHMENT_MAX_MB", default=5, minimum=1) * 1024 * 1024
JIXIAO_ATTACHMENTS_PER_STEP = 10
JIXIAO_UPLOAD_DIR = DATA_DIR / "uploads"
# Uploads are read in a worker process bounded in memory and time (jixiao/formats/sandbox.py);
# JIXIAO_READ_LIMITS overrides fields of jixiao.formats.limits.ReadLimits (unpacked sizes, rows …).
JIXIAO_READ_MEMORY_BYTES = env_int("JIXIAO_READ_MEMORY_MB", default=1024, minimum=64) * 1024 * 1024
JIXIAO_READ_SECONDS = env_int("JIXIAO_READ_SECONDS", default=120, minimum=1)
JIXIAO_READ_LIMITS: dict[str, int] = {}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security: a session ends JIXIAO_SESSION_MINUTES after logging in, and when the browser closes.
SESSION_COOKIE_AGE = env_int("JIXIAO_SESSION_MINUTES", default=480, minimum=5) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("JIXIAO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("JIXIAO_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("JIXIAO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# X-Forwarded-Proto is trusted only when configured: here and by gunicorn (see production.py).
JIXIAO_PROXY_SSL_HEADER = env_bool("JIXIAO_PROXY_SSL_HEADER", default=False)
if JIXIAO_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
JIXIAO_TRUST_X_FORWARDED_FOR = env_bool("JIXIAO_TRUST_X_FORWARDED_FOR", default=False)
JIXIAO_LOGIN_MAX_FAILURES = env_int("JIXIAO_LOGIN_MAX_FAILURES", default=5, minimum=1)
JIXIAO_LOGIN_LOCK_MINUTES = env_int("JIXIAO_LOGIN_LOCK_MINUTES", default=15, minimum=1)

# Audit events are kept JIXIAO_AUDIT_RETENTION_DAYS days, then `jixiao audit purge` may delete them;
# unset, they are kept for ever. Never less than 180 days (jixiao/audit/purge.py).
JIXIAO_AUDIT_RETENTION_DAYS = env_int("JIXIAO_AUDIT_RETENTION_DAYS", default=0)
if 0 < JIXIAO_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"环境变量 JIXIAO_AUDIT_RETENTION_DAYS={JIXIAO_AUDIT_RETENTION_DAYS} 无效："
        "审计记录至少保存 180 天（不设置则永久保存）"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
