"""Every company starts with the lead statuses (two locked ones), which Szef may rename
but not delete; the demo company gets sample leads once."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.leads.demo import LEADS, leads_demo_seed
from crm.leads.models import Lead, LeadStatus


def test_a_company_has_the_default_statuses_with_the_two_locked_codes(company_a):
    with schema_context(company_a.schema_name):
        locked = {status.code for status in LeadStatus.objects.filter(locked=True)}
        assert locked == {"converted", "lost"}
        assert LeadStatus.objects.filter(code="").count() >= 1


def test_a_locked_status_cannot_be_deleted_in_settings(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lost = LeadStatus.objects.get(code="lost")
    client_a.login_as(szef)

    response = client_a.post(f"/settings/categories/lead-statuses/{lost.pk}/delete/", {})

    assert response.status_code in (400, 302)
    with schema_context(company_a.schema_name):
        assert LeadStatus.objects.filter(pk=lost.pk).exists()


def test_the_demo_company_gets_sample_leads_once(company_a):
    with schema_context(company_a.schema_name):
        assert leads_demo_seed() == len(LEADS)
        assert leads_demo_seed() == 0
        lost = Lead.objects.get(status__code="lost")
        assert lost.lost_reason
