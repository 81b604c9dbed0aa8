"""The customer statuses the home page counts by code are locked like the four sales
statuses: rename and recolour yes, delete no; the refusal names the locked statuses
by their current names."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.categories.models import CustomerStatus, DealStatus, DealStatusCode

CODED = {"Nowy", "Bieżący", "Formalny", "Do kontaktu"}


def test_the_four_coded_customer_statuses_are_locked_and_others_are_not(company_a):
    with schema_context(company_a.schema_name):
        locked = set(CustomerStatus.objects.filter(locked=True).values_list("name", flat=True))
        coded = set(CustomerStatus.objects.exclude(code="").values_list("name", flat=True))
        unlocked = CustomerStatus.objects.filter(locked=False).count()
    assert locked == coded == CODED
    assert unlocked >= 1  # "Nieaktywny" stays deletable


def test_locked_customer_status_cannot_be_deleted_on_the_page_or_in_the_api(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        new = CustomerStatus.objects.get(code="new")
        count = CustomerStatus.objects.count()
    client_a.login_as(szef)

    page = client_a.get(f"/settings/categories/customer-statuses/{new.pk}/delete/").content.decode()
    posted = client_a.post(f"/settings/categories/customer-statuses/{new.pk}/delete/")
    api = client_a.delete(f"/api/v1/settings/customer-statuses/{new.pk}/")

    assert 'data-testid="locked-message"' in page and "Bieżący" in page
    assert posted.status_code == 400
    assert api.status_code == 400 and "Do kontaktu" in api.json()["detail"]
    with schema_context(company_a.schema_name):
        assert CustomerStatus.objects.count() == count


def test_locked_customer_status_can_be_renamed_and_recoloured(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        current = CustomerStatus.objects.get(code="current")
    response = client_a.login_as(szef).patch(
        f"/api/v1/settings/customer-statuses/{current.pk}/",
        {"name": "Stały klient", "color": "#112233"},
        content_type="application/json",
    )
    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        current.refresh_from_db()
    assert (current.name, current.color, current.locked) == ("Stały klient", "#112233", True)


def test_refusal_names_the_statuses_by_their_current_names(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        CustomerStatus.objects.filter(code="formal").update(name="Umowa podpisana")
        DealStatus.objects.filter(code=DealStatusCode.WON).update(name="Sukces")
        status = CustomerStatus.objects.get(code="new")
        lost = DealStatus.objects.get(code=DealStatusCode.LOST)
    client_a.login_as(szef)

    customer_refusal = client_a.delete(f"/api/v1/settings/customer-statuses/{status.pk}/").json()["detail"]
    deal_refusal = client_a.delete(f"/api/v1/settings/deal-statuses/{lost.pk}/").json()["detail"]

    assert "Umowa podpisana" in customer_refusal and "Formalny" not in customer_refusal
    assert "Sukces" in deal_refusal and "Wygrane" not in deal_refusal


def test_pracownik_cannot_delete_a_status_at_all(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        status = CustomerStatus.objects.get(code="new")
    response = client_a.login_as(pracownik).delete(f"/api/v1/settings/customer-statuses/{status.pk}/")
    assert response.status_code == 403
