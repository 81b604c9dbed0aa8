"""Beat fan-out: inline below FANOUT_CHUNK companies, in chunk messages above it."""

from __future__ import annotations

from typing import Any

import pytest

from tenants import fanout
from tenants.db import connection


class _Probe:
    name = "tests.probe"

    def __init__(self) -> None:
        self.schemas: list[str] = []

    def apply_async(self, args: Any = None, kwargs: Any = None) -> None:
        self.schemas.append(connection.schema_name)


@pytest.mark.django_db
def test_few_companies_get_their_task_directly(company_a, company_b):
    probe = _Probe()
    reached = fanout.for_each_company(probe)
    assert reached == len(probe.schemas) >= 2
    assert {company_a.schema_name, company_b.schema_name} <= set(probe.schemas)


@pytest.mark.django_db
def test_many_companies_are_fanned_out_in_chunks_that_reach_each_company_once(company_a, company_b, monkeypatch):
    monkeypatch.setattr(fanout, "FANOUT_CHUNK", 1)
    chunks: list[list[Any]] = []
    monkeypatch.setattr(fanout.fanout_chunk, "apply_async", lambda args=None, **kw: chunks.append(args))
    probe = _Probe()
    monkeypatch.setattr(fanout, "task_by_name", {probe.name: probe}.__getitem__)

    reached = fanout.for_each_company(probe, 7, flag=True)

    assert probe.schemas == []  # the scheduler pushed only the chunks
    assert len(chunks) == reached >= 2
    assert all(len(chunk[1]) == 1 and chunk[0] == probe.name and chunk[2:] == [[7], {"flag": True}] for chunk in chunks)
    for chunk in chunks:
        fanout.fanout_chunk(*chunk)
    assert sorted(probe.schemas) == sorted(schema for chunk in chunks for schema in chunk[1])
    assert {company_a.schema_name, company_b.schema_name} <= set(probe.schemas)
