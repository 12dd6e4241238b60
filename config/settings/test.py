"""The test suite: fast hashing, in-memory e-mail; the database still comes from DATABASE_URL
so the same suite runs on SQLite and on PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders (the live server serves them); WhiteNoise would only warn
# that there is no collected STATIC_ROOT.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405
# Tasks run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Live-server threads must not keep connections open past a test (PostgreSQL cannot drop a
# test database that is still in use).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Development keys derived from the (development) secret key; production reads real ones.
from nongsan.producers.personal_data import development_keys  # noqa: E402

PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEY = development_keys()
