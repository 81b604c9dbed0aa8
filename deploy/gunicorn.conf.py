"""gunicorn settings of ImCRM (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`), read from
the environment file (deploy/templates/imcrm.env)."""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers with threads: requests are short database work; 2 x cores processes.
workers = int(os.environ.get("GUNICORN_WORKERS", "0")) or 2 * multiprocessing.cpu_count()
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# nginx waits 65 s; a request past 60 s is killed and logged (its transaction rolls back).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory of catalog caches, leaks in libraries), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# nginx in front passes the client address in X-Forwarded-For (TRUSTED_PROXY_COUNT=1).
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"
limit_request_line = 8190
limit_request_fields = 100
_log_dir = os.environ.get("GUNICORN_LOG_DIR", "")
accesslog = os.path.join(_log_dir, "gunicorn-access.log") if _log_dir else "-"
errorlog = os.path.join(_log_dir, "gunicorn-error.log") if _log_dir else "-"
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
preload_app = False  # each worker opens its own database and Redis connections
