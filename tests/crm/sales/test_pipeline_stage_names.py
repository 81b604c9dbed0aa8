"""Stage names are unique per pipeline (as in Pipedrive): "Hurt" and "Serwis" may both have
an "Oferta", one pipeline may not have two (any letter case), in the Settings form and the
API alike; every list offering stages of several pipelines names the pipeline too."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from crm.categories.defaults import categories_defaults_create
from crm.categories.models import DealStage, Pipeline, pipeline_default
from crm.sales import pipelines, services
from crm.sales.demo import SERVICE_PIPELINE, SERVICE_STAGES, pipelines_demo_seed
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make


def _serwis() -> Pipeline:
    """A second pipeline with its own "Oferta" (the default pipeline has one too)."""
    serwis = pipelines.pipeline_create(actor=None, name="Serwis")
    pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza", probability=30)
    pipelines.stage_create(actor=None, pipeline=serwis, name="Oferta", probability=60)
    return serwis


def _offers(pipeline: Pipeline) -> int:
    return DealStage.objects.filter(pipeline=pipeline, name__iexact="oferta").count()


def test_two_pipelines_may_both_have_a_stage_of_the_same_name(company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        default = pipeline_default()

        assert _offers(serwis) == 1 and _offers(default) == 1
        assert DealStage.objects.filter(name="Oferta").count() == 2


def test_one_pipeline_refuses_a_second_stage_of_the_same_name_in_any_letter_case(company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        with pytest.raises(pipelines.PipelineError) as refused:
            pipelines.stage_create(actor=None, pipeline=serwis, name="  OFERTA ")
        diagnoza = DealStage.objects.get(pipeline=serwis, name="Diagnoza")
        with pytest.raises(pipelines.PipelineError):
            pipelines.stage_update(actor=None, stage=diagnoza, name="oferta")

        assert refused.value.message == "Lejek „Serwis” ma już etap o tej nazwie."
        assert refused.value.field == "name"
        assert _offers(serwis) == 1
        assert DealStage.objects.get(pk=diagnoza.pk).name == "Diagnoza"


def test_the_database_keeps_names_unique_per_pipeline_even_past_the_service(company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        DealStage.objects.create(pipeline=pipeline_default(), name="Diagnoza", position=99)
        with pytest.raises(IntegrityError), transaction.atomic():
            DealStage.objects.create(pipeline=serwis, name="DIAGNOZA", position=100)


def test_settings_form_adds_a_same_named_stage_to_another_pipeline_and_refuses_it_twice(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
    client_a.login_as(szef)
    url = f"/settings/pipelines/{serwis.pk}/stages/add/"

    added = client_a.post(url, {"name": "Oferta", "color": "#aa5500", "probability": "50"})
    again = client_a.post(url, {"name": "oferta", "color": "#aa5500", "probability": "70"})

    assert added.status_code == 302
    assert again.status_code == 400
    assert "Lejek „Serwis” ma już etap o tej nazwie." in again.content.decode()
    with schema_context(company_a.schema_name):
        assert _offers(serwis) == 1 and _offers(pipeline_default()) == 1
        assert DealStage.objects.get(pipeline=serwis, name="Oferta").probability == 50


def test_settings_form_refuses_renaming_a_stage_to_a_name_its_pipeline_has(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        diagnoza = DealStage.objects.get(pipeline=serwis, name="Diagnoza")
    client_a.login_as(szef)

    renamed = client_a.post(
        f"/settings/pipelines/{serwis.pk}/stages/{diagnoza.pk}/",
        {"name": "OFERTA", "color": "#123456", "probability": "30"},
    )

    assert renamed.status_code == 400 and "ma już etap o tej nazwie" in renamed.content.decode()
    with schema_context(company_a.schema_name):
        diagnoza.refresh_from_db()
        assert (diagnoza.name, diagnoza.color) == ("Diagnoza", "#3498db")


def test_api_adds_a_same_named_stage_to_another_pipeline_and_refuses_it_twice(api_szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza")
    url = f"/api/v1/pipelines/{serwis.pk}/stages/"

    added = api_szef.post(url, {"name": "Oferta"}, content_type="application/json")
    again = api_szef.post(url, {"name": "OFERTA"}, content_type="application/json")
    with schema_context(company_a.schema_name):
        diagnoza = DealStage.objects.get(pipeline=serwis, name="Diagnoza")
    renamed = api_szef.patch(f"{url}{diagnoza.pk}/", {"name": "oferta"}, content_type="application/json")

    assert added.status_code == 201
    assert [s["name"] for s in added.json()["stages"]] == ["Diagnoza", "Oferta"]
    assert again.status_code == 400 and again.json()["name"] == ["Lejek „Serwis” ma już etap o tej nazwie."]
    assert renamed.status_code == 400 and "name" in renamed.json()
    with schema_context(company_a.schema_name):
        assert _offers(serwis) == 1
        assert DealStage.objects.get(pk=diagnoza.pk).name == "Diagnoza"


def test_settings_api_for_stages_checks_names_within_the_default_pipeline(client_a, szef, company_a):
    """/api/v1/settings/deal-stages/ (kept for clients) adds to the default pipeline: a name
    another pipeline has is fine there, one the default pipeline has is refused."""
    with schema_context(company_a.schema_name):
        pipelines.pipeline_create(actor=None, name="Serwis")
        serwis = Pipeline.objects.get(name="Serwis")
        pipelines.stage_create(actor=None, pipeline=serwis, name="Diagnoza")
    client_a.login_as(szef)

    shared = client_a.post("/api/v1/settings/deal-stages/", {"name": "Diagnoza", "color": "#123abc"})
    taken = client_a.post("/api/v1/settings/deal-stages/", {"name": "oferta", "color": "#123abc"})

    assert shared.status_code == 201
    assert taken.status_code == 400 and taken.json()["name"] == ["Lejek „Sprzedaż” ma już etap o tej nazwie."]
    with schema_context(company_a.schema_name):
        assert DealStage.objects.get(pk=shared.json()["id"]).pipeline_id == pipeline_default().pk
        assert _offers(pipeline_default()) == 1


# --- lookups of a stage -------------------------------------------------------------------


def test_api_stage_filter_finds_the_deals_of_that_pipelines_stage_only(api_szef, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        hurt_offer = DealStage.objects.get(pipeline=pipeline_default(), name="Oferta")
        serwis_offer = DealStage.objects.get(pipeline=serwis, name="Oferta")
        customer = customer_make()
        services.deal_create(actor=szef, name="Hurtowa oferta", customer=customer, stage=hurt_offer)
        services.deal_create(actor=szef, name="Oferta naprawy", customer=customer, stage=serwis_offer)

    by_stage = api_szef.get(f"/api/v1/deals/?stage={serwis_offer.pk}").json()["results"]
    by_pipeline = api_szef.get(f"/api/v1/deals/?pipeline={serwis.pk}&stage={serwis_offer.pk}").json()["results"]
    mismatched = api_szef.get(f"/api/v1/deals/?pipeline={serwis.pk}&stage={hurt_offer.pk}").json()["results"]

    assert [d["name"] for d in by_stage] == ["Oferta naprawy"]
    assert [d["name"] for d in by_pipeline] == ["Oferta naprawy"]
    assert mismatched == []


def test_lists_of_stages_name_the_pipeline_once_there_are_several(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        offer = DealStage.objects.get(pipeline=serwis, name="Oferta")
        services.deal_create(actor=szef, name="Naprawa", customer=customer_make(), stage=offer)
    client_a.login_as(szef)

    deal_list = client_a.get("/deals/list/").content.decode()
    automation = client_a.get("/settings/automations/add/").content.decode()
    report = client_a.get("/api/v1/reports/open-sales/").content.decode()

    for html in (deal_list, automation):
        assert "Serwis › Oferta" in html and "Sprzedaż › Oferta" in html
    assert "Serwis › Oferta" in report


def test_with_one_pipeline_stages_are_listed_by_their_name_alone(client_a, szef, company_a):
    client_a.login_as(szef)
    html = client_a.get("/deals/list/").content.decode()
    assert ">Oferta<" in html and "›" not in html


def test_default_stages_are_restored_in_the_default_pipeline_whatever_other_pipelines_hold(company_a):
    with schema_context(company_a.schema_name):
        serwis = _serwis()
        default = pipeline_default()
        DealStage.objects.filter(pipeline=default, name="Oferta").delete()

        categories_defaults_create(language="pl")
        categories_defaults_create(language="pl")

        assert _offers(default) == 1 and _offers(serwis) == 1


def test_demo_service_pipeline_gets_all_its_stages_even_when_another_pipeline_shares_a_name(company_a):
    with schema_context(company_a.schema_name):
        pipelines.stage_create(actor=None, pipeline=pipeline_default(), name=SERVICE_STAGES[0][0])
        customer_make()

        pipelines_demo_seed()

        serwis = Pipeline.objects.get(name=SERVICE_PIPELINE)
        names = list(DealStage.objects.filter(pipeline=serwis).order_by("position").values_list("name", flat=True))
        assert names == [name for name, _c, _p in SERVICE_STAGES]
        assert Deal.objects.filter(pipeline=serwis, stage__pipeline=serwis).exists()
