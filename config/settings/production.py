"""Production: secrets and hosts must come from the environment; nothing insecure by default.

The platform runs behind a reverse proxy that terminates HTTPS, sets X-Forwarded-Proto and
appends the client's address to X-Forwarded-For. ``manage.py check --deploy`` passes with no
warning (nongsan/accounts/tests/test_security.py runs it).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS only, through the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# How many proxies append to X-Forwarded-For: the lockout and the audit trail read the
# client address through them (nongsan.audit.middleware.client_ip).
AUDIT_TRUSTED_PROXY_COUNT = env.int("AUDIT_TRUSTED_PROXY_COUNT", default=1)

# Cookies never travel over plain HTTP, never reach scripts (the session) and are not sent
# on cross-site sub-requests (SameSite=Lax comes from security.py).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# HSTS for a year, subdomains included, eligible for the browsers' preload list (which asks
# for at least a year). An operator trying the platform on a borrowed domain can shorten it.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS")
PERSONAL_DATA_INDEX_KEY = env("PERSONAL_DATA_INDEX_KEY")
