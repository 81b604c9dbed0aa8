"""Every factory makes a valid row where the tests use it: CRM rows inside a company's
schema, tenants and billing rows in the public schema."""

from __future__ import annotations

import pytest
from django.db import models
from django_tenants.utils import schema_context

from crm.accounts.models import Role
from crm.categories.models import DealStatusCode
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from tenants.models import Company
from tests.billing_saas import factories as billing
from tests.crm.accounts.factories import ApiTokenFactory, InvitationFactory, UserFactory
from tests.crm.activity.factories import ActivityEntryFactory
from tests.crm.categories import factories as categories
from tests.crm.company.factories import CompanySettingsFactory
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory, CustomerImportFactory
from tests.crm.dashboard.factories import HomepageLayoutFactory
from tests.crm.notes.factories import AttachmentFactory, NoteFactory, NoteRevisionFactory, TimelineEventFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory
from tests.support.companies import PASSWORD
from tests.tenants.factories import CompanyFactory, DomainFactory

CATEGORY_FACTORIES = [
    categories.ContactGroupFactory,
    categories.ContactSourceFactory,
    categories.CustomerStatusFactory,
    categories.CustomerTypeFactory,
    categories.TaskCategoryFactory,
    categories.DealCategoryFactory,
    categories.DealStatusFactory,
    categories.DealStageFactory,
    categories.WinReasonFactory,
    categories.LossReasonFactory,
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


def _saved(obj: models.Model) -> bool:
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("factory", CATEGORY_FACTORIES, ids=lambda f: f.__name__)
def test_category_factories_make_rows_beside_the_seeded_ones(company_a, factory):
    with schema_context(company_a.schema_name):
        made = [factory(), factory()]
        assert all(_saved(obj) for obj in made)
        assert made[0].name != made[1].name


def test_record_factories_make_a_customer_with_its_deal_task_note_file_and_history(company_a, szef):
    with schema_context(company_a.schema_name):
        group = categories.ContactGroupFactory()
        customer = CustomerFactory(owner=szef, groups=[group], followers=[szef])
        deal = DealFactory(customer=customer, owner=szef)
        task = TaskFactory(customer=customer, deal=deal, assignee=szef)
        note = NoteFactory(customer=customer, author=szef)
        rows = [
            ContactPersonFactory(customer=customer),
            NoteRevisionFactory(note=note),
            AttachmentFactory(customer=customer, uploaded_by=szef),
            TimelineEventFactory(customer=customer, deal=deal, actor=szef),
            CustomerImportFactory(created_by=szef),
            ActivityEntryFactory(user=szef),
        ]

        assert all(_saved(obj) for obj in [customer, deal, task, note, *rows])
        assert deal.status.code == DealStatusCode.IN_PROGRESS
        assert list(customer.groups.all()) == [group] and list(customer.followers.all()) == [szef]
        assert Customer.objects.filter(search_text__contains=customer.name.lower().split()[0]).exists()
        assert rows[5].user_label == szef.email


def test_staff_factories_make_people_who_can_sign_in_and_use_the_api(company_a, client_a):
    with schema_context(company_a.schema_name):
        kierownik = UserFactory(role=Role.KIEROWNIK)
        invitation = InvitationFactory(invited_by=kierownik)
        token = ApiTokenFactory(user=kierownik, key="klucz-testowy-0123456789")
        layout = HomepageLayoutFactory(role=Role.KIEROWNIK, widgets=["tasks"])
        assert kierownik.check_password(PASSWORD) and invitation.is_pending and _saved(layout)

    assert client_a.get("/api/v1/", HTTP_AUTHORIZATION="Token klucz-testowy-0123456789").status_code == 200
    assert token.user == kierownik


def test_company_settings_factory_changes_the_one_row(company_a):
    with schema_context(company_a.schema_name):
        CompanySettingsFactory(restrict_pracownik_to_own=True)
        CompanySettingsFactory(city="Łódź")
        assert CompanySettings.objects.count() == 1
        row = CompanySettings.objects.get()
        assert row.restrict_pracownik_to_own and row.city == "Łódź"


def test_billing_factories_make_public_rows(company_a):
    plan = billing.PlanFactory(seat_limit=3)
    rows = [
        billing.BillingAccountFactory(company=company_a),
        billing.StripeEventFactory(company=company_a),
        billing.TrialReminderFactory(company=company_a),
        billing.OperatorAuditEntryFactory(company=company_a),
        billing.DeletionScheduleFactory(company=company_a, export=billing.CompanyExportFactory(company=company_a)),
    ]
    assert plan.is_active and plan.seat_limit == 3
    assert all(_saved(obj) for obj in rows)
    assert billing.BillingAccountFactory(company=company_a) == rows[0]


def test_company_factory_provisions_a_company_with_its_schema_and_szef(companies, db):
    company = CompanyFactory(name="Trzecia Firma Sp. z o.o.")
    alias = DomainFactory(tenant=company)

    assert Company.objects.get(pk=company.pk).name == "Trzecia Firma Sp. z o.o."
    assert alias.tenant_id == company.pk
    with schema_context(company.schema_name):
        from crm.accounts.models import User

        assert User.objects.get(email=f"szef@{company.subdomain}.test").role == Role.SZEF
