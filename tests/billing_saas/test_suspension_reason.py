"""The suspended banner and the locked page tell the truth: an operator's suspension
asks the company to contact us; only a suspension for want of payment asks to pay."""

from __future__ import annotations

from tenants.models import CompanyStatus
from tests.billing_saas.conftest import account_of, company_set


def _banner(html: str) -> str:
    return html.split('data-testid="billing-banner"')[1].split("</div>")[0]


def test_operator_suspension_tells_staff_to_contact_us_not_to_pay(operator_client, client_a, szef, company_a):
    operator_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "Nadużycie API"})
    client_a.login_as(szef)
    billing = client_a.get("/settings/billing/").content.decode()
    banner = _banner(billing)
    assert "zawieszone przez operatora: skontaktuj się z nami" in banner
    assert "opłać" not in banner.lower()
    locked = client_a.get("/customers/")
    assert locked.status_code == 403
    html = locked.content.decode()
    assert "zawieszone przez operatora: skontaktuj się z nami" in html
    assert 'data-testid="suspended-by-operator"' in html
    assert client_a.get("/api/v1/tasks/").json()["detail"].startswith("Konto firmy jest zawieszone przez operatora")


def test_suspension_for_unpaid_bills_asks_to_pay(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    account = account_of(company_a)
    assert not account.operator_suspended
    client_a.login_as(szef)
    banner = _banner(client_a.get("/settings/billing/").content.decode())
    assert "opłać subskrypcję, aby przywrócić" in banner
    assert "operatora" not in banner
    html = client_a.get("/customers/").content.decode()
    assert "do czasu opłacenia subskrypcji" in html
    assert 'data-testid="suspended-by-operator"' not in html
