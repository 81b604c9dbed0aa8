"""Several pipelines, each with its own stages and probabilities: the API, the board,
the deal rules, Settings > Lejki sprzedaży, isolation and rank."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.categories.models import DealStage, Pipeline, pipeline_default
from crm.sales import pipelines, services
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make, deal_make, stages


def serwis_make() -> Pipeline:
    """A second pipeline "Serwis" with two stages (call inside company A's schema)."""
    pipeline = pipelines.pipeline_create(actor=None, name="Serwis")
    pipelines.stage_create(actor=None, pipeline=pipeline, name="Zgłoszenie", probability=20)
    pipelines.stage_create(actor=None, pipeline=pipeline, name="Naprawa", probability=80)
    return pipeline


def stages_of(pipeline: Pipeline) -> list[DealStage]:
    return list(DealStage.objects.filter(pipeline=pipeline).order_by("position", "id"))


# --- the default pipeline -----------------------------------------------------------


def test_every_company_starts_with_one_default_pipeline_holding_the_stages_with_probabilities(company_a):
    with schema_context(company_a.schema_name):
        default = Pipeline.objects.get(is_default=True)
        probabilities = [s.probability for s in stages_of(default)]
        assert Pipeline.objects.count() == 1
        assert DealStage.objects.filter(pipeline__isnull=True).count() == 0
    assert probabilities == [10, 25, 50, 75, 90]


# --- /api/v1/pipelines/ ------------------------------------------------------------


def test_pipelines_api_lists_pipelines_with_ordered_stages_for_every_rank(api_pracownik, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()

    response = api_pracownik.get("/api/v1/pipelines/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows][-1] == "Serwis"
    row = next(r for r in rows if r["id"] == serwis.pk)
    assert set(row) >= {"id", "name", "position", "is_default", "stages"}
    assert [(s["name"], s["position"], s["probability"]) for s in row["stages"]] == [
        ("Zgłoszenie", 1, 20),
        ("Naprawa", 2, 80),
    ]


def test_szef_adds_a_pipeline_and_its_stages_and_reorders_them_through_the_api(api_szef, company_a):
    created = api_szef.post("/api/v1/pipelines/", {"name": "Hurt"}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    for name, probability in (("Zapytanie", 10), ("Zamówienie", 90)):
        added = api_szef.post(
            f"/api/v1/pipelines/{pk}/stages/",
            {"name": name, "probability": probability},
            content_type="application/json",
        )
        assert added.status_code == 201, added.content
    last = added.json()["stages"][-1]["id"]
    moved = api_szef.patch(
        f"/api/v1/pipelines/{pk}/stages/{last}/", {"position": 1, "probability": 95}, content_type="application/json"
    )

    assert moved.status_code == 200, moved.content
    assert [(s["name"], s["probability"]) for s in moved.json()["stages"]] == [("Zamówienie", 95), ("Zapytanie", 10)]
    renamed = api_szef.patch(
        f"/api/v1/pipelines/{pk}/", {"name": "Hurtownia", "position": 1}, content_type="application/json"
    )
    assert renamed.json()["name"] == "Hurtownia" and renamed.json()["position"] == 1


@pytest.mark.parametrize("client_name", ["api_pracownik", "api_kierownik"])
def test_only_szef_changes_pipelines(request, client_name, company_a):
    client = request.getfixturevalue(client_name)
    with schema_context(company_a.schema_name):
        serwis = serwis_make()

    assert client.post("/api/v1/pipelines/", {"name": "X"}, content_type="application/json").status_code == 403
    assert (
        client.patch(f"/api/v1/pipelines/{serwis.pk}/", {"name": "X"}, content_type="application/json").status_code
        == 403
    )
    assert client.delete(f"/api/v1/pipelines/{serwis.pk}/").status_code == 403
    with schema_context(company_a.schema_name):
        assert Pipeline.objects.get(pk=serwis.pk).name == "Serwis"
        assert not Pipeline.objects.filter(name="X").exists()


def test_another_companys_pipeline_is_not_found(api_outsider, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        stage = stages_of(serwis)[0]

    assert api_outsider.get(f"/api/v1/pipelines/{serwis.pk}/").status_code == 404
    assert (
        api_outsider.patch(
            f"/api/v1/pipelines/{serwis.pk}/", {"name": "X"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert api_outsider.delete(f"/api/v1/pipelines/{serwis.pk}/stages/{stage.pk}/").status_code == 404
    with schema_context(company_a.schema_name):
        assert DealStage.objects.filter(pk=stage.pk).exists()


def test_bad_stage_input_is_refused_with_a_message_and_changes_nothing(api_szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        stage = stages_of(serwis)[0]

    too_likely = api_szef.patch(
        f"/api/v1/pipelines/{serwis.pk}/stages/{stage.pk}/", {"probability": 150}, content_type="application/json"
    )
    same_name = api_szef.post(
        f"/api/v1/pipelines/{serwis.pk}/stages/", {"name": "naprawa"}, content_type="application/json"
    )
    nameless = api_szef.post("/api/v1/pipelines/", {"name": "  "}, content_type="application/json")

    assert too_likely.status_code == 400 and "probability" in too_likely.json()
    assert same_name.status_code == 400 and same_name.json()["name"] == ["Lejek „Serwis” ma już etap o tej nazwie."]
    assert nameless.status_code == 400
    with schema_context(company_a.schema_name):
        assert DealStage.objects.get(pk=stage.pk).probability == 20
        assert len(stages_of(serwis)) == 2
        assert Pipeline.objects.count() == 2


def test_a_pipeline_with_deals_is_deleted_only_by_moving_them_and_the_default_one_never(api_szef, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        deal = services.deal_create(actor=szef, name="Naprawa", customer=customer_make(), stage=stages_of(serwis)[1])
        default = pipeline_default()
        first_default = stages_of(default)[0]

    refused = api_szef.delete(f"/api/v1/pipelines/{serwis.pk}/")
    default_refused = api_szef.delete(f"/api/v1/pipelines/{default.pk}/")
    with schema_context(company_a.schema_name):
        assert Pipeline.objects.filter(pk=serwis.pk).exists()
    moved = api_szef.delete(f"/api/v1/pipelines/{serwis.pk}/?move_to={default.pk}")

    assert refused.status_code == 409 and refused.json()["in_use"] == 1
    assert default_refused.status_code == 400
    assert moved.status_code == 204
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert (deal.pipeline_id, deal.stage_id) == (default.pk, first_default.pk)
        assert not DealStage.objects.filter(pipeline_id=serwis.pk).exists()


# --- deals keep to their pipeline ----------------------------------------------------


def test_a_new_deal_joins_its_stages_pipeline_or_the_first_stage_of_the_pipeline_asked(szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        on_stage = services.deal_create(actor=szef, name="A", customer=customer_make(), stage=stages_of(serwis)[1])
        in_pipeline = services.deal_create(actor=szef, name="B", customer=customer_make(), pipeline=serwis)
        plain = services.deal_create(actor=szef, name="C", customer=customer_make())

        assert on_stage.pipeline_id == serwis.pk
        assert in_pipeline.stage_id == stages_of(serwis)[0].pk
        assert (plain.pipeline_id, plain.stage_id) == (pipeline_default().pk, stages()[0].pk)


def test_api_refuses_a_stage_of_another_pipeline_and_changes_nothing(api_szef, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        customer = customer_make()
        deal = services.deal_create(actor=szef, name="Hurt", customer=customer)
        foreign_stage = stages_of(serwis)[0]
        default = pipeline_default()

    created = api_szef.post(
        "/api/v1/deals/",
        {"name": "Zła", "customer": customer.pk, "pipeline": default.pk, "stage": foreign_stage.pk},
        content_type="application/json",
    )
    changed = api_szef.patch(f"/api/v1/deals/{deal.pk}/", {"stage": foreign_stage.pk}, content_type="application/json")

    assert created.status_code == 400
    assert "należy do lejka „Serwis”" in created.json()["stage"][0]
    assert changed.status_code == 400
    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(name="Zła").exists()
        deal.refresh_from_db()
        assert deal.stage_id == stages()[0].pk and deal.pipeline_id == default.pk


def test_api_moves_a_deal_to_another_pipeline_and_filters_by_pipeline(api_szef, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        deal = services.deal_create(actor=szef, name="Przenoszona", customer=customer_make())
        stay = services.deal_create(actor=szef, name="Zostaje", customer=customer_make())

    moved = api_szef.patch(f"/api/v1/deals/{deal.pk}/", {"pipeline": serwis.pk}, content_type="application/json")
    listed = api_szef.get(f"/api/v1/deals/?pipeline={serwis.pk}")
    unknown = api_szef.get("/api/v1/deals/?pipeline=999999")

    assert moved.status_code == 200, moved.content
    with schema_context(company_a.schema_name):
        assert moved.json()["stage"] == stages_of(serwis)[0].pk
    assert moved.json()["pipeline"] == serwis.pk
    assert [r["id"] for r in listed.json()["results"]] == [deal.pk]
    assert stay.pk not in [r["id"] for r in listed.json()["results"]]
    assert unknown.status_code == 400


def test_a_deal_older_than_pipelines_counts_in_the_pipeline_of_its_stage(api_szef, company_a):
    with schema_context(company_a.schema_name):
        old = deal_make(stage=stages()[1])  # written without the service: no pipeline of its own
        assert old.pipeline_id is None
        default = pipeline_default()

    listed = api_szef.get(f"/api/v1/deals/?pipeline={default.pk}")

    assert [r["pipeline"] for r in listed.json()["results"]] == [default.pk]


# --- the board ------------------------------------------------------------------------


def test_board_shows_the_chosen_pipelines_stages_and_remembers_the_choice(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        services.deal_create(actor=szef, name="Naprawa drukarki", customer=customer_make(), pipeline=serwis)
        services.deal_create(actor=szef, name="Dostawa laptopów", customer=customer_make())
        default_names = [s.name for s in stages()[:5]]
    client_a.login_as(szef)

    serwis_board = client_a.get(f"/deals/?pipeline={serwis.pk}").content.decode()
    remembered = client_a.get("/deals/").content.decode()

    for page in (serwis_board, remembered):
        assert "Zgłoszenie" in page and "Naprawa drukarki" in page
        assert default_names[0] not in page and "Dostawa laptopów" not in page
    back = client_a.get(f"/deals/?pipeline={pipeline_default_pk(company_a)}").content.decode()
    assert "Dostawa laptopów" in back and "Naprawa drukarki" not in back


def pipeline_default_pk(company) -> int:
    with schema_context(company.schema_name):
        return pipeline_default().pk


def test_board_column_totals_are_per_pipeline(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        first = stages_of(serwis)[0]
        services.deal_create(actor=szef, name="S1", customer=customer_make(), stage=first, value=Decimal("300"))
        services.deal_create(actor=szef, name="H1", customer=customer_make(), value=Decimal("5000"))
    client_a.login_as(szef)

    page = client_a.get(f"/deals/?pipeline={serwis.pk}").content.decode()

    assert f'data-testid="count-{first.pk}">1<' in page
    assert "300,00 PLN" in page and "5\xa0000,00 PLN" not in page


def test_dragging_a_deal_onto_a_stage_of_another_pipeline_is_refused(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        deal = services.deal_create(actor=szef, name="Hurt", customer=customer_make())
        before = deal.stage_id
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/move/", {"stage": stages_of_pk(company_a, serwis)})
    within = client_a.post(f"/deals/{deal.pk}/move/", {"stage": stages_pk(company_a, 2)})

    assert response.status_code == 400 and "Serwis" in response.json()["error"]
    assert within.status_code == 200
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.stage_id != before and deal.stage_id == stages()[2].pk


def stages_of_pk(company, pipeline) -> int:
    with schema_context(company.schema_name):
        return stages_of(pipeline)[0].pk


def stages_pk(company, index: int) -> int:
    with schema_context(company.schema_name):
        return stages()[index].pk


def test_deal_form_offers_stages_tagged_with_their_pipeline_and_refuses_a_mismatch(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        customer = customer_make()
        foreign = stages_of(serwis)[0]
        default = pipeline_default()
    client_a.login_as(szef)

    form = client_a.get("/deals/new/").content.decode()
    response = client_a.post(
        "/deals/new/",
        {
            "name": "Mieszana",
            "customer": customer.pk,
            "value": "10",
            "currency": "PLN",
            "pipeline": default.pk,
            "stage": foreign.pk,
            "status": status_pk(company_a),
        },
    )

    assert f'data-pipeline="{serwis.pk}"' in form and "data-pipeline-select" in form
    assert response.status_code == 200
    assert "należy do lejka" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(name="Mieszana").exists()


def status_pk(company) -> int:
    with schema_context(company.schema_name):
        return services.default_status().pk


def test_demo_adds_a_serwis_pipeline_with_its_own_stages_and_deals_once(company_a):
    from crm.sales.demo import SERVICE_STAGES, pipelines_demo_seed

    with schema_context(company_a.schema_name):
        for name in ("Serwis Alfa", "Serwis Beta"):
            customer_make(name=name)
        created = pipelines_demo_seed()
        again = pipelines_demo_seed()
        serwis = Pipeline.objects.get(name="Serwis")
        names = [s.name for s in stages_of(serwis)]
        deals_in_serwis = Deal.objects.filter(pipeline=serwis, stage__pipeline=serwis).count()

    assert created == deals_in_serwis > 0 and again == 0
    assert names == [name for name, _c, _p in SERVICE_STAGES]


def test_deal_page_names_its_pipeline_and_stage_probability(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        serwis = serwis_make()
        deal = services.deal_create(actor=szef, name="Naprawa", customer=customer_make(), pipeline=serwis)
    client_a.login_as(szef)

    page = client_a.get(f"/deals/{deal.pk}/").content.decode()

    assert 'data-testid="deal-pipeline">Serwis · Zgłoszenie (20&nbsp;%)' in page
