"""The default categories a new company starts with are named in the signup's language."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.categories.models import ContactSource, DealStage, DealStatus, DealStatusCode, TaskCategory
from tenants.models import Company
from tests.public_site.helpers import signup_data


def _names(model) -> list[str]:
    return list(model.objects.order_by("position", "id").values_list("name", flat=True))


def test_an_english_signup_gets_english_category_names(public_client):
    public_client.cookies["django_language"] = "en"
    data = signup_data()
    response = public_client.post("/signup/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    company = Company.objects.get(subdomain=data["subdomain"])
    with schema_context(company.schema_name):
        assert User.objects.get().language == "en"
        assert _names(DealStage)[:2] == ["First contact", "Needs analysis"]
        assert "Referral" in _names(ContactSource)
        assert "Meeting" in _names(TaskCategory)
        assert DealStatus.objects.get(code=DealStatusCode.WON).name != "Wygrane"
        assert not DealStage.objects.filter(name="Pierwszy kontakt").exists()


def test_a_polish_signup_keeps_polish_category_names(public_client):
    data = signup_data()
    public_client.post("/signup/", data, HTTP_ACCEPT_LANGUAGE="pl")

    company = Company.objects.get(subdomain=data["subdomain"])
    with schema_context(company.schema_name):
        assert _names(DealStage)[:2] == ["Pierwszy kontakt", "Analiza potrzeb"]
        assert DealStatus.objects.get(code=DealStatusCode.WON).name == "Wygrane"
