from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from billing_saas import operator_services
from billing_saas.exports import export_build
from billing_saas.models import CompanyExport, DeletionSchedule, OperatorAuditEntry, Plan
from billing_saas.selectors import totals
from crm.contacts.models import Customer
from tenants.models import Company, CompanyStatus
from tenants.services import tenant_provision
from tests.billing_saas.conftest import account_of, company_set
from tests.support.api_tokens import api_key_for
from tests.support.fake_stripe import new_id


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    # The Celery task is replaced by building the export right after the commit hook.
    monkeypatch.setattr(operator_services, "_export_queue", export_build)


def _entry(company, action) -> OperatorAuditEntry:
    return OperatorAuditEntry.objects.get(company=company, action=action)


def _status(company) -> str:
    company.refresh_from_db()
    return str(company.status)


def test_companies_list_shows_plan_mrr_usage_and_filters(operator_client, company_a, company_b):
    biznes = Plan.objects.get(code="biznes")
    company_set(company_a, status=CompanyStatus.ACTIVE, plan_id=biznes.pk)
    html = operator_client.get("/operator/").content.decode()
    assert "Alfa Sp. z o.o." in html and "Beta Sp. z o.o." in html
    row = html.split('data-company="alfa"')[1].split("</tr>")[0]
    assert "Biznes" in row and ("99.00" in row or "99,00" in row)
    assert ">2<" in row  # two active staff in Alfa
    trial_only = operator_client.get("/operator/?status=trial").content.decode()
    assert "Beta Sp. z o.o." in trial_only and "Alfa Sp. z o.o." not in trial_only
    found = operator_client.get("/operator/?q=alf").content.decode()
    assert "Alfa Sp. z o.o." in found and "Beta Sp. z o.o." not in found
    start = Plan.objects.get(code="start")
    by_plan = operator_client.get(f"/operator/?plan={start.pk}").content.decode()
    assert "Alfa Sp. z o.o." not in by_plan


def test_totals_count_mrr_trials_conversions_and_churn(company_a, company_b):
    biznes = Plan.objects.get(code="biznes")
    company_set(company_a, status=CompanyStatus.ACTIVE, plan_id=biznes.pk)
    a = account_of(company_a)
    a.interval = "year"
    a.first_paid_at = timezone.now() - timedelta(days=3)
    a.save()
    company_set(company_b, status=CompanyStatus.READ_ONLY)
    b = account_of(company_b)
    b.canceled_at = timezone.now() - timedelta(days=2)
    b.first_paid_at = timezone.now() - timedelta(days=90)
    b.save()
    result = totals()
    assert result.mrr == Decimal("82.50")  # 990 / 12
    assert result.paying == 1
    assert result.trials == 0
    assert result.conversions_30d == 1
    assert result.churned_30d == 1
    assert result.churn_rate == Decimal("100.0")  # 1 paying 30 days ago (B), now churned


def test_company_page_shows_billing_and_actions(operator_client, company_a):
    html = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    assert "c_alfa" in html
    for action in ("extend_trial", "change_plan", "suspend", "export", "schedule_deletion"):
        assert f'data-testid="action-{action}"' in html


def test_company_page_of_an_unknown_or_public_company_is_404(operator_client):
    public = Company.objects.get(schema_name="public")
    assert operator_client.get(f"/operator/companies/{public.pk}/").status_code == 404
    assert operator_client.get("/operator/companies/999999/").status_code == 404


def test_extend_trial_moves_the_end_and_is_audited(operator_client, operator, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY, trial_ends_at=timezone.now() - timedelta(days=2))
    response = operator_client.post(
        f"/operator/companies/{company_a.pk}/extend-trial/", {"days": "10", "reason": "Klient prosił przez telefon"}
    )
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.status == CompanyStatus.TRIAL
    assert timedelta(days=9, hours=23) < company_a.trial_ends_at - timezone.now() <= timedelta(days=10)
    entry = _entry(company_a, "trial_extend")
    assert entry.operator_email == operator[0].email and entry.operator_id == operator[0].pk
    assert entry.reason == "Klient prosił przez telefon"
    assert entry.details["days"] == 10


def test_an_action_without_a_reason_is_refused_and_changes_nothing(operator_client, company_a):
    before = company_a.trial_ends_at
    response = operator_client.post(f"/operator/companies/{company_a.pk}/extend-trial/", {"days": "10", "reason": " "})
    assert response.status_code == 400
    assert "Podaj powód" in response.content.decode()
    company_a.refresh_from_db()
    assert company_a.trial_ends_at == before
    assert not OperatorAuditEntry.objects.exists()


