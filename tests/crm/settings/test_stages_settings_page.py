"""The stages live in Settings > Lejki sprzedaży, per pipeline. Settings > Sprzedaż no longer
lists them (a stage added there went to the default pipeline, whichever board one was
looking at): it points to the pipelines page, and the old stage addresses land there."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.categories.models import DealStage, pipeline_default
from crm.sales import pipelines


def test_sales_settings_point_to_the_pipelines_page_instead_of_listing_stages(client_a, szef):
    html = client_a.login_as(szef).get("/settings/sales/").content.decode()

    assert 'data-testid="managed-at-deal-stages"' in html and 'href="/settings/pipelines/"' in html
    assert 'data-testid="list-deal-stages"' not in html and 'data-testid="add-deal-stages"' not in html
    assert 'data-testid="list-deal-statuses"' in html  # the other sales lists stay


def test_old_stage_addresses_lead_to_the_stages_pipeline(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        stage = pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza")
    client = client_a.login_as(szef)

    edit = client.get(f"/settings/categories/deal-stages/{stage.pk}/edit/")
    delete = client.get(f"/settings/categories/deal-stages/{stage.pk}/delete/")
    add = client.get("/settings/categories/deal-stages/add/")

    assert edit.status_code == 302 and edit["Location"] == f"/settings/pipelines/#pipeline-{serwis.pk}"
    assert delete.status_code == 302 and delete["Location"] == f"/settings/pipelines/#pipeline-{serwis.pk}"
    assert add.status_code == 302 and add["Location"] == "/settings/pipelines/"


def test_a_form_posted_to_an_old_stage_address_changes_nothing_and_says_where_stages_are(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        before = list(DealStage.objects.values_list("pk", "name", "position"))
        oferta = DealStage.objects.get(pipeline=pipeline_default(), name="Oferta")
    client = client_a.login_as(szef)

    added = client.post(
        "/settings/categories/deal-stages/add/", {"deal-stages-name": "Wycena", "deal-stages-color": "#112233"}
    )
    renamed = client.post(
        f"/settings/categories/deal-stages/{oferta.pk}/edit/", {"name": "Zmieniona", "color": "#112233"}
    )
    deleted = client.post(f"/settings/categories/deal-stages/{oferta.pk}/delete/")
    dragged = client.post(f"/settings/categories/deal-stages/{oferta.pk}/move/", {"position": "1", "format": "json"})
    landed = client.get(added["Location"]).content.decode()

    assert added.status_code == renamed.status_code == deleted.status_code == 302
    assert dragged.status_code == 400 and "Lejki sprzedaży" in dragged.json()["error"]
    assert "osobno dla każdego lejka" in landed
    with schema_context(company_a.schema_name):
        assert list(DealStage.objects.values_list("pk", "name", "position")) == before


def test_pracownik_and_kierownik_get_403_at_the_old_stage_addresses(client_a, pracownik, kierownik, company_a):
    with schema_context(company_a.schema_name):
        oferta = DealStage.objects.get(pipeline=pipeline_default(), name="Oferta")
    for person in (pracownik, kierownik):
        client = client_a.login_as(person)
        assert client.get("/settings/sales/").status_code == 403
        assert client.get(f"/settings/categories/deal-stages/{oferta.pk}/edit/").status_code == 403
        assert client.post("/settings/categories/deal-stages/add/", {"deal-stages-name": "X"}).status_code == 403
    with schema_context(company_a.schema_name):
        assert not DealStage.objects.filter(name="X").exists()


def test_an_outsider_does_not_find_another_companys_stage_at_the_old_addresses(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        stage = pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza")
    client = client_b.login_as(outsider)

    assert client.get(f"/settings/categories/deal-stages/{stage.pk}/edit/").status_code == 404
    assert client.post(f"/settings/categories/deal-stages/{stage.pk}/delete/").status_code == 404
    with schema_context(company_a.schema_name):
        assert DealStage.objects.filter(pk=stage.pk).exists()


# --- dragging a stage within its pipeline (Settings > Lejki sprzedaży) ---------------------


def _names(pipeline) -> list[str]:
    return list(DealStage.objects.filter(pipeline=pipeline).order_by("position", "id").values_list("name", flat=True))


def test_dragging_a_stage_moves_it_within_its_pipeline_only(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        default = pipeline_default()
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        for name in ("Zgłoszenie", "Naprawa"):
            pipelines.stage_create(actor=None, pipeline=serwis, name=name)
        finalizacja = DealStage.objects.get(pipeline=default, name="Finalizacja")
    client = client_a.login_as(szef)

    dragged = client.post(
        f"/settings/pipelines/{default.pk}/stages/{finalizacja.pk}/move/", {"position": "1", "format": "json"}
    )
    arrows = client.post(f"/settings/pipelines/{default.pk}/stages/{finalizacja.pk}/move/", {"position": "2"})

    assert dragged.status_code == 200 and dragged.json() == {"ok": True, "position": 1}
    assert arrows.status_code == 302
    with schema_context(company_a.schema_name):
        assert _names(default)[:3] == ["Pierwszy kontakt", "Finalizacja", "Analiza potrzeb"]
        assert _names(serwis) == ["Zgłoszenie", "Naprawa"]


def test_a_bad_place_or_another_pipelines_stage_is_refused_and_nothing_moves(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        default = pipeline_default()
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        oferta = DealStage.objects.get(pipeline=default, name="Oferta")
        before = _names(default)
    client = client_a.login_as(szef)

    negative = client.post(
        f"/settings/pipelines/{default.pk}/stages/{oferta.pk}/move/", {"position": "-3", "format": "json"}
    )
    text = client.post(f"/settings/pipelines/{default.pk}/stages/{oferta.pk}/move/", {"position": "pierwsze"})
    elsewhere = client.post(f"/settings/pipelines/{serwis.pk}/stages/{oferta.pk}/move/", {"position": "1"})

    assert negative.status_code == 400 and "Pozycja" in negative.json()["error"]
    assert text.status_code == 400 and "Pozycja musi być liczbą od 1." in text.content.decode()
    assert elsewhere.status_code == 404
    with schema_context(company_a.schema_name):
        assert _names(default) == before


def test_only_szef_drags_stages_and_an_outsider_finds_nothing(client_a, client_b, pracownik, outsider, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        pipelines.stage_create(actor=None, pipeline=serwis, name="Zgłoszenie")
        naprawa = pipelines.stage_create(actor=None, pipeline=serwis, name="Naprawa")
    url = f"/settings/pipelines/{serwis.pk}/stages/{naprawa.pk}/move/"

    assert client_a.login_as(pracownik).post(url, {"position": "1"}).status_code == 403
    assert client_b.login_as(outsider).post(url, {"position": "1"}).status_code == 404
    with schema_context(company_a.schema_name):
        assert _names(serwis) == ["Zgłoszenie", "Naprawa"]


def test_the_pipelines_page_offers_dragging_the_stages(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        default = pipeline_default()
    html = client_a.login_as(szef).get("/settings/pipelines/").content.decode()
    assert f'data-testid="stage-rows-{default.pk}"' in html and "data-sortable-list" in html
    assert "Sortable.min.js" in html and f"/settings/pipelines/{default.pk}/stages/" in html
