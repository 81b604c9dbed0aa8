"""The official FA(3) schema ships unmodified with its licence and validates offline."""

from __future__ import annotations

import hashlib
import socket
import threading
from typing import Any

import pytest
from lxml import etree

from crm.ksef import fa3_xml
from crm.ksef.validation import SCHEMA_DIR, fa3_schema, fa3_validate, schema_parser
from tests.crm.ksef.factories import invoice


def test_the_schema_files_are_the_published_ones_with_their_licence() -> None:
    listed = [line.split(maxsplit=1) for line in (SCHEMA_DIR / "SHA256SUMS").read_text().splitlines()]

    assert {name for _, name in listed} == {
        "schemat_FA(3)_v1-0E.xsd",
        "bazowe/ElementarneTypyDanych_v10-0E.xsd",
        "bazowe/KodyKrajow_v10-0E.xsd",
        "bazowe/StrukturyDanych_v10-0E.xsd",
        "LICENSE.txt",
    }
    for digest, name in listed:
        assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == digest, name
    assert "MIT License" in (SCHEMA_DIR / "LICENSE.txt").read_text()


def test_the_schema_loads_and_validates_without_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the validator tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    xml = fa3_xml(invoice())
    errors: list[BaseException] = []

    def in_a_new_thread() -> None:  # a thread loads its own copy of the schema
        try:
            fa3_schema()
            fa3_validate(xml)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=in_a_new_thread)
    thread.start()
    thread.join()
    assert errors == []


def test_a_schema_that_imports_from_elsewhere_on_the_web_is_refused(tmp_path: Any) -> None:
    schema = tmp_path / "other.xsd"
    schema.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">'
        '<xsd:import namespace="urn:y" schemaLocation="http://example.com/evil.xsd"/></xsd:schema>'
    )

    with pytest.raises(etree.LxmlError, match=r"evil\.xsd"):
        etree.XMLSchema(etree.parse(str(schema), schema_parser()))
