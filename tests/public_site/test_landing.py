from __future__ import annotations

import html
import re
from decimal import Decimal

from billing_saas.models import Plan
from public_site.selectors import price_plans
from tests.billing_saas.factories import PlanFactory


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_landing_page_sells_the_product_with_illustrations_of_its_screens(public_client):
    response = public_client.get("/")
    body = _text(response)

    assert response.status_code == 200
    assert "Uruchom swój CRM w minutę" in body
    assert body.count('class="shot') >= 4  # dashboard, pipeline, tasks, customer card
    assert 'role="img"' in body
    assert "<svg" in body
    assert 'href="/signup/"' in body
    assert "Dołącz do naszych klientów" in body


def test_landing_page_has_no_inline_script_or_style(public_client):
    body = public_client.get("/").content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert ' style="' not in body


def test_price_list_shows_the_active_plans_of_billing(public_client, companies, db):
    Plan.objects.create(code="ukryty", name="Plan Wycofany", price_monthly=1, price_yearly=10, is_active=False)
    active = list(Plan.objects.filter(is_active=True).order_by("sort_order", "price_monthly"))
    assert active, "billing seeds its plans"

    body = _text(public_client.get("/"))

    for plan in active:
        assert plan.name in body
        assert f"{plan.price_monthly.normalize():f} zł" in body
    assert "Plan Wycofany" not in body
    assert [p.name for p in price_plans()] == [p.name for p in active]


def test_price_list_marks_the_plan_a_trial_runs_on(public_client, companies, db):
    Plan.objects.update(is_trial_default=False)
    Plan.objects.create(
        code="probny", name="Próbny Plan", price_monthly=Decimal("99"), price_yearly=990, is_trial_default=True
    )

    body = _text(public_client.get("/"))

    card = re.search(r'price-card-featured" data-testid="plan">(.*?)</h3>', body, re.S)
    assert card and "Próbny Plan" in card.group(1) and "W okresie próbnym" in card.group(1)


def test_without_plans_the_price_list_offers_the_14_day_trial(public_client):
    Plan.objects.update(is_active=False)

    body = _text(public_client.get("/"))

    assert "14 dni za darmo" in body
    assert "Pełna wersja, wszyscy użytkownicy, bez karty płatniczej." in body
    assert 'data-testid="plan"' not in body


def test_a_plan_without_limits_says_so(public_client):
    Plan.objects.update(is_active=False)
    PlanFactory(
        name="Firma", price_monthly=Decimal("199"), price_yearly=Decimal("1990"), seat_limit=None, customer_limit=None
    )

    body = _text(public_client.get("/"))

    assert "Bez limitu użytkowników" in body
    assert "Bez limitu klientów" in body
    assert "lub 1\xa0990 zł rocznie" in body  # grouped by a non-breaking space


def test_landing_page_is_english_for_english_visitors(public_client):
    body = _text(public_client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "See how it works" in body
    assert "Join our customers" in body


def test_terms_privacy_and_contact_pages_answer(public_client):
    for path in ("/regulamin/", "/prywatnosc/", "/kontakt/"):
        assert public_client.get(path).status_code == 200
