"""Anonymising a lead (RODO, issue 18): personal fields replaced, notes and files deleted
(also from the disk), mentions swept from every table and the search, the estimated
value kept; irreversible, confirmed by the typed name, Szef only, logged without the
person's data; a converted lead is refused (its customer or contact is anonymised)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.leads.models import Lead
from crm.leads.services import lead_task_add
from crm.notes.models import Attachment, Note
from crm.notes.services import note_create
from crm.tasks.models import Task
from tests.crm.leads.factories import lead_make
from tests.crm.notes.factories import AttachmentFactory
from tests.crm.privacy.test_anonymise import _hits

NAME, EMAIL, PHONE = "Jadwiga Kałużna", "jadwiga.kaluzna@poczta.test", "+48 603 777 888"
TRACES = ["Kałużna", "kaluzna", EMAIL, "603 777 888", "603777888"]


@pytest.fixture
def jadwiga(company_a: Any, szef: Any, api_szef: Any) -> dict[str, Any]:
    with schema_context(company_a.schema_name):
        lead = lead_make(
            actor=szef,
            name=NAME,
            email=EMAIL,
            phone=PHONE,
            company_name="Sklep Pod Lipą",
            position="Właścicielka",
            description=f"Dzwonić: {PHONE}",
            value=Decimal("1200.00"),
        )
        note_create(target=lead, author=szef, body=f"{NAME} prosi o ofertę")
        upload = AttachmentFactory(customer=None, lead=lead, name="wizytowka.txt")
        task = lead_task_add(lead=lead, actor=szef, title=f"Oddzwonić do {NAME}")
        other = lead_make(actor=szef, name="Inny Lead", email="inny@x.test")
        assert default_storage.exists(upload.file.name)
    return {"lead": lead, "stored": upload.file.name, "task": task, "other": other}


def test_an_anonymised_lead_leaves_no_trace_and_keeps_its_value(
    api_szef, client_a, szef, jadwiga, company_a, django_capture_on_commit_callbacks
):
    lead = jadwiga["lead"]
    with schema_context(company_a.schema_name):
        assert {t for t, _ in _hits(TRACES)} >= {"leads_lead", "notes_note", "tasks_task"}

    with django_capture_on_commit_callbacks(execute=True):
        response = api_szef.post(f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": "jadwiga  KAŁUŻNA"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"id": lead.pk, "name": f"Osoba zanonimizowana #{lead.pk}"}
    with schema_context(company_a.schema_name):
        assert _hits(TRACES) == set()
        lead = Lead.objects.get(pk=lead.pk)
        assert (lead.email, lead.phone, lead.position, lead.description) == ("", "", "", "")
        assert lead.value == Decimal("1200.00") and lead.company_name == "Sklep Pod Lipą"
        assert not Note.objects.filter(lead=lead).exists() and not Attachment.objects.filter(lead=lead).exists()
        assert Task.objects.filter(pk=jadwiga["task"].pk).exists()  # the task stays, its title swept
        assert Lead.objects.get(pk=jadwiga["other"].pk).name == "Inny Lead"
        entry = ActivityEntry.objects.filter(code="person.anonymised").get()
        assert entry.user_id == szef.pk and entry.params == {"type": "lead"}
    with schema_context(company_a.schema_name):
        assert not default_storage.exists(jadwiga["stored"])
    client_a.login_as(szef)
    assert NAME not in client_a.get("/search/", {"q": "Kałużna"}).content.decode()
    assert api_szef.get("/api/v1/leads/", {"search": "kaluzna"}).json()["results"] == []
    again = api_szef.post(f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": lead.name}, format="json")
    assert again.status_code == 400


def test_a_wrong_confirmation_or_a_converted_lead_changes_nothing(api_szef, szef, jadwiga, company_a):
    lead = jadwiga["lead"]
    wrong = api_szef.post(f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": "Jadwiga"}, format="json")
    converted = api_szef.post(f"/api/v1/leads/{lead.pk}/convert/", {}, format="json")
    refused = api_szef.post(f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": NAME}, format="json")

    assert wrong.status_code == 400 and "confirm" in wrong.json()
    assert converted.status_code in (200, 201)
    assert refused.status_code == 400 and "skonwertowany" in str(refused.json())
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).email == EMAIL
        assert Note.objects.filter(body__contains=NAME).exists()


@pytest.mark.parametrize("who", ["api_kierownik", "api_pracownik"])
def test_only_szef_may_anonymise_a_lead(request, who, jadwiga, company_a):
    lead = jadwiga["lead"]
    response = request.getfixturevalue(who).post(
        f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": NAME}, format="json"
    )

    assert response.status_code == 403
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).name == NAME


def test_another_companys_szef_gets_not_found(api_outsider, client_b, outsider, jadwiga, company_a):
    lead = jadwiga["lead"]
    client_b.login_as(outsider)

    assert api_outsider.post(f"/api/v1/leads/{lead.pk}/anonymise/", {"confirm": NAME}, format="json").status_code == 404
    assert client_b.post(f"/customers/leads/{lead.pk}/anonymise/", {"confirm": NAME}).status_code == 404
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).name == NAME


def test_the_lead_card_links_the_confirmation_page_that_anonymises_on_the_typed_name(
    client_a, szef, pracownik, jadwiga, company_a
):
    lead = jadwiga["lead"]
    client_a.login_as(pracownik)
    assert 'data-testid="lead-anonymise"' not in client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert client_a.get(f"/customers/leads/{lead.pk}/anonymise/").status_code == 403
    client_a.login_as(szef)
    card = client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert f'href="/customers/leads/{lead.pk}/anonymise/"' in card
    page = client_a.get(f"/customers/leads/{lead.pk}/anonymise/").content.decode()
    assert "Tego nie da się cofnąć." in page and "Zostają szacowana wartość" in page

    wrong = client_a.post(f"/customers/leads/{lead.pk}/anonymise/", {"confirm": "ktoś inny"})
    done = client_a.post(f"/customers/leads/{lead.pk}/anonymise/", {"confirm": NAME})

    assert wrong.status_code == 400
    assert done.status_code == 302 and done["Location"] == f"/leads/{lead.pk}/"
    card = client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-testid="lead-anonymised"' in card and NAME not in card
