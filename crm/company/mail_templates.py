"""E-mail templates with merge fields, rendered in a sandbox.

A template is plain text with `{{ object.field }}` placeholders and nothing else: no
tags, filters or attribute chains. `mail_template_render` substitutes values from a
context of plain strings (`{"customer": {"name": "..."}}`) that the caller builds from
whitelisted attributes; it never sees a model, the settings or another company. A field
a kind does not offer is refused when the template is saved (`mail_template_check`).

The product's own e-mails ask `mail_text(kind=..., ...)`: the company's edited template
of that kind when Szef has saved one, else the built-in text (the `default` callable),
so nothing changes until a template is edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.company.models import EmailTemplate, EmailTemplateKind

PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")
# Anything that looks like template syntax but is not a plain placeholder.
SYNTAX_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)

Context = Mapping[str, Mapping[str, str]]

COMMON_FIELDS: dict[str, object] = {
    "customer.name": gettext_lazy("nazwa klienta"),
    "customer.email": gettext_lazy("e-mail klienta"),
    "contact.name": gettext_lazy("imię i nazwisko osoby kontaktowej"),
    "contact.first_name": gettext_lazy("imię osoby kontaktowej"),
    "contact.last_name": gettext_lazy("nazwisko osoby kontaktowej"),
    "user.name": gettext_lazy("imię i nazwisko wysyłającego"),
    "user.email": gettext_lazy("e-mail wysyłającego"),
    "company.name": gettext_lazy("nazwa Twojej firmy"),
}
KIND_FIELDS: dict[str, dict[str, object]] = {
    EmailTemplateKind.CUSTOM: {},
    EmailTemplateKind.OFFER: {
        "offer.number": gettext_lazy("numer oferty"),
        "offer.link": gettext_lazy("link do strony oferty"),
        "offer.total": gettext_lazy("wartość brutto"),
        "offer.valid_until": gettext_lazy("ważna do"),
        "message.text": gettext_lazy("wiadomość wpisana przy wysyłce"),
    },
    EmailTemplateKind.INVOICE: {
        "invoice.number": gettext_lazy("numer faktury"),
        "invoice.total": gettext_lazy("kwota brutto"),
        "invoice.due_date": gettext_lazy("termin płatności"),
        "invoice.bank_account": gettext_lazy("numer rachunku"),
        "message.text": gettext_lazy("wiadomość wpisana przy wysyłce"),
    },
    EmailTemplateKind.TASK_REMINDER: {
        "task.title": gettext_lazy("tytuł zadania"),
        "task.due": gettext_lazy("termin zadania"),
        "task.link": gettext_lazy("link do zadania"),
        "task.description": gettext_lazy("opis zadania"),
    },
    EmailTemplateKind.TICKET_REPLY: {
        "ticket.number": gettext_lazy("numer zgłoszenia"),
        "ticket.subject": gettext_lazy("temat zgłoszenia"),
        "reply.body": gettext_lazy("treść odpowiedzi"),
    },
    EmailTemplateKind.INVITATION: {
        "invitation.link": gettext_lazy("link zaproszenia"),
        "invitation.role": gettext_lazy("ranga"),
    },
    EmailTemplateKind.PASSWORD_RESET: {"reset.link": gettext_lazy("link do ustawienia nowego hasła")},
}


def mail_template_fields(kind: str) -> dict[str, object]:
    """The merge fields a template of `kind` may use, with their descriptions."""
    return {**COMMON_FIELDS, **KIND_FIELDS.get(kind, {})}


def mail_template_check(kind: str, text: str, *, field: str) -> None:
    """ValidationError on `field` naming every placeholder the kind does not offer and
    any other template syntax (tags, filters, comments)."""
    placeholders_check(text, mail_template_fields(kind), field=field)


def placeholders_check(text: str, allowed: Iterable[str], *, field: str) -> None:
    """ValidationError on `field` naming every placeholder of `text` not in `allowed` and
    any other template syntax (tags, filters, comments)."""
    allowed = list(allowed)
    unknown: list[str] = []
    for match in SYNTAX_RE.finditer(text):
        found = PLACEHOLDER_RE.fullmatch(match.group(0))
        name = f"{found.group(1)}.{found.group(2)}" if found else match.group(0)
        if name not in allowed and name not in unknown:
            unknown.append(name)
    if unknown:
        raise ValidationError(
            {
                field: _("Nieznane pola: %(fields)s. Dostępne: %(allowed)s.")
                % {
                    "fields": ", ".join(unknown)[:300],
                    "allowed": ", ".join("{{ " + name + " }}" for name in allowed),
                }
            }
        )


def mail_template_render(text: str, context: Context) -> str:
    """`text` with each known placeholder replaced by its string; anything else that looks
    like template syntax renders as nothing. Values are inserted once, never re-read, so a
    value containing `{{ ... }}` stays as it is."""

    def value(match: re.Match[str]) -> str:
        found = PLACEHOLDER_RE.fullmatch(match.group(0))
        if found is None:
            return ""
        item = context.get(found.group(1))
        result = item.get(found.group(2), "") if isinstance(item, Mapping) else ""
        return result if isinstance(result, str) else ""

    return SYNTAX_RE.sub(value, text)


def mail_template_of(kind: str) -> EmailTemplate | None:
    """The company's edited template of a product e-mail `kind` (None: the built-in text)."""
    if kind == EmailTemplateKind.CUSTOM:
        return None
    return EmailTemplate.objects.filter(kind=kind).first()


def mail_text(*, kind: str, language: str, context: Context, default: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """(subject, body) of a product e-mail: the edited template when there is one, else `default()`."""
    template = mail_template_of(kind)
    if template is None:
        return default()
    subject, body = template.text(language or "pl")
    return " ".join(mail_template_render(subject, context).split()), mail_template_render(body, context)


def person_fields(name: str) -> dict[str, str]:
    """name, first_name, last_name of a person's full name."""
    parts = (name or "").split()
    return {"name": name or "", "first_name": parts[0] if parts else "", "last_name": " ".join(parts[1:])}


def merge_base(
    *, customer: Any = None, contact: Any = None, user: Any = None, company: str = ""
) -> dict[str, dict[str, str]]:
    """The fields every kind offers, read from whitelisted attributes only."""
    user_name = ""
    if user is not None:
        user_name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or getattr(user, "email", "")
    return {
        "customer": {
            "name": str(getattr(customer, "name", "") or ""),
            "email": str(getattr(customer, "email", "") or ""),
        },
        "contact": {
            **person_fields(str(getattr(contact, "name", "") or "")),
            "email": str(getattr(contact, "email", "") or ""),
        },
        "user": {"name": str(user_name or ""), "email": str(getattr(user, "email", "") or "")},
        "company": {"name": company or ""},
    }
