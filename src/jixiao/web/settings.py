"""Django settings, every one that may differ between machines read from the environment.

Variables: ``JIXIAO_DEBUG`` (default off), ``SECRET_KEY`` (required unless debugging),
``DATABASE_URL`` (default: SQLite under ``JIXIAO_DATA_DIR``), ``JIXIAO_DATA_DIR`` (default
``./data``), ``ALLOWED_HOSTS`` (comma-separated), ``JIXIAO_UPLOAD_MAX_MB`` (default 10).
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracking:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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

# An upload larger than this is refused by the upload page with a message naming the limit.
JIXIAO_UPLOAD_MAX_BYTES = env_int("JIXIAO_UPLOAD_MAX_MB", default=10, minimum=1) * 1024 * 1024
JIXIAO_UPLOAD_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("JIXIAO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
