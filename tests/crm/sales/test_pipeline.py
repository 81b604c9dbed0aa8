"""The pipeline board and its drag-and-drop endpoint."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django_tenants.utils import schema_context

from crm.accounts.services import user_deactivate
from crm.categories.models import DealCategory, DealStatus
from crm.notes.models import TimelineEvent
from crm.sales import services
from crm.sales.models import Deal
from crm.settings.categories import category_delete
from tests.crm.accounts.factories import UserFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.sales.helpers import customer_make, deal_make, stages, status, win_reason


def test_board_has_a_column_per_stage_with_its_colour_count_and_sum(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        first = stages()[0]
        deal_make(owner=szef, stage=first, value=Decimal("1000.00"))
        deal_make(owner=szef, stage=first, value=Decimal("250.50"))
        deal_make(owner=szef, stage=first, value=Decimal("10"), currency="EUR")
        names = [s.name for s in stages()]
    client_a.login_as(szef)

    page = client_a.get("/deals/").content.decode()

    for name in names:
        assert name in page
    assert f'data-border-color="{first.color}"' in page
    assert f'data-testid="count-{first.pk}">3<' in page
    assert "1\xa0250,50 PLN · 10,00 EUR" in page


def test_only_open_deals_are_on_the_board(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        custom = DealStatus.objects.create(name="Czeka na budżet", color="#123456")
        deal_make(owner=szef, name="Szansa w toku")
        deal_make(owner=szef, name="Szansa własny status", status=custom)
        deal_make(owner=szef, name="Szansa odroczona", status=status("postponed"))
        deal_make(owner=szef, name="Szansa wygrana", status=status("won"), win_reason=win_reason())
        deal_make(owner=szef, name="Szansa przegrana", status=status("lost"))
    client_a.login_as(szef)

    page = client_a.get("/deals/").content.decode()

    assert "Szansa w toku" in page
    assert "Szansa własny status" in page
    assert "Szansa odroczona" not in page
    assert "Szansa wygrana" not in page
    assert "Szansa przegrana" not in page


def test_board_filters_by_owner_and_category_from_the_url(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        services = DealCategory.objects.get(name="Usługi")
        deal_make(owner=szef, name="Szefa usługi", category=services)
        deal_make(owner=pracownik, name="Pracownika usługi", category=services)
        deal_make(owner=szef, name="Szefa produkty")
    client_a.login_as(szef)

    page = client_a.get(f"/deals/?owner={szef.pk}&category={services.pk}").content.decode()

    assert "Szefa usługi" in page
    assert "Pracownika usługi" not in page
    assert "Szefa produkty" not in page


def test_board_ignores_a_filter_id_that_does_not_exist(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef, name="Widoczna szansa")
    client_a.login_as(szef)

    response = client_a.get("/deals/?owner=999999&category=abc")

    assert response.status_code == 200
    assert "Widoczna szansa" in response.content.decode()


def test_board_query_count_does_not_grow_with_the_number_of_deals(
    client_a, szef, company_a, django_assert_max_num_queries
):
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        customer = customer_make()
        deal_make(customer=customer, owner=szef)
    with django_assert_max_num_queries(30) as few:
        client_a.get("/deals/", {"owner": szef.pk})
    with schema_context(company_a.schema_name):
        n_stages = len(stages())
        for stage in stages():
            for i in range(12):
                deal_make(customer=customer_make(), owner=szef, stage=stage, name=f"Masowa {stage.pk}-{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client_a.get("/deals/", {"owner": szef.pk}).content.decode()
    assert page.count('class="deal-card"') == 12 * n_stages + 1


def test_board_shows_at_most_thirty_cards_per_column_but_counts_them_all(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        first = stages()[0]
        customer = customer_make()
        for i in range(53):
            DealFactory(name=f"D{i}", customer=customer, status=status("in_progress"), stage=first, owner=szef)
    client_a.login_as(szef)

    page = client_a.get("/deals/").content.decode()

    assert page.count('class="deal-card"') == 30
    assert f'data-testid="count-{first.pk}">53<' in page
    assert "Pokaż wszystkie (53)" in page


def test_dragging_a_card_to_another_stage_moves_it_and_answers_new_column_figures(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        first, second = stages()[:2]
        deal = deal_make(owner=szef, stage=first, value=Decimal("700"))
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/move/", {"stage": str(second.pk)})

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["columns"][str(first.pk)] == {"count": 0, "total": "0,00 PLN"}
    assert body["columns"][str(second.pk)] == {"count": 1, "total": "700,00 PLN"}
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.stage == second
        event = TimelineEvent.objects.get(deal=deal)
        assert event.kind == "deal_stage_changed"
        assert event.actor == szef


def test_column_figures_after_a_move_honour_the_board_filters(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        first, second = stages()[:2]
        deal = deal_make(owner=szef, stage=first)
        deal_make(owner=pracownik, stage=second)
    client_a.login_as(szef)

    body = client_a.post(f"/deals/{deal.pk}/move/", {"stage": str(second.pk), "owner": str(szef.pk)}).json()

    assert body["columns"][str(second.pk)]["count"] == 1


def test_dragging_to_an_unknown_stage_is_refused_with_a_message(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        before = deal.stage_id
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/move/", {"stage": "987654"})

    assert response.status_code == 400
    assert "nie istnieje" in response.json()["error"]
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=deal.pk).stage_id == before


def test_dropping_on_wygrane_needs_a_win_reason(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        won, reason = status("won"), win_reason()
    client_a.login_as(szef)

    refused = client_a.post(f"/deals/{deal.pk}/move/", {"status": str(won.pk)})
    accepted = client_a.post(f"/deals/{deal.pk}/move/", {"status": str(won.pk), "win_reason": str(reason.pk)})

    assert refused.status_code == 400
    assert "powód wygranej" in refused.json()["error"]
    assert accepted.status_code == 200
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.status == won and deal.closed_at is not None


def test_dropping_on_odroczone_takes_the_deal_off_the_board(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Na później")
        postponed = status("postponed")
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/move/", {"status": str(postponed.pk)})

    assert response.status_code == 200
    assert "Na później" not in client_a.get("/deals/").content.decode()
    with schema_context(company_a.schema_name):
        assert TimelineEvent.objects.filter(deal=deal, kind="deal_status_changed").exists()


def test_move_endpoint_accepts_only_post(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
    client_a.login_as(szef)

    assert client_a.get(f"/deals/{deal.pk}/move/").status_code == 405


def _board_figures(client) -> dict[str, tuple[str, str]]:
    """{column key: (count, total)} as the board page shows them."""
    page = client.get("/deals/").content.decode()
    counts = dict(re.findall(r'data-testid="count-([^"]+)">(\d+)<', page))
    totals = dict(re.findall(r'data-testid="total-([^"]+)">([^<]*)<', page))
    return {key: (counts[key], totals[key]) for key in counts}


def test_board_figures_follow_every_change_of_the_deals(client_a, szef, pracownik, company_a):
    """The whole company's figures are kept by the database; they must match what a
    filtered board (counted from the deals themselves) says, whatever changed them."""
    with schema_context(company_a.schema_name):
        first, second = stages()[0], stages()[1]
        leaving = UserFactory(email="odchodzi@alfa.test", role="pracownik")
        customer = customer_make()
        a = services.deal_create(actor=szef, name="A", customer=customer, value=Decimal("100"), stage=first)
        b = services.deal_create(
            actor=szef, name="B", customer=customer, value=Decimal("50"), currency="EUR", stage=first, owner=leaving
        )
        services.deal_create(actor=szef, name="C", customer=customer, value=Decimal("7.5"), stage=second)
        services.deal_move_stage(deal=a, stage=second, actor=szef)
        services.deal_update(deal=b, actor=szef, value=Decimal("60"))
        services.deal_close(deal=a, status=status("won"), actor=szef, win_reason=win_reason())
        user_deactivate(user=leaving, handover={"customers": szef, "deals": szef, "tasks": szef})
        category_delete(actor=szef, category=second, uncategorise=True)  # its deals lose their stage
    client_a.login_as(szef)

    figures = _board_figures(client_a)

    assert figures[str(first.pk)] == ("1", "60,00 EUR")
    assert figures["none"] == ("1", "7,50 PLN")
    owner_filtered = client_a.get("/deals/", {"owner": szef.pk}).content.decode()
    assert f'data-testid="count-{first.pk}">1<' in owner_filtered
    assert 'data-testid="total-none">7,50 PLN<' in owner_filtered


def test_pracownik_sees_colleagues_cards_locked_and_his_own_movable(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        first = stages()[0]
        own = deal_make(owner=pracownik, stage=first, name="Moja szansa")
        others = deal_make(owner=szef, stage=first, name="Szansa szefa")

    as_pracownik = client_a.login_as(pracownik).get("/deals/").content.decode()
    own_card = as_pracownik[as_pracownik.index(f'data-deal="{own.pk}"') :].split("</li>")[0]
    others_card = as_pracownik[as_pracownik.index(f'data-deal="{others.pk}"') :].split("</li>")[0]
    assert "data-locked" not in own_card
    assert "data-locked" in others_card and "Tylko podgląd" in others_card
    assert "data-locked" not in client_a.login_as(szef).get("/deals/").content.decode()


def test_board_cards_write_value_and_close_date_as_the_deal_list_does(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef, value=Decimal("1234567.5"), currency="PLN", expected_close=date(2027, 3, 9))
    client_a.login_as(szef)
    for language in ("pl", "en"):
        board = client_a.get("/deals/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        listed = client_a.get("/deals/list/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        value = {"pl": "1\xa0234\xa0567,50 PLN", "en": "1,234,567.50 PLN"}[language]
        day = {"pl": "09.03.2027", "en": "03/09/2027"}[language]
        assert value in board and value in listed
        assert day in board and day in listed
