"""`manage.py deals_pipeline_backfill`: deals older than pipelines get the pipeline they were
read as (their stage's; no stage: the default one), in batches, in every company; a second
run changes nothing, and the counts say what happened."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from crm.categories.models import DealStage, pipeline_default
from crm.sales import pipelines, services
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make


def _old_deals(szef) -> dict[str, int]:
    """Three deals as an older release left them (empty `pipeline`) and one already filled
    (call inside the schema)."""
    serwis = pipelines.pipeline_create(actor=None, name="Serwis")
    naprawa = pipelines.stage_create(actor=None, pipeline=serwis, name="Naprawa")
    oferta = DealStage.objects.get(pipeline=pipeline_default(), name="Oferta")
    customer = customer_make()
    made = {
        "serwis": services.deal_create(actor=szef, name="Naprawa", customer=customer, stage=naprawa),
        "hurt": services.deal_create(actor=szef, name="Hurt", customer=customer, stage=oferta),
        "bare": services.deal_create(actor=szef, name="Bez etapu", customer=customer),
        "filled": services.deal_create(actor=szef, name="Nowa", customer=customer, stage=naprawa),
    }
    Deal.objects.filter(pk=made["bare"].pk).update(stage=None)
    Deal.objects.filter(pk__in=[made[k].pk for k in ("serwis", "hurt", "bare")]).update(pipeline=None)
    return {key: deal.pk for key, deal in made.items()} | {"serwis_pipeline": serwis.pk}


def _run(*args: str) -> str:
    out = StringIO()
    call_command("deals_pipeline_backfill", *args, stdout=out)
    return out.getvalue()


def test_backfill_fills_each_old_deal_with_the_pipeline_it_was_read_as(szef, company_a):
    with schema_context(company_a.schema_name):
        ids = _old_deals(szef)
        before = dict(Deal.objects.values_list("pk", "updated_at"))

    output = _run("--company", company_a.subdomain, "--batch-size", "1")

    with schema_context(company_a.schema_name):
        pipeline_of = dict(Deal.objects.values_list("pk", "pipeline_id"))
        default = pipeline_default().pk
        assert pipeline_of[ids["serwis"]] == ids["serwis_pipeline"]
        assert pipeline_of[ids["hurt"]] == default
        assert pipeline_of[ids["bare"]] == default
        assert pipeline_of[ids["filled"]] == ids["serwis_pipeline"]
        assert dict(Deal.objects.values_list("pk", "updated_at")) == before  # the board keeps its order
    assert f"{company_a.schema_name}: 2 from their stage, 1 without a stage to the default pipeline, 0 left" in output
    assert "Companies: 1. Deals filled: 3" in output


def test_backfill_run_again_changes_nothing_and_says_so(szef, company_a):
    with schema_context(company_a.schema_name):
        _old_deals(szef)
    _run("--company", company_a.subdomain)

    output = _run("--company", company_a.subdomain)

    assert company_a.schema_name not in output
    assert "Deals filled: 0 (0 from their stage, 0 without a stage to the default pipeline); left empty: 0." in output


def test_backfill_reaches_every_company(szef, company_a, company_b):
    with schema_context(company_a.schema_name):
        ids = _old_deals(szef)

    output = _run()

    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(pk__in=[ids["serwis"], ids["hurt"], ids["bare"]], pipeline=None).exists()
    assert f"{company_a.schema_name}: 2 from their stage" in output
    assert "Companies: " in output and "Companies: 1." not in output


def test_backfill_refuses_an_unknown_company_or_batch_size_and_changes_nothing(szef, company_a):
    with schema_context(company_a.schema_name):
        ids = _old_deals(szef)

    with pytest.raises(CommandError, match="No company"):
        _run("--company", "nie-ma-takiej")
    with pytest.raises(CommandError, match="batch-size"):
        _run("--batch-size", "0")

    with schema_context(company_a.schema_name):
        assert Deal.objects.filter(pk__in=[ids["serwis"], ids["hurt"], ids["bare"]], pipeline=None).count() == 3
