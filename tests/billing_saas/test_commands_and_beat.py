from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import CommandError, call_command

from config.celery import app
from crm.accounts.models import User
from tests.billing_saas.conftest import OPERATOR_PASSWORD, operator_sign_in, random_ip


def test_create_operator_makes_a_staff_account_in_the_public_schema(companies, db, capsys):
    call_command("create_operator", "--email", "Ola@ImCRM.test", "--password", "Bardzo-dlugie-haslo-1")
    user = User.objects.get(email="ola@imcrm.test")
    assert user.is_staff and user.is_active and user.check_password("Bardzo-dlugie-haslo-1")
    out = capsys.readouterr().out
    assert "/operator/" in out and "2FA" in out


def test_create_operator_with_a_totp_secret_can_sign_in_to_the_console(companies, db):
    from django.test import Client

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    call_command(
        "create_operator", "--email", "op2@imcrm.test", "--password", "Operator-haslo-123", "--totp-secret", secret
    )
    user = User.objects.get(email="op2@imcrm.test")
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    assert operator_sign_in(client, user, secret).status_code == 302
    assert client.get("/operator/").status_code == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["--email", "nie-email", "--password", "Operator-haslo-123"], "e-mail"),
        (["--email", "op3@imcrm.test", "--password", "123"], ""),
        (["--email", "op3@imcrm.test", "--password", "Operator-haslo-123", "--totp-secret", "!!!"], "base32"),
    ],
)
def test_create_operator_refuses_bad_input_and_creates_nothing(companies, db, args, message):
    with pytest.raises(CommandError) as exc:
        call_command("create_operator", *args)
    assert message in str(exc.value)
    assert not User.objects.filter(email="op3@imcrm.test").exists()


def test_operator_without_2fa_can_open_the_totp_setup_page(companies, db):
    from django.test import Client

    from tests.billing_saas.conftest import operator_create

    user, _secret = operator_create(with_totp=False)
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    operator_sign_in(client, user, None)
    first = client.get("/operator/accounts/2fa/totp/activate/")
    assert first.status_code == 302 and first["Location"].startswith("/operator/accounts/reauthenticate/")
    confirmed = client.post(first["Location"], {"password": OPERATOR_PASSWORD})
    assert confirmed.status_code == 302
    page = client.get("/operator/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_beat_runs_the_billing_tasks_and_they_are_registered():
    app.loader.import_default_modules()
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("billing_saas.trial_reminders_send", "billing_saas.lifecycle_advance", "billing_saas.deletions_run"):
        assert name in schedule
        assert name in app.tasks
    assert "billing_saas.company_export_build" in app.tasks


def test_the_export_task_runs_in_the_public_schema_by_design(company_a, settings, tmp_path):
    from billing_saas.models import CompanyExport
    from billing_saas.tasks import company_export_build

    settings.MEDIA_ROOT = str(tmp_path)
    export = CompanyExport.objects.create(
        company=company_a, schema_name=company_a.schema_name, company_name=company_a.name, requested_by_email="op"
    )
    result = company_export_build.apply(args=[export.pk], throw=True)
    assert result.get() == "ready"
    export.refresh_from_db()
    assert export.size > 0 and (tmp_path / "operator-exports" / export.file_name).is_file()


def test_an_export_of_a_missing_schema_fails_cleanly(companies, db, settings, tmp_path):
    from billing_saas.exports import export_build
    from billing_saas.models import CompanyExport

    settings.MEDIA_ROOT = str(tmp_path)
    export = CompanyExport.objects.create(schema_name="c_nie_ma", company_name="Nie ma", requested_by_email="op")
    assert export_build(export.pk).status == CompanyExport.Status.FAILED
    folder = tmp_path / "operator-exports"
    assert not folder.exists() or not list(folder.iterdir())  # no half-written archive left


def test_plans_can_be_edited_in_the_admin_by_an_operator_with_2fa(companies, db):
    from django.test import Client

    from billing_saas.models import Plan
    from tests.billing_saas.conftest import operator_create

    user, secret = operator_create()
    user.is_superuser = True
    user.save()
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    operator_sign_in(client, user, secret)
    plan = Plan.objects.get(code="start")
    assert client.get(f"/admin/billing_saas/plan/{plan.pk}/change/").status_code == 200
    assert client.get("/admin/billing_saas/stripeevent/").status_code == 200
