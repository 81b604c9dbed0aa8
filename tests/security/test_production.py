"""The production settings (DEBUG off): `check --deploy` is clean, and real answers
carry HSTS, nosniff, Referrer-Policy, a CSP, and `__Host-` cookies that are Secure,
HttpOnly and host-only. Each runs in a subprocess with the production environment."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from typing import Any

import pytest

from tests.support.live import ROOT, child_env

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
base = settings.IMCRM_BASE_DOMAIN
out = {}
def grab(name, resp):
    out[name] = {
        "status": resp.status_code,
        "headers": {k.lower(): v for k, v in resp.headers.items()},
        "cookies": {k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "domain": m["domain"],
                        "path": m["path"], "samesite": m["samesite"]} for k, m in resp.cookies.items()},
    }
https = {"HTTP_X_FORWARDED_PROTO": "https"}
grab("plain_http", Client(HTTP_HOST=base).get("/"))
grab("landing", Client(HTTP_HOST=base, **https).get("/"))
import secrets
company = Client(HTTP_HOST="alfa." + base, REMOTE_ADDR="10.9.%d.%d" % (secrets.randbelow(250), secrets.randbelow(250) + 1), **https)
grab("login_page", company.get("/accounts/login/"))
# Fixture users carry the tests' fast MD5 hashes, which production settings do not
# accept: sign in as a person created here with the production hasher.
from django_tenants.utils import schema_context
from crm.accounts.models import User
with schema_context("c_alfa"):
    User.objects.filter(email="probe-prod@alfa.test").delete()
    User.objects.create_user("probe-prod@alfa.test", "Probe-haslo-2024!")
try:
    grab("login", company.post("/accounts/login/", {"login": "probe-prod@alfa.test", "password": "Probe-haslo-2024!"}))
finally:
    with schema_context("c_alfa"):
        User.objects.filter(email="probe-prod@alfa.test").delete()
grab("healthz", company.get("/healthz"))
print("PROBE=" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_env(companies: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    static = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        env = child_env(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            STATIC_ROOT=str(static),
            IMCRM_TESTING="0",
        )
    env.pop("IMCRM_PUBLIC_PORT", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser fixtures for this process only
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return env


def test_check_deploy_reports_no_issue_with_production_settings(production_env):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(production_env):
    env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_files_in_object_storage_too(production_env):
    env = {
        **production_env,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": "imcrm-files",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",  # never contacted by the checks
        "AWS_S3_REGION_NAME": "eu-central-1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    without_bucket = {k: v for k, v in env.items() if k != "AWS_STORAGE_BUCKET_NAME"}
    refused = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=without_bucket,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME" in refused.stderr


@pytest.fixture(scope="module")
def answers(production_env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=production_env, capture_output=True, text=True, timeout=120
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("PROBE=")), None)
    assert line, result.stdout[-3000:] + result.stderr[-3000:]
    return dict(json.loads(line[len("PROBE=") :]))


def test_plain_http_is_redirected_to_https(answers):
    assert answers["plain_http"]["status"] == 301
    assert answers["plain_http"]["headers"]["location"].startswith("https://")


@pytest.mark.parametrize("page", ["landing", "login_page", "healthz"])
def test_security_headers_are_sent(answers, page):
    headers = answers[page]["headers"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"


@pytest.mark.parametrize("page", ["landing", "login_page"])
def test_pages_carry_a_strict_content_security_policy(answers, page):
    csp = {
        part.split()[0]: part.split()[1:]
        for part in answers[page]["headers"]["content-security-policy"].split(";")
        if part.strip()
    }
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in str(csp) and "'unsafe-eval'" not in str(csp)


def test_cookies_are_host_prefixed_secure_http_only_and_host_only(answers):
    assert answers["login"]["status"] == 302, answers["login"]
    cookies = {**answers["login_page"]["cookies"], **answers["login"]["cookies"]}
    assert set(cookies) >= {"__Host-sessionid", "__Host-csrftoken"}
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["domain"] == "" and cookie["path"] == "/", name
        assert cookie["samesite"] == "Lax", name
