from __future__ import annotations

from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.company.models import CompanySettings
from crm.settings.demo import settings_demo_seed
from crm.settings.validators import nip_is_valid


def test_demo_settings_are_valid_and_seeding_twice_changes_nothing(company_a):
    with schema_context(company_a.schema_name):
        settings_demo_seed()
        first = CompanySettings.current()
        entries = ActivityEntry.objects.count()
        settings_demo_seed()
        again = CompanySettings.current()
        assert nip_is_valid(first.tax_id)
        assert (again.city, again.tax_id) == ("Dąbrowa Górnicza", first.tax_id)
        assert entries > 0 and ActivityEntry.objects.count() == entries


def test_demo_seed_keeps_what_szef_already_typed(company_a, company_settings_a):
    company_settings_a(city="Kraków")
    with schema_context(company_a.schema_name):
        settings_demo_seed()
        assert CompanySettings.current().city == "Kraków"
