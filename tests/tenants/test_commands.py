from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, schema_exists

from crm.accounts.models import Role, User
from tenants.db import connection
from tenants.models import Company, Domain


def test_provision_tenant_creates_company_with_szef_and_trial(companies, db, capsys):
    call_command(
        "provision_tenant", name="Łódź Śruby", subdomain="lodz-sruby", email="Szef@Lodz.test", password="Bardzo-tajne-9"
    )
    company = Company.objects.get(subdomain="lodz-sruby")
    assert "http://lodz-sruby.imcrm.localhost" in capsys.readouterr().out
    assert company.schema_name == "c_lodz_sruby"
    assert (company.trial_ends_at - company.created_at).days == 14
    assert Domain.objects.filter(tenant=company, domain="lodz-sruby.imcrm.localhost").exists()
    with schema_context(company.schema_name):
        owner = User.objects.get()
        assert owner.email == "szef@lodz.test"
        assert owner.role == Role.SZEF
        assert owner.check_password("Bardzo-tajne-9")


@pytest.mark.parametrize(
    ("subdomain", "password", "message"),
    [
        ("alfa", "Bardzo-tajne-9", "zajęty"),
        ("www", "Bardzo-tajne-9", "zarezerwowany"),
        ("Zła_nazwa", "Bardzo-tajne-9", "Dozwolone"),
        ("dobra-nazwa", "krotkie", "8"),
    ],
)
def test_provision_tenant_refuses_bad_input_and_leaves_nothing(companies, db, subdomain, password, message):
    before = Company.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("provision_tenant", name="X", subdomain=subdomain, email="a@b.test", password=password)
    assert Company.objects.count() == before
    assert not schema_exists("c_dobra_nazwa")


def test_provision_tenant_exits_with_code_1_on_bad_input(companies, db):
    import subprocess
    import sys

    from tests.support.live import child_env

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_tenant",
            "--name",
            "X",
            "--subdomain",
            "www",
            "--email",
            "a@b.test",
            "--password",
            "Bardzo-tajne-9",
        ],
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
    )
    assert result.returncode == 1
    assert "zarezerwowany" in result.stderr


def test_seed_demo_refuses_when_debug_is_off(settings, companies, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Company.objects.filter(subdomain="demo").exists()


def test_seed_demo_is_idempotent_and_creates_three_staff(settings, committed):
    """Committed, as `make run` runs it: a step that needs a transaction must open its own."""
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    company = Company.objects.get(subdomain="demo")
    assert company.owner_email_confirmed_at is not None  # the demo logins need no confirmation e-mail
    with schema_context(company.schema_name):
        roles = dict(User.objects.values_list("email", "role"))
        assert roles == {
            "szef@demo.test": "szef",
            "kierownik@demo.test": "kierownik",
            "pracownik@demo.test": "pracownik",
        }
        assert User.objects.get(email="pracownik@demo.test").check_password("demo12345")
    connection.set_schema_to_public()
