"""The OpenAPI description (/api/schema/, drf-spectacular).

- our authentication classes, and the 403 every authenticated operation may answer
  when the company bars the caller (required 2FA without an authenticator, an
  address outside the allowed list);
- the constraints the API enforces, stated in the request schemas so that a client
  generating data from the schema alone gets it accepted: text that may not be blank
  must hold a non-space character, dates stay within 1900–2200, an id must name an
  existing record (`x-related`: the collection it comes from), a checksum-verified
  number carries an `example`;
- links from each create operation to read/update/delete of the new record, so
  stateful clients can chain calls;
- an introduction (token with 2FA, pagination, errors, rate limits) in the reader's
  language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from crm.common.params import DATE_MAX, DATE_MIN, ApiDateField, ApiDateTimeField


class CompanySessionScheme(SessionScheme):
    target_class = "crm.accounts.authentication.CompanySessionAuthentication"


DETAIL_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# Developer documentation, in English like the rest of the schema's texts.
FORBIDDEN = (
    "Refused by a company rule: two-factor authentication is required and this person has none "
    "(the message says where to switch it on; then get a new token with a code), the caller's "
    "address is not on the allowed list, or the rank is too low."
)
# Years DATE_MIN..DATE_MAX (1900–2200) at the start of an ISO date or date-time.
DATE_PATTERN = r"^(19\d\d|2[01]\d\d|2200)-"
assert DATE_MIN.year == 1900 and DATE_MAX.year == 2200, "DATE_PATTERN states the range of crm.common.params"
# Serializer fields checked by a checksum no pattern can state: a valid example instead.
CHECKSUM_EXAMPLES = {
    "tax_id": "5260250274",
    "bank_account": "PL61109010140000071219812874",
    "supplier_tax_id": "5260250274",
}
RELATED_MODEL = "x-related-model"
NOT_BLANK = r"[^\s\u001c-\u001f\u0085]"


def _model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


class CompanyAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if self.view.get_authenticators() and "403" not in responses:
            responses["403"] = {
                "description": FORBIDDEN,
                "content": {"application/json": {"schema": DETAIL_SCHEMA}},
            }
        return responses

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> Any:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(schema, dict):
            serializer_constraints(serializer, schema)
        return schema

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(schema, dict) and not field.read_only:
            field_constraints(field, schema)
            if isinstance(field, serializers.ListSerializer):  # nested rows, e.g. a document's lines
                for attr, keyword in (("min_length", "minItems"), ("max_length", "maxItems")):
                    if getattr(field, attr, None) is not None:
                        schema[keyword] = getattr(field, attr)
        return schema


def serializer_constraints(serializer: Any, schema: dict[str, Any]) -> None:
    """What a serializer declares for the schema: `openapi_related` (field -> model label
    of plain integer id fields), `openapi_exactly_one` (exactly one of these ids) and
    `openapi_rules` (field -> a rule across fields no JSON schema keyword states)."""
    properties = schema.get("properties", {})
    for name, label in getattr(serializer, "openapi_related", {}).items():
        if name in properties:
            properties[name].update({RELATED_MODEL: label, "minimum": 1})
    rules = getattr(serializer, "openapi_rules", {})
    if rules:
        schema["x-rules"] = dict(rules)
    names = getattr(serializer, "openapi_exactly_one", ())
    if names and not getattr(serializer, "partial", False):
        schema["oneOf"] = [
            {
                "required": [name],
                "properties": {other: {"type": "integer"} if other == name else {"type": "null"} for other in names},
            }
            for name in names
        ]


def field_constraints(field: serializers.Field, schema: dict[str, Any]) -> None:
    """Add to `schema` what the field checks beyond its type."""
    if isinstance(field, serializers.ManyRelatedField):
        items = schema.get("items")
        if isinstance(items, dict):
            field_constraints(field.child_relation, items)
        return
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        queryset = field.queryset
        if queryset is not None and "type" in schema:
            schema[RELATED_MODEL] = _model_label(queryset.model)
        return
    if isinstance(field, ApiDateField | ApiDateTimeField):
        schema["pattern"] = DATE_PATTERN
        return
    if isinstance(field, serializers.ChoiceField | serializers.RegexField):
        return
    if isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
        # A field may state a narrower pattern itself (e.g. a percentage up to 100).
        schema["pattern"] = getattr(field, "openapi_pattern", "") or decimal_pattern(field)
        return
    if isinstance(field, serializers.CharField):
        if field.field_name in CHECKSUM_EXAMPLES:
            schema["example"] = CHECKSUM_EXAMPLES[field.field_name]
            schema["x-checksum"] = True
        # Leading and trailing spaces are trimmed (Python's str.strip(), which also takes
        # U+001C..U+001F and U+0085), so text that may not be blank needs one other character.
        patterned = (
            "pattern" in schema or "format" in schema or any(isinstance(v, RegexValidator) for v in field.validators)
        )
        if not field.allow_blank and field.trim_whitespace and not patterned:
            schema["pattern"] = NOT_BLANK


def decimal_pattern(field: serializers.DecimalField) -> str:
    """DRF sends decimals as strings; spectacular's pattern also admits "" and "." and
    a minus sign where the minimum is 0. At least one digit, at most the field's digits."""
    places = field.decimal_places or 0
    whole = (field.max_digits or 30) - places
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    # A minimum above zero (e.g. a quantity): at least one digit that is not 0.
    positive = "(?=[^1-9]*[1-9])" if field.min_value is not None and field.min_value > 0 else ""
    fraction = rf"(\.\d{{0,{places}}})?" if places else ""
    tail = rf"|\.\d{{1,{places}}}" if places else ""
    return rf"^{positive}{sign}(\d{{1,{whole}}}{fraction}{tail})$"


