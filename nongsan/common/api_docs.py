"""The API documentation pages (Redoc, Swagger UI), served from this server under the CSP.

Both interfaces come from drf-spectacular-sidecar (no CDN), and our templates drop what
drf-spectacular's own ones add from elsewhere or inline (Google Fonts, ``<style>``, the
inline start-up script: Swagger's is a separate request instead). Swagger UI then lives
within the site-wide Content-Security-Policy. Redoc cannot: it builds its styles at run time
(inline ``<style>`` elements) and runs its search index in a web worker made from a
``blob:`` URL, so its view, and only its view, widens the policy for those two. Scripts stay
``'self'`` on both (tests/browser/test_csp.py drives both pages in Chromium).
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

__all__ = ["ApiDocsRedocView", "ApiDocsSwaggerView"]

REDOC_CSP = {"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}


@method_decorator(csp_update(REDOC_CSP), name="dispatch")
class ApiDocsRedocView(SpectacularRedocView):
    """Redoc, with the CSP allowances it needs and nothing fetched from elsewhere."""

    template_name = "common/api_docs/redoc.html"


class ApiDocsSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI ("try it out") under the site's policy: its start-up script is a file."""

    template_name = "common/api_docs/swagger_ui.html"
