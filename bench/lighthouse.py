"""Lighthouse scores of the main pages, at desktop and phone settings, against a server
with production settings.

    python bench/lighthouse.py [--quick]

Needs the services, a migrated database (`make migrate`) and Node.js: Lighthouse is
installed from the npm registry into .local/lighthouse/ on first use (gitignored) and
drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless). The demo company is
seeded (idempotent), static files are collected with the production storage (hashed,
precompressed names, served by WhiteNoise) into .local/lighthouse-static/ (kept
between runs: compressing every file again takes minutes), and gunicorn
serves `config.wsgi` with DEBUG off. Only TLS is left out: plain HTTP on *.localhost
(SECURE_SSL_REDIRECT off), which browsers and Lighthouse treat as a secure origin.

Company pages are opened as the demo Szef (a session cookie sent with every request).
They carry `noindex` on purpose (a company's CRM is private), so the SEO audit
`is-crawlable` is left out for them; the public site is audited whole.

Goal (README): every category >= 98 on every page, desktop and phone; exit code 1 when
a score is lower or a page fails to load. Figures go to bench/results/lighthouse.json.
`--quick` audits two pages at phone settings only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One key for this process (which makes the Szef's session) and the server it starts:
# a session is only valid under the key it was signed with.
os.environ.setdefault("SECRET_KEY", "bench-lighthouse-only-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from bench.common import Run, parser  # noqa: E402
from tests.support.live import free_port  # noqa: E402

LIGHTHOUSE_DIR = ROOT / ".local" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
STATIC_ROOT = ROOT / ".local" / "lighthouse-static"
PROFILE_DIR = ROOT / ".local" / "lighthouse-profile"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL = 98
PUBLIC_PAGES = ("/", "/signup/", "/pricing/", "/zaloguj/")
COMPANY_LOGIN = "/accounts/login/"
COMPANY_PAGES = (
    "/",
    "/customers/",
    "/customers/{customer}/",
    "/deals/",
    "/deals/{deal}/",
    "/tasks/",
    "/tasks/calendar/",
    "/reports/",
    "/offers/",
    "/invoices/",
    "/invoices/{invoice}/",
    "/expenses/",
    "/contracts/",
    "/contracts/{contract}/",
    "/projects/",
    "/projects/{project}/",
    "/time/",
    "/tickets/",
    "/tickets/{ticket}/",
    "/knowledge/",
    "/settings/",
)
# The server runs with DEBUG off, where the session cookie is `__Host-sessionid`
# (config/settings.py); this process has the development name.
SESSION_COOKIE = "__Host-sessionid"
QUICK_PAGES = (("public", "/"), ("company", "/customers/"))


def lighthouse_install() -> None:
    if LIGHTHOUSE.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=LIGHTHOUSE_DIR,
        check=True,
    )


def production_env(port: int) -> dict[str, str]:
    return dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY=os.environ["SECRET_KEY"],
        SECURE_SSL_REDIRECT="false",
        IMCRM_SCHEME="http",
        IMCRM_PUBLIC_PORT=str(port),
        STATIC_ROOT=str(STATIC_ROOT),
        PORT=str(port),
    )


def server_start(port: int) -> subprocess.Popen[bytes]:
    env = production_env(port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
            urllib.request.urlopen(request, timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def demo_session() -> tuple[str, dict[str, int]]:
    """The demo company (seeded if missing), a signed-in session of its Szef, and ids
    of a customer, a deal, an issued invoice, a contract, a project and a ticket for the
    card pages."""
    from django.core.management import call_command
    from django.test import Client
    from django_tenants.utils import schema_context

    from crm.accounts.models import User
    from crm.contacts.models import Customer
    from crm.contracts.models import Contract
    from crm.invoicing.models import Invoice, InvoiceStatus
    from crm.projects.models import Project
    from crm.sales.models import Deal
    from crm.tickets.models import Ticket
    from tenants.models import Company

    call_command("seed_demo", verbosity=0)
    company = Company.objects.get(domains__domain=f"demo.{settings.IMCRM_BASE_DOMAIN}")
    with schema_context(company.schema_name):
        szef = User.objects.get(email="szef@demo.test")
        customer = Customer.objects.order_by("pk").first()
        deal = Deal.objects.order_by("pk").first()
        invoice = Invoice.objects.exclude(status=InvoiceStatus.DRAFT).order_by("pk").first()
        records = {
            "contract": Contract.objects.order_by("pk").first(),
            "project": Project.objects.order_by("pk").first(),
            "ticket": Ticket.objects.order_by("pk").first(),
        }
        client = Client(HTTP_HOST=f"demo.{settings.IMCRM_BASE_DOMAIN}")
        client.force_login(szef, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.session.session_key
    assert customer is not None and deal is not None and invoice is not None
    assert all(record is not None for record in records.values()), records
    ids = {name: record.pk for name, record in records.items() if record is not None}
    return cookie, {"customer": customer.pk, "deal": deal.pk, "invoice": invoice.pk, **ids}


def signed_in_profile(cookie: str) -> Path:
    """A Chromium profile whose cookie jar holds the demo Szef's session (written by
    Playwright with the same Chromium; the cookie has an expiry so that it is kept on disk)."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(PROFILE_DIR, ignore_errors=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(PROFILE_DIR), executable_path=CHROMIUM, headless=True
        )
        context.add_cookies(
            [
                {
                    "name": SESSION_COOKIE,
                    "value": cookie,
                    "url": f"https://demo.{settings.IMCRM_BASE_DOMAIN}/",
                    "secure": True,
                    "httpOnly": True,
                    "sameSite": "Lax",
                    "expires": time.time() + 4 * 3600,
                }
            ]
        )
        context.close()
    return PROFILE_DIR