# --- postprocessing hooks (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) -------------------------


def _view_model(view: Any) -> type[models.Model] | None:
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    kind = getattr(view, "kind", None)  # Settings' category viewsets
    if kind is not None and getattr(kind, "model", None) is not None:
        return kind.model
    serializer_class = getattr(view, "serializer_class", None)
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def _collections(generator: Any) -> dict[str, str]:
    """Model label -> the collection path listing it (`GET /api/v1/customers/`)."""
    out: dict[str, str] = {}
    for path, _regex, method, callback in generator.endpoints or []:
        if method != "GET" or "{" in path or getattr(callback, "actions", {}).get("get") != "list":
            continue
        model = _view_model(generator.create_view(callback, method))
        if model is not None:
            out.setdefault(_model_label(model), path)
    return out


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def related_ids_describe(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """`x-related-model` (set while mapping fields) becomes `x-related`: the collection
    to take an existing id from, also said in words."""
    collections = _collections(generator)
    for node in _walk(result.get("components", {})):
        label = node.pop(RELATED_MODEL, None)
        if label is None:
            continue
        path = collections.get(label)
        if path is not None:
            node["x-related"] = path
            node.setdefault("description", f"Id of an existing record from GET {path}")
        else:
            node.setdefault("description", f"Id of an existing {label.split('.')[-1]}")
    return result


LINK_NAMES = {"get": "read", "put": "update", "patch": "partialUpdate", "delete": "delete"}


def create_links_add(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Each `POST /x/` answering 201 links to `GET|PUT|PATCH|DELETE /x/{id}/` of the new row."""
    paths: dict[str, Any] = result.get("paths", {})
    for path, operations in paths.items():
        created = (operations.get("post") or {}).get("responses", {}).get("201")
        item = paths.get(f"{path}{{id}}/")
        if created is None or item is None:
            continue
        links = {
            f"{LINK_NAMES[method]}Created": {
                "operationId": item[method]["operationId"],
                "parameters": {"id": "$response.body#/id"},
                "description": f"{method.upper()} {path}{{id}}/ of the record just created",
            }
            for method in LINK_NAMES
            if method in item and "operationId" in item[method]
        }
        if links:
            created["links"] = links
    return result


def introduction(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """The description at the top of /api/docs/, in the language of the request."""
    result.setdefault("info", {})["description"] = "\n\n".join(
        [
            _("## Jak zacząć"),
            _(
                "1. Wyślij `POST /api/v1/auth/token/` z polami `email` i `password`. Osoby z weryfikacją "
                "dwuetapową dodają pole `code`: kod z aplikacji (TOTP) albo jeden z kodów zapasowych."
            ),
            _(
                "2. Dołączaj token do każdego wywołania w nagłówku `Authorization: Token KLUCZ`. Swoje tokeny "
                "widzisz i unieważniasz w „Mój profil”; Szef może unieważnić tokeny każdej osoby. Tokeny "
                "przestają działać po zmianie hasła i po włączeniu weryfikacji dwuetapowej."
            ),
            _(
                "Gdy Szef wymaga weryfikacji dwuetapowej, osoby bez niej dostają 403 na każde wywołanie, "
                "z opisem, gdzie ją włączyć."
            ),
            _("## Stronicowanie"),
            _(
                "Listy zwracają `count`, `next`, `previous` i `results` (50 pozycji na stronę); kolejne "
                "strony: `?page=2`. Filtry i wyszukiwanie (`?search=`) opisuje każda operacja."
            ),
            _("## Błędy"),
            _(
                'Błędne dane dają 400 z komunikatami przy polach (`{"pole": ["komunikat"]}`) albo '
                '`{"detail": "komunikat"}`, w języku z nagłówka `Accept-Language` (pl, en). 401: brak lub '
                "zły token; 403: brak uprawnień (ranga, reguła firmy); 404: nie ma takiego rekordu albo nie "
                "masz do niego dostępu; 402: konto firmy jest w trybie tylko do odczytu albo zawieszone; "
                "409: operacja wymaga decyzji (np. co zrobić z rekordami usuwanej kategorii); 429: za dużo "
                "prób albo wywołań. Żadne z pól tekstowych nie przyjmuje znaku NUL."
            ),
            _(
                "Schemat podaje ograniczenia pól: wzorce (np. kolor `#RRGGBB`), długości, wartości dozwolone, "
                "pola wymagane; pole z `x-related` przyjmuje id istniejącego rekordu z podanej listy, `x-rules` "
                "podaje reguły łączące pola, a operacje tworzenia mają odnośniki (`links`) do odczytu, zmiany "
                "i usunięcia nowego rekordu."
            ),
            _("## Limity"),
            _(
                "Limit wywołań API na osobę: %(rate)s; ponad to API odpowiada 429 z nagłówkiem `Retry-After`. "
                "Nieudane logowania (hasło albo kod) liczy blokada wspólna z formularzem logowania: "
                "%(account)s nieudanych prób na konto z jednego adresu w ciągu 5 minut albo %(ip)s na minutę "
                "z jednego adresu wstrzymuje logowanie na kilka minut (429)."
            )
            % {
                "rate": api_rate_text(),
                "account": settings.IMCRM_LOGIN_THROTTLE[0][1],
                "ip": settings.IMCRM_LOGIN_THROTTLE[1][1],
            },
        ]
    )
    return result


def api_rate_text() -> str:
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    rate = str(rates.get("user") or "") if isinstance(rates, dict) else ""
    count, _sep, period = rate.partition("/")
    unit = {"s": _("na sekundę"), "m": _("na minutę"), "h": _("na godzinę"), "d": _("na dobę")}
    return f"{count} {unit.get(period[:1], period)}" if count else "?"
