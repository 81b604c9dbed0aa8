"""An operator records a bank-transfer payment (pro-forma) for a plan and a period:
the company is active at once, the payment is audited and shown in the console, and
beat turns the company read-only when the paid period ends."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from billing_saas.lifecycle import company_lifecycle_advance
from billing_saas.models import OperatorAuditEntry, Plan
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import account_of, company_set, operator_create, operator_sign_in


def _status(company) -> str:
    company.refresh_from_db()
    return str(company.status)


def _form(plan: Plan, days: int = 30, **extra):
    until = timezone.localdate() + timedelta(days=days)
    return {"plan": plan.pk, "paid_until": until.isoformat(), "reference": "PF/2026/12/7", "reason": "Przelew", **extra}


def test_marking_paid_makes_a_read_only_company_active_and_is_audited(operator_client, client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    firma = Plan.objects.get(code="firma")
    response = operator_client.post(f"/operator/companies/{company_a.pk}/mark-paid/", _form(firma, days=365))
    assert response.status_code == 302
    assert _status(company_a) == CompanyStatus.ACTIVE
    assert company_a.plan_id == firma.pk
    entry = OperatorAuditEntry.objects.get(company=company_a, action="manual_payment")
    assert entry.reason == "Przelew"
    assert entry.details["reference"] == "PF/2026/12/7" and entry.details["plan"] == "firma"
    page = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    until = (timezone.localdate() + timedelta(days=366)).strftime("%d.%m.%Y")  # the Polish date format
    assert f'data-testid="manual-paid-until">{until}' in page
    assert "Płatność przelewem" in page  # in the company's audit list
    assert client_a.login_as(szef).post("/api/v1/tasks/", {"title": "Znowu piszemy"}).status_code == 201


def test_marking_paid_without_plan_reason_or_with_a_past_date_changes_nothing(operator_client, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    start = Plan.objects.get(code="start")
    url = f"/operator/companies/{company_a.pk}/mark-paid/"
    no_plan = operator_client.post(url, {**_form(start), "plan": ""})
    assert no_plan.status_code == 400 and "Wybierz plan." in no_plan.content.decode()
    assert operator_client.post(url, _form(start, reason="")).status_code == 400
    past = operator_client.post(url, _form(start, days=-1))
    assert past.status_code == 400 and "musi być w przyszłości" in past.content.decode()
    assert _status(company_a) == CompanyStatus.READ_ONLY
    assert not OperatorAuditEntry.objects.filter(company=company_a, action="manual_payment").exists()


def test_the_paid_period_ends_read_only(operator_client, company_a):
    operator_client.post(f"/operator/companies/{company_a.pk}/mark-paid/", _form(Plan.objects.get(code="start")))
    assert _status(company_a) == CompanyStatus.ACTIVE
    company_lifecycle_advance(now=timezone.now() + timedelta(days=10))
    assert _status(company_a) == CompanyStatus.ACTIVE
    company_lifecycle_advance(now=timezone.now() + timedelta(days=32))
    assert _status(company_a) == CompanyStatus.READ_ONLY
    assert account_of(company_a).read_only_since is not None


def test_an_operator_suspension_outlives_a_manual_payment(operator_client, company_a):
    operator_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "Nadużycie"})
    operator_client.post(f"/operator/companies/{company_a.pk}/mark-paid/", _form(Plan.objects.get(code="start")))
    assert _status(company_a) == CompanyStatus.SUSPENDED


def test_plan_dropdowns_offer_a_proper_empty_choice(operator_client, company_a):
    page = operator_client.get(f"/operator/companies/{company_a.pk}/").content.decode()
    assert "---------" not in page
    assert "Wybierz plan…" in page


def test_only_an_operator_can_mark_a_company_paid(public_ip_client, client_a, szef, company_a, companies, db):
    url = f"/operator/companies/{company_a.pk}/mark-paid/"
    data = _form(Plan.objects.get(code="start"))
    anonymous = public_ip_client.post(url, data)
    assert anonymous.status_code == 302 and "/operator/accounts/login/" in anonymous["Location"]
    assert client_a.login_as(szef).post(url, data).status_code == 404  # no operator console on a company host
    user, secret = operator_create(is_staff=False)
    operator_sign_in(public_ip_client, user, secret)
    assert public_ip_client.post(url, data).status_code == 403
    assert not OperatorAuditEntry.objects.filter(company=company_a, action="manual_payment").exists()


def test_marking_an_unknown_company_paid_is_404(operator_client):
    assert operator_client.post("/operator/companies/999999/mark-paid/", {}).status_code == 404
