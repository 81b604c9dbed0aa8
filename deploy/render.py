"""Render the deployment files of deploy/templates/ for one installation.

    python deploy/render.py --out /tmp/imcrm-conf --set base_domain=imcrm.pl --set user=imcrm

Templates use `{{name}}` placeholders; every placeholder must get a value (an unknown or
missing one is an error, never an empty string in a config file). `PRODUCTION` holds the
values of the layout deploy/README.md describes; `--set` overrides them. The rehearsal
(deploy/rehearse.py) renders the same templates with a private folder and unprivileged ports.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")

# Template -> file name in the output folder.
FILES = {
    "nginx/imcrm.conf": "nginx-imcrm.conf",
    "pgbouncer/pgbouncer.ini": "pgbouncer.ini",
    "redis/redis-broker.conf": "redis-imcrm.conf",
    "systemd/imcrm-web.service": "imcrm-web.service",
    "systemd/imcrm-worker@.service": "imcrm-worker@.service",
    "systemd/imcrm-beat.service": "imcrm-beat.service",
    "logrotate/imcrm": "logrotate-imcrm",
    "imcrm.env": "imcrm.env",
}

PRODUCTION: dict[str, str] = {
    "base_domain": "imcrm.pl",
    "user": "imcrm",
    "app_dir": "/srv/imcrm/app",
    "venv": "/srv/imcrm/venv",
    "static_root": "/srv/imcrm/static",
    "media_root": "/srv/imcrm/media",
    "state_dir": "/var/lib/imcrm",
    "log_dir": "/var/log/imcrm",
    "env_file": "/etc/imcrm/imcrm.env",
    "http_port": "80",
    "https_port": "443",
    "https_port_suffix": "",
    "public_port": "",
    "gunicorn_bind": "127.0.0.1:8000",
    "gunicorn_workers": "0",
    "cert": "/etc/letsencrypt/live/imcrm.pl/fullchain.pem",
    "cert_key": "/etc/letsencrypt/live/imcrm.pl/privkey.pem",
    "max_body": "25m",
    "pg_host": "db.internal",
    "pg_port": "5432",
    "pg_db": "imcrm",
    "pg_user_option": "",
    "db_user_password": "imcrm:CHANGE-ME",
    "pgbouncer_listen": "127.0.0.1",
    "pgbouncer_port": "6432",
    "pgbouncer_socket_dir": "/var/run/postgresql",
    "pgbouncer_auth_type": "scram-sha-256",
    "pgbouncer_auth_file": "/etc/pgbouncer/userlist.txt",
    "pgbouncer_log": "/var/log/postgresql/pgbouncer.log",
    "pgbouncer_pid": "/var/run/postgresql/pgbouncer.pid",
    "pgbouncer_admin": "postgres",
    "redis_port": "6379",
    "redis_dir": "/var/lib/redis",
    "redis_log": "/var/log/redis/redis-imcrm.log",
    "secret_key": "CHANGE-ME-50-random-characters",
    "email_url": "smtp+tls://user:password@smtp.example:587",
    "storage_backend": "s3",
    "s3_bucket": "imcrm-files",
    "s3_endpoint": "",
    "s3_region": "eu-central-1",
    "s3_key_id": "",
    "s3_secret": "",
    "s3_addressing": "",
}


class RenderError(ValueError):
    pass


def values_for(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """PRODUCTION with `overrides`, and the values that follow from others (certificate
    paths from the domain, the port shown in links from the HTTPS port) unless given."""
    given = dict(overrides or {})
    values = {**PRODUCTION, **given}
    domain = values["base_domain"]
    if "cert" not in given:
        values["cert"] = f"/etc/letsencrypt/live/{domain}/fullchain.pem"
    if "cert_key" not in given:
        values["cert_key"] = f"/etc/letsencrypt/live/{domain}/privkey.pem"
    port = values["https_port"]
    if "https_port_suffix" not in given:
        values["https_port_suffix"] = "" if port == "443" else f":{port}"
    if "public_port" not in given:
        values["public_port"] = "" if port == "443" else port
    return values


def render_text(text: str, values: Mapping[str, str]) -> str:
    """`text` with every `{{name}}` replaced; RenderError names the placeholders without a value."""
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise RenderError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def render_all(
    out: Path, overrides: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, Path]:
    """Render every template of FILES (plus `extra`: template -> output name) into `out`;
    returns output name -> path."""
    values = values_for(overrides)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for template, name in {**FILES, **(extra or {})}.items():
        target = out / name
        target.write_text(render_text((TEMPLATES / template).read_text(), values))
        written[name] = target
    (out / "imcrm.env").chmod(0o600)  # it holds the secrets
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)
    unknown = sorted(set(overrides) - set(PRODUCTION))
    if unknown:
        raise SystemExit(f"unknown names: {', '.join(unknown)}")
    for name, path in render_all(args.out, overrides).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
