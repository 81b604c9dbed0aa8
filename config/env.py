"""The one place where the environment is read (django-environ).

`make` bootstraps PostgreSQL and Redis and writes what it chose to
`.local/services.env`; that file wins over the defaults so every command
(manage.py, celery, pytest) talks to the same services.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
SERVICES_ENV = BASE_DIR / ".local" / "services.env"

env = environ.Env()
# Child processes started by the tests pass their own URLs and set IMCRM_NO_SERVICES_ENV.
if SERVICES_ENV.exists() and not os.environ.get("IMCRM_NO_SERVICES_ENV"):
    environ.Env.read_env(str(SERVICES_ENV), overwrite=True)
