"""The OpenAPI description (/api/schema/, drf-spectacular): our authentication classes,
and the 403 every authenticated operation may answer when the company bars the caller
(required 2FA without an authenticator, an address outside the allowed list)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema


class CompanySessionScheme(SessionScheme):
    target_class = "crm.accounts.authentication.CompanySessionAuthentication"


DETAIL_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# Developer documentation, in English like the rest of the schema's texts.
FORBIDDEN = (
    "Refused by a company rule: two-factor authentication is required and this person has none "
    "(the message says where to switch it on; then get a new token with a code), the caller's "
    "address is not on the allowed list, or the rank is too low."
)


class CompanyAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if self.view.get_authenticators() and "403" not in responses:
            responses["403"] = {
                "description": FORBIDDEN,
                "content": {"application/json": {"schema": DETAIL_SCHEMA}},
            }
        return responses