def test_extend_trial_with_bad_days_is_refused(operator_client, company_a):
    response = operator_client.post(f"/operator/companies/{company_a.pk}/extend-trial/", {"days": "500", "reason": "x"})
    assert response.status_code == 400
    assert not OperatorAuditEntry.objects.exists()


def test_extend_trial_of_a_paying_company_is_refused(operator_client, company_a):
    company_set(company_a, status=CompanyStatus.ACTIVE)
    response = operator_client.post(f"/operator/companies/{company_a.pk}/extend-trial/", {"days": "5", "reason": "x"})
    assert response.status_code == 400
    assert "opłaconą subskrypcję" in response.content.decode()


def test_change_plan_of_a_trial_company_changes_its_limits_and_is_audited(operator_client, company_a):
    start = Plan.objects.get(code="start")
    response = operator_client.post(
        f"/operator/companies/{company_a.pk}/change-plan/", {"plan": start.pk, "reason": "Mała firma"}
    )
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.plan_id == start.pk
    entry = _entry(company_a, "plan_change")
    assert entry.details["plan"] == "start" and entry.reason == "Mała firma"


def test_change_plan_of_a_paying_company_moves_the_stripe_subscription(operator_client, company_a, fake_stripe):
    firma = Plan.objects.get(code="firma")
    firma.stripe_price_monthly = "price_test_firma_month"
    firma.save()
    customer = new_id("cus")
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    account = account_of(company_a)
    account.stripe_customer_id = customer
    account.stripe_subscription_id = sub["id"]
    account.stripe_subscription_status = "active"
    account.save()
    company_set(company_a, status=CompanyStatus.ACTIVE)
    operator_client.post(f"/operator/companies/{company_a.pk}/change-plan/", {"plan": firma.pk, "reason": "Rozwój"})
    assert fake_stripe.subscriptions[sub["id"]]["items"]["data"][0]["price"]["id"] == "price_test_firma_month"
    update = fake_stripe.calls("POST", f"/v1/subscriptions/{sub['id']}")[0].params
    assert update["proration_behavior"] == "create_prorations"
    assert _entry(company_a, "plan_change").details["stripe_subscription"] == sub["id"]


def test_suspend_takes_effect_at_once_and_reactivate_restores(operator_client, client_a, szef, company_a):
    client_a.login_as(szef)
    assert client_a.get("/billing/locked/").status_code == 200
    assert client_a.post("/api/v1/tasks/", {"title": "Przed"}).status_code == 201
    operator_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "Nadużycie API"})
    assert _status(company_a) == CompanyStatus.SUSPENDED
    assert client_a.get("/api/v1/tasks/").status_code == 402  # the very next request
    assert _entry(company_a, "suspend").reason == "Nadużycie API"
    again = operator_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "jeszcze raz"})
    assert again.status_code == 400

    operator_client.post(f"/operator/companies/{company_a.pk}/reactivate/", {"reason": "Wyjaśnione"})
    assert _status(company_a) == CompanyStatus.TRIAL
    assert client_a.post("/api/v1/tasks/", {"title": "Po"}).status_code == 201
    assert _entry(company_a, "reactivate").details["status"] == CompanyStatus.TRIAL


