"""Rehearse the production stack on this machine, smoke-test it, stop it (deploy/rehearse).

Brings up, from Debian's packages and the project's venv, with the files deploy/render.py
renders from deploy/templates/ (the same ones production uses), under the private folder
.local/rehearse/ and on unprivileged ports:

    nginx (TLS, self-signed *.imcrm.test + apex) -> gunicorn (DEBUG=0, production settings)
    PgBouncer (session mode) -> this machine's PostgreSQL, database imcrm_rehearse
    Redis (AOF persistence) as the broker; Celery workers per queue + beat; an SMTP sink

then runs a smoke test through nginx over HTTPS with Host headers and prints a pass/fail
summary. Everything it started is stopped again, whatever happened. Exit code 0: PASS.
nginx and pgbouncer are installed with apt-get when missing (as root), like
scripts/ensure_chromium.sh does for Chromium; otherwise it says what is missing.

    deploy/rehearse          (the database imcrm_rehearse is kept between runs)
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from render import render_all, render_text  # noqa: E402

PRIVATE = ROOT / ".local" / "rehearse"
DOMAIN = "imcrm.test"
DB_NAME = "imcrm_rehearse"
PASSWORD = "Proba-wdrozenia-2026!"
IS_ROOT = os.geteuid() == 0
CHROMIUM = "/usr/bin/chromium"
QUEUES = ["celery", "mail", "imports", "ksef"]
S3_BUCKET = "imcrm-rehearse"


def say(msg: str) -> None:
    print(f"[rehearse] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- what the machine needs -----------------------------------------------------------


def tools_ensure() -> list[str]:
    """nginx, pgbouncer, openssl, redis-server and Chromium; apt-get installs the Debian
    packages that are missing when run as root. Returns what is still missing."""
    wanted = {"nginx": "nginx", "pgbouncer": "pgbouncer", "openssl": "openssl", "redis-server": "redis-server"}
    missing = [
        pkg for tool, pkg in wanted.items() if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()
    ]
    if missing and IS_ROOT and shutil.which("apt-get"):
        say(f"installing Debian's {' '.join(missing)} (apt-get)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env, stdout=subprocess.DEVNULL)
        missing = [
            pkg for tool, pkg in wanted.items() if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists())
        ]
    if not Path(CHROMIUM).exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "ensure_chromium.sh")], check=False)
        if not Path(CHROMIUM).exists():
            missing.append("chromium")
    return missing


def _binary(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


# --- processes --------------------------------------------------------------------------


class Stack:
    """The processes started by this run, stopped one by one in reverse order by `stop()`
    (nginx first, so no new request; workers finish their task before PgBouncer and
    Redis go: a task cut off from the database could leave work half done)."""

    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen[bytes], Callable[[], None] | None]] = []

    def start(
        self,
        name: str,
        cmd: list[str],
        *,
        env: dict[str, str],
        log: Path,
        cwd: Path = ROOT,
        stop: Callable[[], None] | None = None,
    ) -> subprocess.Popen[bytes]:
        handle = log.open("ab")
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
        handle.close()
        self.procs.append((name, proc, stop))
        return proc

    def stop(self) -> None:
        for name, proc, extra in reversed(self.procs):
            if extra is not None:
                with contextlib.suppress(Exception):
                    extra()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            say(f"stopped {name} (pid {proc.pid})")

    def dead(self) -> list[str]:
        return [name for name, proc, _stop in self.procs if proc.poll() is not None]


def wait_for(what: str, check: Callable[[], bool], timeout: float = 60, stack: Stack | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        if stack is not None and stack.dead():
            raise RuntimeError(f"exited early: {', '.join(stack.dead())} (logs in {PRIVATE / 'logs'})")
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s (logs in {PRIVATE / 'logs'})")


def port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def machine_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    services = ROOT / ".local" / "services.env"
    if services.exists():
        for line in services.read_text().splitlines():
            if line.startswith("DATABASE_URL="):
                return line.split("=", 1)[1]
    return "postgres://postgres@127.0.0.1:5432/imcrm"


def database_ensure(url: str) -> None:
    import psycopg

    u = urlparse(url)
    with psycopg.connect(
        host=u.hostname or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            say(f"PostgreSQL: created database {DB_NAME}")
        # PgBouncer does not pass startup options: JIT goes off on the database instead.
        conn.execute(f'ALTER DATABASE "{DB_NAME}" SET jit = off')


# --- the smoke test -----------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.rows: list[tuple[bool, str, str]] = []

    def check(self, name: str, fn: Callable[[], str]) -> bool:
        try:
            detail = fn()
            self.rows.append((True, name, detail))
            say(f"PASS {name}: {detail}")
            return True
        except Exception as exc:
            self.rows.append((False, name, f"{type(exc).__name__}: {exc}"[:300]))
            say(f"FAIL {name}: {type(exc).__name__}: {exc}")
            if os.environ.get("REHEARSE_DEBUG"):
                traceback.print_exc()
            return False

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(ok for ok, _n, _d in self.rows)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def smoke(
    results: Results,
    *,
    https_port: int,
    http_port: int,
    cert: Path,
    maildir: Path,
    logs: Path,
    s3: Any,
    s3_endpoint: str,
) -> None:
    import httpx

    sub = f"proba{secrets.token_hex(3)}"
    apex = f"https://{DOMAIN}:{https_port}"
    company = f"https://{sub}.{DOMAIN}:{https_port}"
    # Straight to 127.0.0.1 with the Host header a browser would send; the certificate is
    # verified (it names 127.0.0.1 too), so TLS is checked, not skipped.
    client = httpx.Client(base_url=f"https://127.0.0.1:{https_port}", verify=str(cert), timeout=30)

    def get(host: str, path: str, **kw: Any) -> httpx.Response:
        return client.get(path, headers={"Host": f"{host}:{https_port}", **kw.pop("headers", {})}, **kw)

    def landing() -> str:
        r = get(DOMAIN, "/")
        expect(r.status_code == 200, f"status {r.status_code}")
        expect("max-age=31536000" in r.headers.get("strict-transport-security", ""), "no HSTS")
        expect("script-src 'self'" in r.headers.get("content-security-policy", ""), "no CSP")
        expect(r.headers.get("server", "") == "nginx", f"server header {r.headers.get('server')!r}")
        return f"200, HSTS and CSP, {len(r.content)} bytes"

    def http_redirect() -> str:
        r = httpx.get(f"http://127.0.0.1:{http_port}/cennik/", headers={"Host": f"{sub}.{DOMAIN}"}, timeout=10)
        expect(r.status_code == 301, f"status {r.status_code}")
        expect(r.headers["location"] == f"https://{sub}.{DOMAIN}:{https_port}/cennik/", r.headers["location"])
        return f"301 -> {r.headers['location']}"

    def static() -> str:
        page = get(DOMAIN, "/").text
        start = page.index("/static/")
        path = page[start : page.index('"', start)]
        r = get(DOMAIN, path)
        expect(r.status_code == 200, f"{path}: {r.status_code}")
        expect("immutable" in r.headers.get("cache-control", ""), "no long cache")
        return f"{path} served by nginx, immutable"

    def media_closed() -> str:
        r = get(DOMAIN, "/media/c_alfa/x.pdf")
        expect(r.status_code == 404, f"status {r.status_code}")
        return "404"

    def unknown_company() -> str:
        r = get(f"nie-ma-takiej.{DOMAIN}", "/")
        expect(r.status_code == 404, f"status {r.status_code}")
        return "404"

    def body_limit() -> str:
        r = client.post(
            "/api/v1/files/",
            headers={"Host": f"{DOMAIN}:{https_port}", "Content-Type": "application/octet-stream"},
            content=b"0" * (26 * 1024 * 1024),
        )
        expect(r.status_code == 413, f"status {r.status_code}")
        return "26 MB refused by nginx (413)"

    def signup_in_chromium() -> str:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", f"--host-resolver-rules=MAP {DOMAIN} 127.0.0.1, MAP *.{DOMAIN} 127.0.0.1"],
            )
            try:
                # The self-signed certificate is not in Chromium's store (httpx verifies it above).
                context = browser.new_context(ignore_https_errors=True, locale="pl-PL")
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(f"{apex}/signup/")
                page.fill("#id_company_name", f"Próba {sub}")
                page.fill("#id_subdomain", sub)
                page.get_by_test_id("subdomain-live").filter(has_text="wolny").wait_for()
                page.fill("#id_first_name", "Anna")
                page.fill("#id_last_name", "Nowak")
                page.fill("#id_email", f"szef@{sub}.test")
                page.fill("#id_password", PASSWORD)
                page.check("#id_accept_terms")
                page.get_by_test_id("signup-submit").click()
                page.wait_for_url(f"{company}/", wait_until="load")
                expect(page.locator("form[action$='/accounts/logout/']").count() == 1, "not signed in")
                cookies = {c["name"]: c for c in context.cookies()}
                session = cookies.get("__Host-sessionid")
                expect(session is not None and session["secure"] and session["httpOnly"], f"cookies {list(cookies)}")
                return f"{apex}/signup/ -> hand-off -> {page.url} (dashboard, __Host-sessionid)"
            finally:
                browser.close()

    token: dict[str, str] = {}

    def api() -> str:
        r = client.post(
            "/api/v1/auth/token/",
            headers={"Host": f"{sub}.{DOMAIN}:{https_port}"},
            json={"email": f"szef@{sub}.test", "password": PASSWORD},
        )
        expect(r.status_code == 200, f"token: {r.status_code} {r.text[:200]}")
        token["key"] = r.json()["token"]
        auth = {"Authorization": f"Token {token['key']}", "Host": f"{sub}.{DOMAIN}:{https_port}"}
        made = client.post("/api/v1/customers/", headers=auth, json={"name": "Klient z próby"})
        expect(made.status_code == 201, f"create: {made.status_code} {made.text[:200]}")
        token["customer"] = str(made.json()["id"])
        listed = client.get("/api/v1/customers/", headers=auth)
        expect(listed.status_code == 200, f"list: {listed.status_code}")
        names = [row["name"] for row in listed.json()["results"]]
        expect("Klient z próby" in names, f"list: {names}")
        return f"token issued, customer created and listed ({len(names)} in the list)"

    def files() -> str:
        expect("key" in token, "no API token (previous step failed)")
        auth = {"Authorization": f"Token {token['key']}", "Host": f"{sub}.{DOMAIN}:{https_port}"}
        content = b"%PDF-1.4\n% proba wdrozenia " + secrets.token_bytes(64) + b"\n%%EOF\n"
        r = client.post(
            "/api/v1/files/",
            headers=auth,
            data={"customer": token["customer"]},
            files={"file": ("umowa.pdf", content, "application/pdf")},
        )
        expect(r.status_code == 201, f"upload: {r.status_code} {r.text[:200]}")
        url = urlparse(r.json()["download_url"])
        back = client.get(url.path, headers=auth)
        expect(back.status_code == 200 and back.content == content, f"download: {back.status_code}")
        anonymous = get(f"{sub}.{DOMAIN}", url.path)
        expect(anonymous.status_code in (401, 403), f"without the token: {anonymous.status_code}")
        # Stored in the bucket under the company's schema prefix, not on the web node's disk.
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket=S3_BUCKET).get("Contents", [])]
        stored = [
            key
            for key in keys
            if key.endswith(".pdf") and s3.get_object(Bucket=S3_BUCKET, Key=key)["Body"].read() == content
        ]
        expect(len(stored) == 1 and not stored[0].startswith("public/"), f"bucket: {keys}")
        expect(not any((PRIVATE / "media").rglob("*.pdf")), "a copy on the local disk")
        public = httpx.get(f"{s3_endpoint}/{S3_BUCKET}/{stored[0]}", timeout=10)
        expect(public.status_code == 403, f"anonymous GET on the bucket: {public.status_code}")
        return (
            f"{len(content)} bytes up and back through {url.path}; without the token {anonymous.status_code};"
            f" object {stored[0]} private (anonymous GET {public.status_code})"
        )

    def celery_mail() -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for path in (maildir / "new").glob("*") if (maildir / "new").exists() else []:
                text = path.read_text(errors="replace")
                if f"szef@{sub}.test" in text:
                    log = (logs / "worker-mail.log").read_text(errors="replace")
                    expect("company_welcome_email_send" in log and "succeeded" in log, "not in the mail worker's log")
                    return "welcome e-mail sent by the `mail` queue's worker, received by the SMTP sink"
            time.sleep(0.5)
        raise AssertionError("no welcome e-mail within 60 s")

    results.check("public landing over HTTPS (nginx, TLS, security headers)", landing)
    results.check("HTTP redirects to HTTPS on the same host", http_redirect)
    results.check("static files from nginx", static)
    results.check("/media/ closed at nginx", media_closed)
    results.check("unknown subdomain", unknown_company)
    results.check("request-size limit", body_limit)
    results.check("signup -> hand-off -> dashboard in Chromium", signup_in_chromium)
    results.check("API token, create and list", api)
    results.check("file upload and download (API, S3 object storage)", files)
    results.check("Celery job end to end (welcome e-mail)", celery_mail)


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    missing = tools_ensure()
    if missing:
        say(
            f"missing: {', '.join(missing)}. Install Debian's packages (as root: apt-get install {' '.join(missing)}) and run again."
        )
        print("REHEARSAL: FAIL (missing packages)")
        return 2
    for sub in ("conf", "logs", "run", "static", "media", "redis", "mail"):
        shutil.rmtree(PRIVATE / sub, ignore_errors=True)
        if sub != "mail":  # the SMTP sink makes its maildir itself
            (PRIVATE / sub).mkdir(parents=True, exist_ok=True)
    conf, logs, run = PRIVATE / "conf", PRIVATE / "logs", PRIVATE / "run"
    ports = {name: free_port() for name in ("https", "http", "gunicorn", "pgbouncer", "redis", "smtp", "s3")}
    say(f"private folder {PRIVATE}; ports {json.dumps(ports)}")

    # TLS: a self-signed certificate for the apex and the wildcard (and 127.0.0.1).
    cert, key = conf / "cert.pem", conf / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN={DOMAIN}",
            "-addext",
            f"subjectAltName=DNS:{DOMAIN},DNS:*.{DOMAIN},IP:127.0.0.1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    db = urlparse(machine_database_url())
    pg_user_option = f" user={db.username or 'postgres'}" + (f" password={db.password}" if db.password else "")
    # PgBouncer refuses to run as root: as root it runs as `postgres`, from a folder it owns.
    if IS_ROOT:
        pgb_dir = Path(tempfile.mkdtemp(prefix="imcrm-rehearse-pgbouncer-", dir="/var/tmp"))
        os.chown(pgb_dir, pwd.getpwnam("postgres").pw_uid, -1)
    else:
        pgb_dir = run / "pgbouncer"
        pgb_dir.mkdir()
    (pgb_dir / "userlist.txt").write_text("")
    secret = secrets.token_urlsafe(50)
    values = {
        "base_domain": DOMAIN,
        "user": pwd.getpwuid(os.geteuid()).pw_name,
        "app_dir": str(ROOT),
        "venv": str(Path(sys.executable).parent.parent),
        "static_root": str(PRIVATE / "static"),
        "media_root": str(PRIVATE / "media"),
        "state_dir": str(run),
        "log_dir": str(logs),
        "env_file": str(conf / "imcrm.env"),
        "http_port": str(ports["http"]),
        "https_port": str(ports["https"]),
        "gunicorn_bind": f"127.0.0.1:{ports['gunicorn']}",
        "gunicorn_workers": "2",
        "cert": str(cert),
        "cert_key": str(key),
        "pg_host": db.hostname or "127.0.0.1",
        "pg_port": str(db.port or 5432),
        "pg_db": DB_NAME,
        "pg_user_option": pg_user_option,
        "db_user_password": db.username or "postgres",
        "pgbouncer_port": str(ports["pgbouncer"]),
        "pgbouncer_socket_dir": str(pgb_dir),
        "pgbouncer_auth_type": "any",
        "pgbouncer_auth_file": str(pgb_dir / "userlist.txt"),
        "pgbouncer_log": str(pgb_dir / "pgbouncer.log"),
        "pgbouncer_pid": str(pgb_dir / "pgbouncer.pid"),
        "pgbouncer_admin": db.username or "postgres",
        "redis_port": str(ports["redis"]),
        "redis_dir": str(PRIVATE / "redis"),
        "redis_log": str(logs / "redis.log"),
        "secret_key": secret,
        "email_url": f"smtp://127.0.0.1:{ports['smtp']}",
        # Object storage: a local S3-compatible server (moto) stands in for the bucket.
        "storage_backend": "s3",
        "s3_bucket": S3_BUCKET,
        "s3_endpoint": f"http://127.0.0.1:{ports['s3']}",
        "s3_region": "eu-central-1",
        "s3_key_id": "rehearsal-key",
        "s3_secret": secrets.token_hex(16),
        "s3_addressing": "path",
    }
    written = render_all(conf, values)
    pgb_ini = pgb_dir / "pgbouncer.ini"
    shutil.copy(written["pgbouncer.ini"], pgb_ini)
    if IS_ROOT:
        for path in pgb_dir.iterdir():
            os.chown(path, pwd.getpwnam("postgres").pw_uid, -1)
    nginx_main = conf / "nginx.conf"
    nginx_main.write_text(
        render_text(
            (HERE / "templates" / "nginx" / "rehearse-main.conf").read_text(),
            {
                "run_dir": str(run),
                "log_dir": str(logs),
                "conf_dir": str(conf),
                # Workers as root too: the private folder may be closed to `nobody`.
                "nginx_user_line": "user root;" if IS_ROOT else "",
            },
        )
    )

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IMCRM_", "PYTEST"))}
    for line in written["imcrm.env"].read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name] = value
    env.update(IMCRM_NO_SERVICES_ENV="1", DJANGO_SETTINGS_MODULE="config.settings", PYTHONUNBUFFERED="1")

    stack = Stack()
    results = Results()
    py = sys.executable
    try:
        nginx_test = subprocess.run(
            [_binary("nginx"), "-t", "-p", str(PRIVATE), "-c", str(nginx_main)], capture_output=True, text=True
        )
        results.check("nginx -t on the rendered configuration", lambda: _ok(nginx_test))
        stack.start(
            "redis", [_binary("redis-server"), str(written["redis-imcrm.conf"])], env=env, log=logs / "redis.out"
        )
        cmd = [_binary("pgbouncer"), str(pgb_ini)]
        stack.start(
            "pgbouncer",
            ["runuser", "-u", "postgres", "--", *cmd] if IS_ROOT else cmd,
            env=env,
            log=logs / "pgbouncer.out",
            cwd=pgb_dir,
            stop=lambda: _kill_pidfile(pgb_dir / "pgbouncer.pid"),
        )
        stack.start(
            "S3 server (moto)",
            [str(Path(py).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(ports["s3"])],
            env=env,
            log=logs / "s3.out",
        )
        wait_for("S3 server", lambda: port_answers(ports["s3"]), stack=stack)
        _bucket(env).create_bucket(
            Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": env["AWS_S3_REGION_NAME"]}
        )
        wait_for("Redis", lambda: port_answers(ports["redis"]), stack=stack)
        wait_for("PgBouncer", lambda: port_answers(ports["pgbouncer"]), stack=stack)
        database_ensure(machine_database_url())

        say("migrating (through PgBouncer), collecting static files, filling the schema pool")
        for args in (
            ["migrate_schemas", "--shared", "-v", "0"],
            ["setup_public"],
            ["migrate_schemas", "--tenant", "-v", "0"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["pool_fill", "--size", "1"],
        ):
            subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        check_deploy = subprocess.run(
            [py, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        results.check("manage.py check --deploy (production settings)", lambda: _ok(check_deploy))

        stack.start(
            "smtp sink",
            [
                py,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{ports['smtp']}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(PRIVATE / "mail"),
            ],
            env=env,
            log=logs / "smtp.out",
        )
        stack.start(
            "gunicorn",
            [str(Path(py).parent / "gunicorn"), "-c", str(HERE / "gunicorn.conf.py"), "config.wsgi"],
            env=env,
            log=logs / "gunicorn.out",
        )
        for queue in QUEUES:
            stack.start(
                f"worker {queue}",
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    "-n",
                    f"{queue}-rehearse@%h",
                    "--concurrency",
                    "1",
                    "--pool",
                    "solo",
                    "-l",
                    "info",
                    "--logfile",
                    str(logs / f"worker-{queue}.log"),
                ],
                env={**env, "C_FORCE_ROOT": "1"},
                log=logs / f"worker-{queue}.out",
            )
        stack.start(
            "beat",
            [
                py,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(run / "celerybeat-schedule"),
                "--logfile",
                str(logs / "beat.log"),
            ],
            env=env,
            log=logs / "beat.out",
        )
        stack.start(
            "nginx",
            [_binary("nginx"), "-p", str(PRIVATE), "-c", str(nginx_main), "-g", "daemon off;"],
            env=env,
            log=logs / "nginx.out",
        )
        wait_for("SMTP sink", lambda: port_answers(ports["smtp"]), stack=stack)
        wait_for("gunicorn", lambda: port_answers(ports["gunicorn"]), stack=stack)
        wait_for("nginx", lambda: port_answers(ports["https"]), stack=stack)
        wait_for(
            "Celery workers",
            lambda: all("ready." in (logs / f"worker-{q}.log").read_text(errors="replace") for q in QUEUES),
            timeout=90,
            stack=stack,
        )
        say("stack is up; smoke test through nginx")
        smoke(
            results,
            https_port=ports["https"],
            http_port=ports["http"],
            cert=cert,
            maildir=PRIVATE / "mail",
            logs=logs,
            s3=_bucket(env),
            s3_endpoint=env["AWS_S3_ENDPOINT_URL"],
        )
        results.check("every process still running", lambda: _none_dead(stack))
    except Exception as exc:
        results.rows.append((False, "bring the stack up", f"{type(exc).__name__}: {exc}"[:300]))
        traceback.print_exc()
    finally:
        say("stopping everything this run started")
        stack.stop()
        if IS_ROOT:
            shutil.rmtree(pgb_dir, ignore_errors=True)

    print("\n=== rehearsal summary ===")
    for ok, name, detail in results.rows:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    passed = results.passed
    print(
        f"REHEARSAL: {'PASS' if passed else 'FAIL'} ({sum(ok for ok, *_ in results.rows)}/{len(results.rows)} checks; logs in {logs})"
    )
    return 0 if passed else 1


def _bucket(env: dict[str, str]) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    output = (result.stdout + result.stderr).strip()
    expect(result.returncode == 0, output[-500:])
    return output.splitlines()[-1] if output else "ok"


def _none_dead(stack: Stack) -> str:
    dead = stack.dead()
    expect(not dead, f"exited: {', '.join(dead)}")
    return f"{len(stack.procs)} processes"


def _kill_pidfile(pidfile: Path) -> None:
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


if __name__ == "__main__":
    raise SystemExit(main())
