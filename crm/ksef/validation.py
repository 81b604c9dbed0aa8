"""Validation of FA(3) XML against the official schema shipped in `schema/` (unmodified,
with its MIT licence; SHA256SUMS there lists the published files).

The schema imports its base types from the Ministry's web address; a resolver maps that
address to `schema/bazowe/` and the parser never touches the network, so validation works
the same on every installation, offline. Any other remote reference is refused.

Loading the schema takes ~20 ms, so it is loaded once per thread (lxml validators are not
shared between threads); validating an invoice then takes a millisecond or two.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from crm.ksef.errors import Fa3ValidationError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
FA3_SCHEMA = SCHEMA_DIR / "schemat_FA(3)_v1-0E.xsd"
FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
BASE_TYPES_URL = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/"

_local = threading.local()


class _LocalSchemas(etree.Resolver):
    """The Ministry's base-type URLs → the files in schema/bazowe/; nothing else remote."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        if system_url and system_url.startswith(BASE_TYPES_URL):
            local = SCHEMA_DIR / "bazowe" / system_url[len(BASE_TYPES_URL) :]
            if local.parent == SCHEMA_DIR / "bazowe" and local.is_file():
                return self.resolve_filename(str(local), context)
        if system_url and "://" in system_url and not system_url.startswith("file:"):
            raise etree.XMLSchemaParseError(f"remote schema refused: {system_url}")
        return None


def schema_parser() -> etree.XMLParser:
    """A parser for schema files: local base types only, never the network. A fresh one
    each time: lxml keeps an exception raised in a resolver for the parser's next use."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    return parser


def _document_parser() -> etree.XMLParser:
    """The thread's parser for invoices: no network, no DTD, no entities."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)
        _local.parser = parser
    return parser


def fa3_schema() -> etree.XMLSchema:
    """The FA(3) schema of this thread (loaded on first use)."""
    schema = getattr(_local, "schema", None)
    if schema is None:
        schema = etree.XMLSchema(etree.parse(str(FA3_SCHEMA), schema_parser()))
        _local.schema = schema
    return schema


def fa3_validate(xml: bytes) -> None:
    """Raises `Fa3ValidationError` unless `xml` is a well-formed FA(3) invoice that passes
    the official schema; its `errors` list the schema's complaints with line numbers."""
    try:
        document = etree.fromstring(xml, _document_parser())
    except etree.XMLSyntaxError as exc:
        raise Fa3ValidationError(
            _("Plik faktury nie jest poprawnym XML: %(error)s") % {"error": exc}, [str(exc)]
        ) from exc
    schema = fa3_schema()
    if schema.validate(document):
        return
    errors = [f"line {e.line}: {e.message}" for e in schema.error_log]
    raise Fa3ValidationError(
        _("Faktura nie jest zgodna ze schematem FA(3): %(errors)s") % {"errors": "; ".join(errors[:3])}, errors
    )
