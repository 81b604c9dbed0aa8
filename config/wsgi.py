from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# What the app loaded (settings, URL conf, models) lives as long as the process: moved out
# of the collector's reach, a full collection no longer walks it in the middle of a request
# (an invoice PDF, which makes many objects, otherwise pays ~100 ms every few downloads).
gc.freeze()
