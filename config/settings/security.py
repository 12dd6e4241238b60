"""Security settings shared by every environment (issue 3's security baseline).

Star-imported at the end of base.py, so local, test and production all start from them;
production.py adds what only makes sense behind HTTPS (secure cookies, HSTS, redirects).
See docs/decisions/0009-security-baseline.md.
"""

import datetime

from csp.constants import NONE, SELF

# -- Login lockout (django-axes) -------------------------------------------------------------
# Five wrong passwords for one phone number, or from one IP address, lock further attempts
# for fifteen minutes; a successful login clears the count. Each entry of the list is its
# own lock, so either one triggers.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Trying again while locked is refused without being counted, so the retry time the lockout
# page names stays true (and nobody can keep someone else's phone locked indefinitely by
# retrying, beyond five wrong passwords every fifteen minutes).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Django's login form and the admin send the phone as "username"; the callable folds every
# spelling of one number ("0912 345 678", "+84912345678") onto its E.164 form.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "nongsan.accounts.lockout.lockout_username"
# The same address the audit trail records, read through AUDIT_TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "nongsan.audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "nongsan.accounts.lockout.lockout_response"

# -- Cookies and headers ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# -- Content-Security-Policy (django-csp) ----------------------------------------------------
# Everything the pages load is served by the platform itself: no inline script or style, no
# CDN, no external font. The API documentation pages widen this for themselves only
# (nongsan/common/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
