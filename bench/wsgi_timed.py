"""`config.wsgi` for the servers the benches time: the same application with SQL
logging off (with DEBUG on, Django keeps every statement of every request; see
`bench.common.sql_logging_off`). Started as `gunicorn bench.wsgi_timed`."""

from __future__ import annotations

from bench.common import sql_logging_off
from config.wsgi import application

sql_logging_off()

__all__ = ["application"]
