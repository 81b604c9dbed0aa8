"""The layers in pyproject.toml ([tool.importlinter]) hold, and the check would catch
a new import from a lower layer into a higher one (a cycle between apps)."""

from __future__ import annotations

from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.layers import LayersContract

ROOTS = ["config", "crm", "tenants", "billing_saas", "public_site"]


@pytest.fixture(scope="module")
def layers_contract() -> LayersContract:
    config = read_configuration()
    (options,) = [c for c in config["contracts_options"] if c["type"] == "layers"]
    return LayersContract(name=options["name"], session_options=config["session_options"], contract_options=options)


@pytest.fixture
def graph() -> Any:
    return grimp.build_graph(*ROOTS, include_external_packages=False, cache_dir=None)


def test_the_code_keeps_its_layers(layers_contract: LayersContract, graph: Any) -> None:
    check = layers_contract.check(graph, verbose=False)
    assert check.kept, check.metadata["invalid_dependencies"]


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("crm.accounts.services", "crm.contacts.models"),  # staff code reaching for a record app
        ("tenants.services", "crm.accounts.models"),  # the company layer reaching for staff
        ("crm.contacts.services", "crm.notes.services"),  # a record app reaching for the timeline
        ("crm.sales.views", "crm.tasks.selectors"),  # a record app reaching for a higher one
        ("crm.common.records", "tenants.models"),  # the kit reaching for anything
    ],
)
def test_an_import_from_a_lower_layer_into_a_higher_one_breaks_the_check(
    layers_contract: LayersContract, graph: Any, importer: str, imported: str
) -> None:
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    check = layers_contract.check(graph, verbose=False)
    assert not check.kept
