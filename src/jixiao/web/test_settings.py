"""Settings for the test suite: the real settings with a throwaway secret key and fast hashing.

Everything else (the database from DATABASE_URL above all) comes from the environment as in
production, so `make test` can run the same suite on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from jixiao.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the browser tests speak plain HTTP to a local server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# No cache between tests: each test's database starts afresh, and a cached dashboard would not.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The browser tests against `jixiao serve --production` need a test database that another
# process can open: a file instead of SQLite's in-memory default.
if os.environ.get("JIXIAO_E2E_SERVER") == "production" and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "e2e-production.sqlite3")}  # noqa: F405