def lighthouse(url: str, *, phone: bool, profile: Path | None, private: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--max-wait-for-load=30000",
        ]
        if not phone:
            cmd.append("--preset=desktop")
        if profile is not None:
            # A copy of a Chromium profile holding the session cookie, as a signed-in user's
            # browser does (a Cookie header given as an extra header is not sent with the
            # page's own fetch calls: they would answer 401 and count as console errors).
            shutil.copytree(profile, Path(tmp) / "profile")
            cmd[cmd.index("--chrome-flags=--headless=new --no-sandbox --disable-gpu")] += (
                f" --user-data-dir={Path(tmp) / 'profile'}"
            )
        if private:
            cmd.append("--skip-audits=is-crawlable")
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        # Chromium now and then fails to start or loses its page on a loaded machine: one more
        # try before it counts as an error; the reason (stderr's last line) goes into the error.
        for attempt in (1, 2):
            done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=240)
            if done.returncode == 0:
                break
            if attempt == 2:
                reason = (done.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
                raise subprocess.SubprocessError(f"exit status {done.returncode}: {reason[0][:300]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    failing = [
        f"{a['id']} ({a['score']})"
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    return {
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "scores": {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES},
        "failing_audits": failing[:12],
        "runtime_error": (report.get("runtimeError") or {}).get("code"),
    }


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    lighthouse_install()
    cookie, ids = demo_session()
    profile = signed_in_profile(cookie)
    port = free_port()
    base = settings.IMCRM_BASE_DOMAIN
    pages: list[tuple[str, str]] = [("public", p) for p in PUBLIC_PAGES]
    pages.append(("login", COMPANY_LOGIN))
    pages += [("company", p.format(**ids)) for p in COMPANY_PAGES]
    if args.quick:
        pages = [(kind, p.format(**ids)) for kind, p in QUICK_PAGES]
    forms = (("phone", True),) if args.quick else (("desktop", False), ("phone", True))
    run = Run(
        "lighthouse",
        quick=args.quick,
        params={
            "pages": len(pages),
            "form_factors": [f for f, _ in forms],
            "server": "gunicorn config.wsgi, DEBUG off, collected static (manifest, WhiteNoise), 2 workers x 4 threads",
            "chromium": CHROMIUM,
        },
    )
    run.notes.append("Company pages carry noindex on purpose: their SEO score leaves out is-crawlable.")
    table = run.table("Lighthouse scores", ["page", "form factor", *CATEGORIES])
    lowest = {c: 100 for c in CATEGORIES}
    proc = server_start(port)
    try:
        for kind, path in pages:
            host = base if kind == "public" else f"demo.{base}"
            url = f"http://{host}:{port}{path}"
            for form, phone in forms:
                try:
                    result = lighthouse(
                        url, phone=phone, profile=profile if kind == "company" else None, private=kind != "public"
                    )
                except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
                    run.error(f"{url} ({form}): lighthouse failed: {exc}")
                    continue
                run.requests_checked += 1
                if result["runtime_error"] or urllib.request.urlparse(result["final_url"] or "").path != path:
                    run.error(f"{url} ({form}): ended at {result['final_url']} ({result['runtime_error']})")
                scores = result["scores"]
                table.rows.append([f"{kind} {path}", form, *(scores[c] for c in CATEGORIES)])
                print(f"{kind} {path} {form}: {scores} {result['failing_audits']}", flush=True)
                if min(scores.values()) < GOAL:
                    run.notes.append(f"{kind} {path} {form}: below {GOAL}: {result['failing_audits']}")
                for c in CATEGORIES:
                    lowest[c] = min(lowest[c], scores[c])
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    run.figures["lowest"] = lowest
    for c in CATEGORIES:
        run.goal(f"{c} >= {GOAL} on every page", str(lowest[c]), lowest[c] >= GOAL)
    return run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
