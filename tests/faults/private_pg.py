"""A private PostgreSQL cluster for tests that stop or restart the database server
(never the machine's shared server): initdb in a temporary folder as the `postgres`
system user when we are root (in a folder that user can reach, even when TMPDIR is
a private one), a port of its own, and a copy of the test database."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.live import free_port

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _bin_dir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if IS_ROOT else cmd


def _temp_parent() -> str | None:
    """Where to make the cluster's folder: the usual temporary folder, unless we are
    root and `postgres` cannot enter it (a 0700 TMPDIR); then /var/tmp or /tmp."""
    if not IS_ROOT:
        return None
    for candidate in (tempfile.gettempdir(), "/var/tmp", "/tmp"):
        probe = subprocess.run(_as_postgres(["test", "-x", candidate]), check=False, cwd="/", stderr=subprocess.DEVNULL)
        if probe.returncode == 0:
            return candidate
    raise RuntimeError("no temporary folder the postgres user can enter")


class PrivatePostgres:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="imcrm-pg-", dir=_temp_parent()))
        self.data = self.dir / "data"
        if IS_ROOT:
            shutil.chown(self.dir, "postgres")

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]),
            check=True,
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> PrivatePostgres:
        subprocess.run(
            _as_postgres(
                [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            cwd=self.dir,  # the checkout may be closed to the postgres user
            stdout=subprocess.DEVNULL,
        )
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._pg_ctl("-l", str(self.dir / "server.log"), "-o", opts, "start")
        return self

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, source_url: str, name: str) -> None:
        """Copy a database of the shared server into this cluster (schema and rows)."""
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True
        )
        dump = subprocess.Popen([str(self.bin / "pg_dump"), "--no-owner", "-d", source_url], stdout=subprocess.PIPE)
        subprocess.run(
            [str(self.bin / "psql"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", name,
             "-v", "ON_ERROR_STOP=1"],
            stdin=dump.stdout, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert dump.wait() == 0
