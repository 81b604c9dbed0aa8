""" "This was not me": the owner of an address someone used to open a company reports it
from the welcome e-mail; the company is scheduled for deletion through the operator's
mechanism, audited, and marked in the operator console (billing_saas/not_me.py)."""

from __future__ import annotations

import html

import pytest

from billing_saas.models import DeletionSchedule, OperatorAction, OperatorAuditEntry
from tenants.models import Company, CompanyStatus
from tenants.routing import tenant_lookup_invalidate
from tests.support.owner_email import OWNER_EMAIL, unconfirmed_company_create, welcome_links


@pytest.fixture
def fresh(companies, db):
    tenant_lookup_invalidate()
    company = unconfirmed_company_create(name="Cudza Firma Sp. z o.o.")
    yield company
    tenant_lookup_invalidate()


def _outcome(response) -> str:
    return response.content.decode().split('data-outcome="', 1)[1].split('"', 1)[0]


def _reload(company: Company) -> Company:
    company.refresh_from_db()
    return company


def test_not_me_suspends_the_company_schedules_its_deletion_and_writes_the_audit_log(fresh, public_client):
    path = welcome_links(fresh)["not_me"]

    asked = public_client.get(path)
    assert "Ktoś założył w ImCRM firmę „Cudza Firma Sp. z o.o.”, podając adres" in html.unescape(asked.content.decode())
    assert not DeletionSchedule.objects.filter(company=fresh).exists()  # opening the link does nothing

    done = public_client.post(path)

    assert _outcome(done) == "done"
    company = _reload(fresh)
    assert company.owner_reported_not_me_at is not None
    assert company.status == CompanyStatus.SUSPENDED
    schedule = DeletionSchedule.objects.get(company=company, cancelled_at=None, done_at=None)
    assert round((schedule.delete_after - schedule.requested_at).total_seconds() / 86400) == 30
    report = OperatorAuditEntry.objects.get(company=company, action=OperatorAction.NOT_ME_REPORT)
    assert report.operator_email == "system"
    assert report.details == {"email": OWNER_EMAIL}
    assert OWNER_EMAIL in report.reason
    assert OperatorAuditEntry.objects.filter(company=company, action=OperatorAction.DELETION_SCHEDULE).count() == 1


def test_a_second_report_and_a_later_confirmation_change_nothing(fresh, public_client):
    links = welcome_links(fresh)
    public_client.post(links["not_me"])

    again = public_client.post(links["not_me"])
    confirm = public_client.post(links["confirm"])

    assert _outcome(again) == "already"
    assert _outcome(confirm) == "reported"
    assert _reload(fresh).owner_email_confirmed_at is None
    assert DeletionSchedule.objects.filter(company=fresh).count() == 1
    assert OperatorAuditEntry.objects.filter(company=fresh, action=OperatorAction.NOT_ME_REPORT).count() == 1


def test_once_the_owner_confirmed_the_not_me_link_changes_nothing(fresh, public_client):
    links = welcome_links(fresh)
    public_client.post(links["confirm"])

    response = public_client.post(links["not_me"])

    assert _outcome(response) == "confirmed"
    company = _reload(fresh)
    assert company.owner_reported_not_me_at is None and company.status == CompanyStatus.TRIAL
    assert not DeletionSchedule.objects.filter(company=company).exists()


def test_operator_console_shows_the_company_was_reported_as_not_me(fresh, public_client, operator_client):
    public_client.post(welcome_links(fresh)["not_me"])

    detail = html.unescape(operator_client.get(f"/operator/companies/{fresh.pk}/").content.decode())
    listing = html.unescape(operator_client.get("/operator/?q=cudza").content.decode())

    assert 'data-testid="reported-not-me"' in detail
    assert "Zgłoszona jako „to nie ja”" in detail
    assert 'data-testid="deletion-pending"' in detail
    assert "Zgłoszenie „to nie ja”" in detail  # the audit entry on the company's page
    assert 'data-testid="reported-not-me"' in listing


def test_operator_can_still_cancel_the_deletion_of_a_reported_company(fresh, public_client, operator_client):
    public_client.post(welcome_links(fresh)["not_me"])

    response = operator_client.post(
        f"/operator/companies/{fresh.pk}/cancel-deletion/", {"reason": "Właściciel zadzwonił: to pomyłka"}
    )

    assert response.status_code == 302
    assert not DeletionSchedule.objects.filter(company=fresh, cancelled_at=None).exists()
    assert _reload(fresh).status == CompanyStatus.TRIAL
