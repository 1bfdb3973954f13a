"""gunicorn's configuration in production (docker compose: gunicorn -c portal/gunicorn.conf.py).

Not named ./gunicorn.conf.py at the repository root on purpose: gunicorn would load that one by itself,
also under `manage.py serve` (the embedded demo), which passes its own options.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request longer than this is a fault (the heavy work, PDFs and exports, runs in Celery).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (with jitter), so a slow leak never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Bounded request lines and headers: an oversized one is refused before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client address Django uses comes from portal.client_ip (PORTAL_TRUSTED_PROXIES); the access log
# shows the proxy's address and the forwarded chain.
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Only the reverse proxies may say the request came over https (X-Forwarded-Proto); the same list as
# Django's PORTAL_TRUSTED_PROXIES.
forwarded_allow_ips = (
    ",".join(item.strip() for item in os.environ.get("PORTAL_TRUSTED_PROXIES", "").split(",") if item.strip())
    or "127.0.0.1"
)
control_socket_disable = True