def test_export_makes_a_downloadable_archive_of_the_schema_without_secrets(
    operator_client, company_a, szef, django_capture_on_commit_callbacks
):
    with schema_context(company_a.schema_name):
        Customer.objects.create(name="Kowalski i Syn", kind="company")
        api_key_for(szef)  # a secret that must stay behind
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(f"/operator/companies/{company_a.pk}/export/", {"reason": "Prośba klienta"})
    assert response.status_code == 302
    export = CompanyExport.objects.get(company=company_a)
    assert export.status == CompanyExport.Status.READY
    assert _entry(company_a, "export").details["export_id"] == export.pk
    download = operator_client.get(f"/operator/exports/{export.pk}/download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert "manifest.json" in names and "tables/contacts_customer.csv" in names
    assert "tables/django_session.csv" not in names and "tables/accounts_apitoken.csv" not in names
    customers = archive.read("tables/contacts_customer.csv").decode()
    assert "Kowalski i Syn" in customers
    users = list(csv.DictReader(io.StringIO(archive.read("tables/accounts_user.csv").decode())))
    assert {u["email"] for u in users} == {"szef@alfa.test", "pracownik@alfa.test"}
    assert "password" not in users[0]
    assert _entry(company_a, "export_download").details["export_id"] == export.pk


def test_downloading_an_export_needs_an_operator(company_a, operator_client, django_capture_on_commit_callbacks):
    from django.conf import settings
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(f"/operator/companies/{company_a.pk}/export/", {"reason": "kopia"})
    export = CompanyExport.objects.get(company=company_a)
    anonymous = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    assert anonymous.get(f"/operator/exports/{export.pk}/download/").status_code == 302


def test_schedule_deletion_suspends_exports_and_can_be_cancelled(
    operator_client, company_a, fake_stripe, django_capture_on_commit_callbacks
):
    customer = new_id("cus")
    sub = fake_stripe.subscription_put(customer=customer, status="active")
    account = account_of(company_a)
    account.stripe_customer_id, account.stripe_subscription_id = customer, sub["id"]
    account.stripe_subscription_status = "active"
    account.save()
    company_set(company_a, status=CompanyStatus.ACTIVE)

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(
            f"/operator/companies/{company_a.pk}/schedule-deletion/", {"reason": "Wypowiedzenie umowy"}
        )
    schedule = DeletionSchedule.objects.get(company=company_a)
    assert schedule.is_pending
    assert timedelta(days=29, hours=23) < schedule.delete_after - timezone.now() <= timedelta(days=30)
    assert schedule.export.status == CompanyExport.Status.READY
    assert _status(company_a) == CompanyStatus.SUSPENDED
    assert fake_stripe.subscriptions[sub["id"]]["cancel_at_period_end"] is True  # no renewal will be charged
    assert _entry(company_a, "deletion_schedule").reason == "Wypowiedzenie umowy"
    page = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    assert 'data-testid="deletion-pending"' in page
    assert operator_client.post(f"/operator/companies/{company_a.pk}/reactivate/", {"reason": "x"}).status_code == 400

    operator_client.post(f"/operator/companies/{company_a.pk}/cancel-deletion/", {"reason": "Klient zostaje"})
    schedule.refresh_from_db()
    assert schedule.cancelled_at is not None
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert fake_stripe.subscriptions[sub["id"]]["cancel_at_period_end"] is False
    assert _entry(company_a, "deletion_cancel").reason == "Klient zostaje"
    assert operator_services.deletions_run(now=timezone.now() + timedelta(days=31)) == 0
    assert schema_exists(company_a.schema_name)


def test_scheduled_deletion_drops_the_schema_after_30_days_keeping_the_export(
    operator_client, companies, django_capture_on_commit_callbacks
):
    doomed = tenant_provision(
        name="Znikająca Sp. z o.o.", subdomain="znika", email="szef@znika.test", password="Haslo-testowe-123"
    ).company
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(f"/operator/companies/{doomed.pk}/schedule-deletion/", {"reason": "Koniec współpracy"})
    schedule = DeletionSchedule.objects.get(company=doomed)
    assert operator_services.deletions_run(now=timezone.now() + timedelta(days=29)) == 0
    assert schema_exists(doomed.schema_name)

    assert operator_services.deletions_run(now=timezone.now() + timedelta(days=30, minutes=1)) == 1
    assert not schema_exists(doomed.schema_name)
    assert not Company.objects.filter(pk=doomed.pk).exists()
    schedule.refresh_from_db()
    assert schedule.done_at is not None
    export = CompanyExport.objects.get(pk=schedule.export_id)
    assert export.status == CompanyExport.Status.READY
    download = operator_client.get(f"/operator/exports/{export.pk}/download/")
    assert download.status_code == 200  # the archive outlives the company
    entry = OperatorAuditEntry.objects.get(action="deletion_execute")
    assert entry.operator_email == "system" and entry.company_name == "Znikająca Sp. z o.o."
    assert entry.schema_name == "c_znika"
    assert OperatorAuditEntry.objects.filter(schema_name="c_znika", action="deletion_schedule").exists()


def test_deletion_makes_the_export_first_when_it_is_missing(companies, db, settings):
    doomed = tenant_provision(
        name="Bez Eksportu", subdomain="bezeksportu", email="szef@bez.test", password="Haslo-testowe-123"
    ).company
    schedule = DeletionSchedule.objects.create(
        company=doomed,
        schema_name=doomed.schema_name,
        company_name=doomed.name,
        requested_by_email="op@imcrm.test",
        reason="test",
        delete_after=timezone.now() - timedelta(minutes=1),
    )
    assert operator_services.deletions_run() == 1
    schedule.refresh_from_db()
    assert schedule.export is not None and schedule.export.status == CompanyExport.Status.READY
    assert not schema_exists("c_bezeksportu")


def test_audit_log_page_lists_entries_with_who_and_why(operator_client, operator, company_a):
    operator_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "Spam z konta"})
    html = operator_client.get("/operator/audit/").content.decode()
    assert "Spam z konta" in html and operator[0].email in html and "Alfa Sp. z o.o." in html
