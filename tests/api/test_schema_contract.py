"""The OpenAPI schema tells the truth: a client driven only by /api/schema/ (here
schemathesis generating "positive" data from it) gets what it sends accepted.

For every write operation of the served schema (new endpoints are covered without
editing this file), generated bodies are sent as Szef with an API token; an id field
gets an existing id from the collection its `x-related` names, a checksum field the
schema's `example`, a path id the last row of the collection. A 400 is accepted only
when it names fields whose rule across fields the schema states in `x-rules`. Every call must
succeed; each is rolled back so the next sees the same rows, made once for the module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from crm.accounts.models import User
from crm.tickets.models import Department
from tests.security.fuzz import resolve
from tests.security.openapi import SCHEMA
from tests.support.api_tokens import api_key_for
from tests.support.clients import TenantClient
from tests.support.module_rows import module_transaction

EXAMPLES = 12
# Operations whose valid input cannot come from a schema: credentials.
CREDENTIALS = {("post", "/api/v1/auth/token/")}
WRITES = [
    (path, method)
    for path, ops in sorted(SCHEMA["paths"].items())
    for method, op in ops.items()
    if method in ("post", "put", "patch") and op.get("requestBody") and (method, path) not in CREDENTIALS
]
CONFIG = SchemathesisConfig.from_dict({"generation": {"allow-x00": False, "codec": "utf-8"}})


# The served schema, read once per worker (it is the same for every operation's test, and
# building it takes longer than the operation's calls), and its operations as schemathesis
# reads them.
_SERVED: dict[str, Any] = {}


def served_schema(client: Any, auth: dict[str, str]) -> tuple[dict[str, Any], Any]:
    if not _SERVED:
        response = client.get("/api/schema/", {"format": "json"}, **auth)
        assert response.status_code == 200
        raw = json.loads(response.content)
        _SERVED.update(raw=raw, operations=schemathesis.openapi.from_dict(raw, config=CONFIG))
    return _SERVED["raw"], _SERVED["operations"]


class Existing:
    """Ids of existing rows, read from the collections the schema names."""

    def __init__(self, client: Any, auth: dict[str, str]) -> None:
        self.client, self.auth, self.cache = client, auth, {}

    def row(self, collection: str, *, last: bool = False) -> int:
        """The first (or last) row's id: a path id takes the last row, an id field the
        first, so that a record is never asked to refer to itself."""
        if collection not in self.cache:
            response = self.client.get(collection, **self.auth)
            assert response.status_code == 200, collection
            results = response.json()["results"]
            assert results, f"{collection} is empty: the test company needs a row there"
            self.cache[collection] = (results[0]["id"], results[-1]["id"])
        return int(self.cache[collection][1 if last else 0])


def body_fix(body: Any, schema: dict[str, Any], components: dict[str, Any], existing: Existing) -> Any:
    """Ids from `x-related` collections and checksum fields from `example`."""
    if not isinstance(body, dict):
        return body
    for name, sub in resolve(schema, components).get("properties", {}).items():
        sub = resolve(sub, components)
        if name not in body or body[name] is None:
            continue
        if "x-related" in sub:
            body[name] = existing.row(sub["x-related"])
        elif "x-related" in (items := resolve(sub.get("items") or {}, components)):
            body[name] = [existing.row(items["x-related"])] if body[name] else []
        elif sub.get("format") == "binary":
            body[name] = SimpleUploadedFile("oferta.txt", b"Oferta na dostawy", "text/plain")
        elif sub.get("x-checksum"):
            body[name] = sub["example"]
    return body


def company_rows(client: Any, auth: dict[str, str]) -> None:
    """A customer with a contact person, a deal, a task, a note, a product, an offer, invoices,
    a project with a file, a recurring invoice, an expense, a knowledge-base group and article and an announcement in company A, made through the API itself (paths and
    id fields need existing rows)."""

    def made(path: str, body: dict[str, Any]) -> int:
        response = client.post(path, body, content_type="application/json", **auth)
        assert response.status_code == 201, response.content
        return int(response.json()["id"])

    customer = made("/api/v1/customers/", {"name": "Hurtownia Śrubex", "kind": "company"})
    made("/api/v1/contacts/", {"customer": customer, "name": "Anna Nowak"})
    made("/api/v1/deals/", {"name": "Dostawa śrub", "customer": customer})
    made("/api/v1/tasks/", {"title": "Zadzwonić", "customer": customer})
    made("/api/v1/notes/", {"customer": customer, "body": "Prosi o cennik."})
    made("/api/v1/products/", {"name": "Śruba M8", "net_price": "0.45"})
    made(
        "/api/v1/offers/", {"customer": customer, "lines": [{"name": "Śruby", "quantity": "100", "net_price": "0.45"}]}
    )
    # Invoices: a draft (the last row: path ids of invoice writes) and an issued one (the
    # first row: ids in payments and recurring invoices), made recurring.
    lines = [{"name": "Śruby M8", "net_price": "100.00"}]
    made("/api/v1/invoices/", {"customer": customer, "lines": lines})
    issued = made("/api/v1/invoices/", {"customer": customer, "lines": lines})
    response = client.post(f"/api/v1/invoices/{issued}/issue/", content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    next_month = (timezone.localdate() + timedelta(days=31)).isoformat()
    made("/api/v1/recurring-invoices/", {"template": issued, "interval": "monthly", "next_date": next_month})
    made("/api/v1/expenses/", {"name": "Paliwo", "amount": "100.00", "customer": customer})
    made("/api/v1/contracts/", {"customer": customer, "subject": "Dostawy śrub 2027", "start_date": "2027-01-01"})
    made("/api/v1/tickets/", {"customer": customer, "subject": "Śruby nie pasują", "body": "Za krótkie."})
    made("/api/v1/leads/", {"name": "Lena Lead", "company_name": "Lead i Syn", "email": "lena@lead.test"})
    project = made("/api/v1/projects/", {"customer": customer, "name": "Wdrożenie", "start_date": "2027-01-01"})
    made("/api/v1/milestones/", {"project": project, "name": "Analiza"})
    upload = SimpleUploadedFile("plan.txt", b"Plan wdrozenia", "text/plain")
    response = client.post(f"/api/v1/projects/{project}/files/", {"file": upload}, **auth)
    assert response.status_code == 201, response.content
    made("/api/v1/time-entries/", {"project": project, "started_at": "2001-01-08T09:00:00+01:00", "minutes": 90})
    group = made("/api/v1/kb/groups/", {"name": "Pomoc"})
    made("/api/v1/kb/articles/", {"title": "Jak płacić", "group": group, "body": "Przelewem."})
    made("/api/v1/announcements/", {"title": "Witamy", "shown_from": "2026-01-01"})
    made("/api/v1/settings/custom-fields/", {"model": "customer", "name": "Branża", "type": "text"})
    made(
        "/api/v1/settings/email-templates/",
        {"kind": "custom", "name": "Oferta", "subject_pl": "Oferta", "body_pl": "Dzień dobry"},
    )
    made("/api/v1/settings/webhooks/", {"url": "http://127.0.0.1:9/hook", "events": ["deal.won"]})
    made("/api/v1/settings/automations/", {"name": "Powiadom", "trigger": "invoice_overdue", "action": "notify"})


@pytest.fixture(scope="module")
def rows_auth(companies: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """Company A's rows for the module's tests, made once (through the API, about 0.6 s) and
    rolled back after the module (tests/support/module_rows.py)."""
    with module_transaction(django_db_blocker):
        with schema_context(companies.a.schema_name):
            token = api_key_for(User.objects.get(email="szef@alfa.test"))
            Department.objects.create(name="Wsparcie", email="pomoc@alfa.test")  # no API writes departments
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        company_rows(TenantClient(companies.a), auth)
        yield auth


@pytest.mark.parametrize(("path", "method"), WRITES, ids=[f"{m.upper()} {p}" for p, m in WRITES])
def test_valid_data_from_the_schema_is_accepted(path, method, rows_auth, client_a):
    auth = rows_auth
    raw, operations = served_schema(client_a, auth)
    components = raw["components"]["schemas"]
    operation = operations[path][method.upper()]
    content = raw["paths"][path][method]["requestBody"]["content"]
    media_type = "application/json" if "application/json" in content else next(iter(content))
    body_schema = content[media_type]["schema"]
    rules = resolve(body_schema, components).get("x-rules", {})
    existing = Existing(client_a, auth)
    # Each path id is the last row of the collection before it (/projects/{project_pk}/files/{id}/:
    # a project, then a file of that project).
    ids: dict[str, int] = {}
    for name in re.findall(r"{(\w+)}", path):
        ids[name] = existing.row(path.split("{" + name + "}")[0].format(**ids), last=True)
    url = path.format(**ids)
    refused: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids, media_type=media_type))
    def run(case: Any) -> None:
        body = body_fix(case.body if isinstance(case.body, dict | list) else {}, body_schema, components, existing)
        sid = transaction.savepoint()
        try:
            if media_type == "multipart/form-data":
                data = {k: _part(v) for k, v in body.items() if v is not None}
                response = client_a.generic(method.upper(), url, **_multipart(data), **auth)
            else:
                response = client_a.generic(method.upper(), url, json.dumps(body), content_type=media_type, **auth)
            if not 200 <= response.status_code < 300 and not _rule_refusal(response, rules):
                refused.append(
                    f"{json.dumps(body, ensure_ascii=False, default=str)[:300]} -> {response.status_code} "
                    f"{response.content[:300].decode(errors='replace')}"
                )
        finally:
            transaction.savepoint_rollback(sid)

    run()
    assert not refused, f"{method.upper()} {path}: schema-valid data refused:\n" + "\n".join(refused[:5])


def _rule_refusal(response: Any, rules: dict[str, str]) -> bool:
    """A 400 naming only fields whose rule across fields the schema states in `x-rules`."""
    if response.status_code != 400 or not rules:
        return False
    errors = response.json()
    return isinstance(errors, dict) and set(errors) <= set(rules)


def _part(value: Any) -> Any:
    if isinstance(value, SimpleUploadedFile):
        return value
    return value if isinstance(value, str | int) else json.dumps(value)


def _multipart(data: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart("BoUnDaRy", data), "content_type": f"{MULTIPART_CONTENT}; boundary=BoUnDaRy"}
