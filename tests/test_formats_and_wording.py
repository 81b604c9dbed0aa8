"""The same words and formats everywhere: one date format per language, Polish thousands
grouped by a non-breaking space, one name for two-factor authentication, the landing
page's plan badge as on the pricing page, and the company name never declined."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
from django.utils import formats, translation
from django_tenants.utils import schema_context

from tests.crm.sales.helpers import deal_make

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\xa0"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_polish_and_english_each_have_one_date_format():
    day = date(2025, 3, 7)
    with translation.override("pl"):
        assert formats.date_format(day) == formats.date_format(day, "SHORT_DATE_FORMAT") == "07.03.2025"
    with translation.override("en"):
        assert formats.date_format(day) == formats.date_format(day, "SHORT_DATE_FORMAT") == "03/07/2025"


def test_deal_dates_are_shown_in_the_languages_date_format(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(expected_close=date(2025, 3, 7))
    client_a.login_as(szef)

    assert "07.03.2025" in _text(client_a.get(f"/deals/{deal.pk}/"))


# Calendars name ranges and weekdays ("10.03–16.03.2025", "środa, 12 marca 2025"): not a date of a record.
CALENDARS = {"crm/tasks/templates/tasks/calendar.html", "crm/dashboard/templates/dashboard/widgets/calendar.html"}


def test_no_template_spells_out_its_own_date_format():
    literal = re.compile(r"\|date:\"(?:j E Y|j\.m\.Y|Y-m-d|d\.m\.Y)[^\"]*\"")
    offenders = [
        str(path.relative_to(ROOT))
        for base in ("crm", "billing_saas", "public_site", "tenants", "templates")
        for path in (ROOT / base).rglob("*.*")
        if path.suffix in (".html", ".txt") and literal.search(path.read_text(encoding="utf-8"))
    ]
    assert set(offenders) <= CALENDARS


def test_polish_groups_thousands_with_a_non_breaking_space():
    with translation.override("pl"):
        assert formats.number_format(10000, force_grouping=True) == f"10{NBSP}000"
        assert formats.number_format(Decimal("1990.50"), 2, force_grouping=True) == f"1{NBSP}990,50"
    with translation.override("en"):
        assert formats.number_format(10000, force_grouping=True) == "10,000"


def test_landing_and_pricing_show_grouped_prices_and_limits(public_client):
    landing = _text(public_client.get("/"))
    pricing = _text(public_client.get("/pricing/"))

    assert f"do 10{NBSP}000 klientów" in landing and f"do 10{NBSP}000 klientów" in pricing
    assert f"1{NBSP}990 zł" in landing and f"1{NBSP}990 zł" in pricing
    english = _text(public_client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "up to 10,000 customers" in english


def test_landing_price_card_badge_is_the_pricing_pages_badge(public_client):
    badge = re.compile(r'<span class="badge[^"]*">([^<]+)</span>')
    landing = set(badge.findall(_text(public_client.get("/#cennik"))))
    pricing = set(badge.findall(_text(public_client.get("/pricing/"))))

    assert "W okresie próbnym" in landing
    assert pricing & landing == {"W okresie próbnym"}
    assert "Najczęściej wybierany" not in pricing


def _catalog_entries():
    for po in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        yield from polib.pofile(str(po))


def test_two_factor_authentication_has_one_name_in_each_language():
    polish_other = re.compile(r"dwuskładnikow|\b2FA\b")
    english_other = re.compile(r"two-step|2-step|\b2FA\b", re.IGNORECASE)
    offenders = [
        e.msgid
        for e in _catalog_entries()
        if not e.obsolete and (polish_other.search(e.msgid) or english_other.search(e.msgstr))
    ]
    assert offenders == []
    names = {e.msgstr for e in _catalog_entries() if e.msgid == "Weryfikacja dwuetapowa"}
    assert names == {"Two-factor authentication"}


def test_company_name_is_quoted_not_declined_on_the_login_page(client_a):
    body = _text(client_a.get("/accounts/login/"))
    assert "Zaloguj się do firmy „Alfa Sp. z o.o.”" in body


def test_no_polish_string_puts_a_company_name_after_a_preposition_without_quotes():
    declined = re.compile(r"\b(?:do|dla|w|od|z|firmy|firmę|firmie) %\((?:name|company|company_name)\)s")
    offenders = [e.msgid for e in _catalog_entries() if not e.obsolete and declined.search(e.msgid)]
    assert offenders == []
