"""`make run`: web server, Celery worker and beat together; Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
QUEUES = "celery,mail,imports,ksef"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    base = os.environ.get("IMCRM_BASE_DOMAIN", "imcrm.localhost")
    procs = [
        subprocess.Popen([PY, "manage.py", "runserver", f"0.0.0.0:{port}"], cwd=ROOT),
        subprocess.Popen(
            # Every queue of config/settings.py (IMCRM_CELERY_QUEUES); production runs one unit per queue.
            [PY, "-m", "celery", "-A", "config", "worker", "--beat", "-Q", QUEUES, "-l", "info", "--concurrency", "2"],
            cwd=ROOT,
        ),
    ]
    time.sleep(2)
    print(
        "\n"
        "  ImCRM is running\n"
        f"  public site:  http://{base}:{port}/\n"
        f"  demo company: http://demo.{base}:{port}/\n"
        "  logins (password demo12345): szef@demo.test, kierownik@demo.test, pracownik@demo.test\n"
        f"  client portal: http://demo.{base}:{port}/portal/  t.zielinski@hurtbud-lodz.pl / demo12345 (contact person)\n"
        "  Ctrl-C stops the web server and the Celery worker.\n",
        flush=True,
    )

    def stop(*_args: object) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while procs:
        for proc in list(procs):
            ret = proc.poll()
            if ret is not None:
                procs.remove(proc)
                code = code or ret
                stop()
        time.sleep(0.5)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
