"""The deployment files of deploy/templates/ rendered for given host names (deploy/render.py)."""

from __future__ import annotations

import re
import stat

import pytest

from deploy.render import FILES, PRODUCTION, TEMPLATES, RenderError, render_all, render_text


@pytest.fixture
def rendered(tmp_path):
    render_all(tmp_path, {"base_domain": "crm.example.org", "user": "crm", "https_port": "443"})
    return {name: (tmp_path / name).read_text() for name in FILES.values()}


def test_nginx_serves_the_apex_and_every_company_subdomain_with_one_certificate(rendered):
    nginx = rendered["nginx-imcrm.conf"]
    assert nginx.count("server_name crm.example.org *.crm.example.org;") == 2  # HTTP redirect and HTTPS
    assert "ssl_certificate     /etc/letsencrypt/live/crm.example.org/fullchain.pem;" in nginx
    assert "ssl_certificate_key /etc/letsencrypt/live/crm.example.org/privkey.pem;" in nginx
    assert "return 301 https://$host$request_uri;" in nginx
    assert "client_max_body_size 25m;" in nginx
    assert "location /media/ { return 404; }" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "Strict-Transport-Security" in nginx


def test_a_port_other_than_443_is_kept_in_redirects_and_links(tmp_path):
    render_all(tmp_path, {"base_domain": "imcrm.test", "https_port": "8443", "http_port": "8080"})
    nginx = (tmp_path / "nginx-imcrm.conf").read_text()
    assert "listen 8080;" in nginx and "listen 8443 ssl http2 default_server;" in nginx
    assert "return 301 https://$host:8443$request_uri;" in nginx
    assert "IMCRM_PUBLIC_PORT=8443" in (tmp_path / "imcrm.env").read_text()


def test_pgbouncer_pools_per_session_never_per_transaction(rendered):
    ini = rendered["pgbouncer.ini"]
    assert re.findall(r"^pool_mode = (\w+)$", ini, re.MULTILINE) == ["session"]
    assert "search_path" in ini  # the reason is written next to the setting


def test_environment_file_is_production_and_private(tmp_path):
    render_all(tmp_path, {"base_domain": "crm.example.org", "secret_key": "s" * 50})
    env = (tmp_path / "imcrm.env").read_text()
    assert "DEBUG=0" in env.splitlines()
    assert "IMCRM_BASE_DOMAIN=crm.example.org" in env.splitlines()
    assert "SECRET_KEY=" + "s" * 50 in env.splitlines()
    assert "STORAGE_BACKEND=s3" in env.splitlines()
    assert stat.S_IMODE((tmp_path / "imcrm.env").stat().st_mode) == 0o600


def test_workers_run_one_unit_per_queue_and_beat_once(rendered):
    worker = rendered["imcrm-worker@.service"]
    assert "worker -Q %i" in worker and "User=crm" in worker
    assert "celery -A config beat" in rendered["imcrm-beat.service"]
    assert "gunicorn -c /srv/imcrm/app/deploy/gunicorn.conf.py config.wsgi" in rendered["imcrm-web.service"]
    assert "appendonly yes" in rendered["redis-imcrm.conf"]
    assert "maxmemory-policy noeviction" in rendered["redis-imcrm.conf"]


def test_every_template_renders_without_a_placeholder_left(rendered):
    for name, text in rendered.items():
        assert "{{" not in text and "}}" not in text, name
    assert {path.name for path in TEMPLATES.rglob("*") if path.is_file()} >= {
        template.rsplit("/", 1)[-1] for template in FILES
    }


def test_a_placeholder_without_a_value_is_an_error_not_an_empty_string():
    with pytest.raises(RenderError, match="no value for tls_ticket"):
        render_text("ssl_session_ticket_key {{tls_ticket}};", PRODUCTION)
    assert render_text("server_name {{ base_domain }};", {"base_domain": "a.pl"}) == "server_name a.pl;"
