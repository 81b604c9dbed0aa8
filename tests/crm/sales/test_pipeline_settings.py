"""Settings > Lejki sprzedaży (/settings/pipelines/): Szef only, another company's
pipeline is not found, bad input changes nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.categories.models import DealStage, Pipeline, pipeline_default
from crm.sales import pipelines, services
from tests.crm.sales.helpers import customer_make


def test_szef_adds_a_pipeline_and_a_stage_and_sets_its_probability(client_a, szef, company_a):
    client_a.login_as(szef)

    page = client_a.get("/settings/pipelines/")
    added = client_a.post("/settings/pipelines/add/", {"name": "Serwis"})
    with schema_context(company_a.schema_name):
        serwis = Pipeline.objects.get(name="Serwis")
    stage = client_a.post(
        f"/settings/pipelines/{serwis.pk}/stages/add/", {"name": "Diagnoza", "color": "#aa5500", "probability": "35"}
    )

    assert page.status_code == 200 and "Lejki sprzedaży" in page.content.decode()
    assert added.status_code == 302 and stage.status_code == 302
    with schema_context(company_a.schema_name):
        made = DealStage.objects.get(name="Diagnoza")
        assert (made.pipeline_id, made.probability, made.color) == (serwis.pk, 35, "#aa5500")
    assert "Diagnoza" in client_a.get("/settings/pipelines/").content.decode()


def test_pracownik_and_kierownik_cannot_open_or_change_pipeline_settings(client_a, pracownik, kierownik, company_a):
    with schema_context(company_a.schema_name):
        default = pipeline_default()
    for person in (pracownik, kierownik):
        client_a.login_as(person)
        assert client_a.get("/settings/pipelines/").status_code == 403
        assert client_a.post(f"/settings/pipelines/{default.pk}/", {"name": "Zmieniony"}).status_code == 403
    with schema_context(company_a.schema_name):
        assert Pipeline.objects.get(pk=default.pk).name == default.name


def test_another_companys_pipeline_settings_are_not_found(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        stage = pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza")
    client_b.login_as(outsider)

    assert client_b.post(f"/settings/pipelines/{serwis.pk}/", {"name": "X"}).status_code == 404
    assert client_b.post(f"/settings/pipelines/{serwis.pk}/delete/").status_code == 404
    assert client_b.post(f"/settings/pipelines/{serwis.pk}/stages/{stage.pk}/delete/").status_code == 404
    with schema_context(company_a.schema_name):
        assert DealStage.objects.filter(pk=stage.pk).exists()


def test_bad_probability_or_a_pipeline_with_deals_is_refused_with_a_message_and_nothing_changes(
    client_a, szef, company_a
):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        stage = pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza", probability=40)
        services.deal_create(actor=szef, name="Naprawa", customer=customer_make(), stage=stage)
    client_a.login_as(szef)

    too_likely = client_a.post(
        f"/settings/pipelines/{serwis.pk}/stages/{stage.pk}/",
        {"name": "Diagnoza", "color": "#123456", "probability": "101"},
    )
    in_use = client_a.post(f"/settings/pipelines/{serwis.pk}/delete/")
    default_gone = client_a.post(f"/settings/pipelines/{pipeline_default_pk(company_a)}/delete/")

    assert too_likely.status_code == 400 and "od 0 do 100" in too_likely.content.decode()
    assert in_use.status_code == 400 and "Wskaż lejek" in in_use.content.decode()
    assert default_gone.status_code == 400
    with schema_context(company_a.schema_name):
        stage.refresh_from_db()
        assert (stage.probability, stage.color) == (40, "#3498db")
        assert Pipeline.objects.count() == 2


def pipeline_default_pk(company) -> int:
    with schema_context(company.schema_name):
        return pipeline_default().pk
