"""Rules for the subdomain a company picks; the schema name is derived, never raw input."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

SUBDOMAIN_MIN = 3
SUBDOMAIN_MAX = 40
RESERVED_SUBDOMAINS = frozenset(
    [
        "www",
        "api",
        "admin",
        "operator",
        "mail",
        "email",
        "smtp",
        "imap",
        "pop",
        "pop3",
        "app",
        "apps",
        "static",
        "media",
        "billing",
        "status",
        "help",
        "public",
        "template",
        "templates",
        "demo-template",
        "test",
        "tests",
        "support",
        "docs",
        "doc",
        "blog",
        "dev",
        "staging",
        "stage",
        "prod",
        "production",
        "root",
        "system",
        "sys",
        "info",
        "news",
        "shop",
        "store",
        "login",
        "signin",
        "signup",
        "register",
        "auth",
        "account",
        "accounts",
        "dashboard",
        "cdn",
        "assets",
        "files",
        "img",
        "images",
        "ftp",
        "ns",
        "ns1",
        "ns2",
        "dns",
        "mx",
        "vpn",
        "internal",
        "intranet",
        "portal",
        "webmail",
        "pay",
        "payments",
        "stripe",
        "imcrm",
        "crm",
        "security",
        "abuse",
        "postmaster",
        "hostmaster",
        "webmaster",
        "localhost",
        "pool",
    ]
)
_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def normalise_subdomain(value: str) -> str:
    return (value or "").strip().lower()


def subdomain_problem(value: str) -> str | None:
    """Why `value` cannot be a subdomain (format and reserved names), or None."""
    sub = normalise_subdomain(value)
    if not sub:
        return str(_("Podaj adres (subdomenę) firmy."))
    if len(sub) < SUBDOMAIN_MIN or len(sub) > SUBDOMAIN_MAX:
        return str(_("Adres musi mieć od %(min)d do %(max)d znaków.") % {"min": SUBDOMAIN_MIN, "max": SUBDOMAIN_MAX})
    if not _LABEL_RE.match(sub):
        return str(
            _(
                "Dozwolone są tylko małe litery a-z, cyfry i myślnik; adres nie może zaczynać się ani kończyć myślnikiem."
            )
        )
    if sub[2:4] == "--":
        return str(_("Adres nie może mieć dwóch myślników na pozycjach 3-4."))
    if sub in RESERVED_SUBDOMAINS:
        return str(_("Ten adres jest zarezerwowany. Wybierz inny."))
    return None


def validate_subdomain(value: str) -> None:
    problem = subdomain_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_subdomain")


def schema_name_for(subdomain: str) -> str:
    """`acme-pl` -> `c_acme_pl`; injective because subdomains have no underscores."""
    validate_subdomain(subdomain)
    return "c_" + normalise_subdomain(subdomain).replace("-", "_")


# Legal forms and trade abbreviations that say nothing about the company, as word
# sequences after transliteration ("Sp. z o.o." -> sp z o o). Removed anywhere in the name.
_NOISE_ANYWHERE: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(words.split())
            for words in (
                "sp z o o",
                "sp z oo",
                "spolka z ograniczona odpowiedzialnoscia",
                "spolka akcyjna",
                "spolka cywilna",
                "spolka jawna",
                "spolka komandytowa",
                "spolka komandytowo akcyjna",
                "spolka partnerska",
                "s a",
                "s c",
                "s k a",
                "sp k",
                "sp j",
                "sp p",
                "sp k a",
                "p p h u",
                "p h u",
                "f h u",
                "f p h u",
                "z p h u",
                "p u h",
                "p p u h",
                "p w",
                "pphu",
                "phu",
                "fhu",
                "fphu",
                "zphu",
                "puh",
                "ppuh",
                "spzoo",
                "sp zoo",
            )
        ),
        key=len,
        reverse=True,
    )
)
# Short forms that are words only at the end of a name ("Orlen SA", "Acme Ltd").
_NOISE_AT_END = frozenset(["sa", "sc", "spj", "spk", "ska", "ltd", "llc", "inc", "gmbh", "sro"])


def _without_legal_forms(words: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        for noise in _NOISE_ANYWHERE:
            if tuple(words[i : i + len(noise)]) == noise:
                i += len(noise)
                break
        else:
            kept.append(words[i])
            i += 1
    while len(kept) > 1 and kept[-1] in _NOISE_AT_END:
        kept.pop()
    return kept


def suggest_subdomain(company_name: str) -> str:
    """'Hurtownia Śrubex Sp. z o.o.' -> 'hurtownia-srubex': transliterated, legal forms
    and trade abbreviations (P.P.H.U., S.A., s.c.) dropped, trimmed to the length limit."""
    words = [w for w in re.split(r"[^a-z0-9]+", unidecode(company_name or "").lower()) if w]
    words = _without_legal_forms(words) or words
    text = "-".join(words)
    text = text[:SUBDOMAIN_MAX].strip("-")
    if len(text) >= 4 and text[2:4] == "--":
        text = text[:2] + text[4:]
    return text
