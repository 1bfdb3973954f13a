"""Response headers that Django's SecurityMiddleware does not set: a Content-Security-Policy that allows no
inline script, and a Permissions-Policy turning off the browser features the portal never uses.

No template carries an inline <script> or an on* handler attribute; the policy keeps it that way (a page
that tried would find its script refused by the browser). The API reference page (Redoc) injects its own
styles, so that one path allows inline styles, still no inline script.
"""

from __future__ import annotations

from django.conf import settings

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Redoc renders with styled-components (inline <style>) and parses the schema in a blob: worker.
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("connect-src 'self'", "connect-src 'self'; worker-src 'self' blob:")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        docs = request.path.startswith(getattr(settings, "PORTAL_API_DOCS_PREFIX", "/api/docs/"))
        policy = API_DOCS_POLICY if docs else CONTENT_SECURITY_POLICY
        # A view that may be framed by the portal's own pages (a file shown inline in the dossier,
        # @xframe_options_sameorigin) is framed by the same origin only; every other page by none.
        same_origin = getattr(response, "xframe_options_sameorigin", False) or (
            response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        )
        if same_origin:
            policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
