"""Issue 13: Szef puts every Settings list in the order he wants (drag and drop, arrows,
the add form's place choice, the API's writable `position`); boards follow that order."""

from __future__ import annotations

import json

from crm.categories.models import DealStage, WinReason


def _stage_names(in_a) -> list[str]:
    with in_a():
        return list(DealStage.objects.values_list("name", flat=True))


def _stage(in_a, name: str) -> DealStage:
    with in_a():
        return DealStage.objects.get(name=name)


# The stages are ordered per pipeline in Settings > Lejki sprzedaży; the lists of the
# Settings pages are shown here with the win reasons (Cena, Jakość, Relacja z klientem,
# Termin realizacji).
def _reason_names(in_a) -> list[str]:
    with in_a():
        return list(WinReason.objects.values_list("name", flat=True))


def _reason(in_a, name: str) -> WinReason:
    with in_a():
        return WinReason.objects.get(name=name)


def test_a_new_entry_can_be_added_after_a_chosen_entry(client_a, szef, in_a):
    jakosc = _reason(in_a, "Jakość")
    response = client_a.login_as(szef).post(
        "/settings/categories/win-reasons/add/",
        {"win-reasons-name": "Polecenie", "win-reasons-color": "#112233", "win-reasons-after": str(jakosc.pk)},
    )
    assert response.status_code == 302
    assert _reason_names(in_a) == ["Cena", "Jakość", "Polecenie", "Relacja z klientem", "Termin realizacji"]


def test_a_new_entry_goes_first_or_last_as_chosen(client_a, szef, in_a):
    client = client_a.login_as(szef)
    client.post(
        "/settings/categories/win-reasons/add/",
        {"win-reasons-name": "Zero", "win-reasons-color": "#112233", "win-reasons-after": "first"},
    )
    client.post(
        "/settings/categories/win-reasons/add/",
        {"win-reasons-name": "Koniec", "win-reasons-color": "#112233", "win-reasons-after": ""},
    )
    names = _reason_names(in_a)
    assert names[0] == "Zero" and names[-1] == "Koniec"


def test_the_add_form_offers_every_place_in_the_list(client_a, szef):
    html = client_a.login_as(szef).get("/settings/sales/").content.decode()
    assert "Po: Termin realizacji" in html and "Na początku" in html
    assert "data-sortable-list" in html


def test_the_arrows_move_an_entry_up_and_down(client_a, szef, in_a):
    client = client_a.login_as(szef)
    termin = _reason(in_a, "Termin realizacji")
    response = client.post(f"/settings/categories/win-reasons/{termin.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert _reason_names(in_a)[-2:] == ["Termin realizacji", "Relacja z klientem"]
    client.post(f"/settings/categories/win-reasons/{termin.pk}/move/", {"direction": "down"})
    assert _reason_names(in_a)[-2:] == ["Relacja z klientem", "Termin realizacji"]


def test_dragging_saves_the_new_place_and_answers_json(client_a, szef, in_a):
    termin = _reason(in_a, "Termin realizacji")
    response = client_a.login_as(szef).post(
        f"/settings/categories/win-reasons/{termin.pk}/move/", {"position": "1", "format": "json"}
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True, "position": 1}
    assert _reason_names(in_a)[0] == "Termin realizacji"
    with in_a():
        assert list(WinReason.objects.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_a_bad_position_is_refused_with_a_message_and_nothing_moves(client_a, szef, in_a):
    before = _reason_names(in_a)
    jakosc = _reason(in_a, "Jakość")
    response = client_a.login_as(szef).post(
        f"/settings/categories/win-reasons/{jakosc.pk}/move/", {"position": "-3", "format": "json"}
    )
    assert response.status_code == 400
    assert "Pozycja" in response.json()["error"]
    assert _reason_names(in_a) == before


def test_the_pipeline_shows_stage_columns_in_the_new_order(client_a, szef, in_a):
    finalizacja = _stage(in_a, "Finalizacja")
    client = client_a.login_as(szef)
    client.post(
        f"/settings/pipelines/{finalizacja.pipeline_id}/stages/{finalizacja.pk}/",
        {"name": "Finalizacja", "color": finalizacja.color, "probability": "90", "position": "2"},
    )
    html = client.get("/deals/").content.decode()
    assert html.index("Finalizacja") < html.index("Analiza potrzeb")


def test_pracownik_cannot_reorder(client_a, pracownik, in_a):
    before = _reason_names(in_a)
    jakosc = _reason(in_a, "Jakość")
    response = client_a.login_as(pracownik).post(
        f"/settings/categories/win-reasons/{jakosc.pk}/move/", {"position": "1"}
    )
    assert response.status_code == 403
    assert _reason_names(in_a) == before


def test_an_outsider_cannot_reorder_another_companys_list(client_b, outsider, in_a):
    jakosc = _reason(in_a, "Jakość")
    response = client_b.login_as(outsider).post("/settings/categories/win-reasons/999999/move/", {"position": "1"})
    assert response.status_code == 404
    assert jakosc.pk  # company A's list untouched: the id space is per company


# --- the API -------------------------------------------------------------------------------------


def test_api_lists_positions_and_patch_position_moves_the_entry(client_a, szef, in_a):
    client = client_a.login_as(szef)
    rows = client.get("/api/v1/settings/deal-stages/").json()["results"]
    assert [r["position"] for r in rows] == [1, 2, 3, 4, 5]
    finalizacja = _stage(in_a, "Finalizacja")
    response = client.patch(
        f"/api/v1/settings/deal-stages/{finalizacja.pk}/", json.dumps({"position": 1}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["position"] == 1
    assert _stage_names(in_a)[0] == "Finalizacja"


def test_api_creates_an_entry_at_a_position(client_a, szef, in_a):
    response = client_a.login_as(szef).post(
        "/api/v1/settings/deal-stages/",
        json.dumps({"name": "Wycena", "color": "#123456", "position": 5}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert _stage_names(in_a)[4:] == ["Wycena", "Finalizacja"]


def test_api_refuses_position_zero(client_a, szef, in_a):
    oferta = _stage(in_a, "Oferta")
    response = client_a.login_as(szef).patch(
        f"/api/v1/settings/deal-stages/{oferta.pk}/", json.dumps({"position": 0}), content_type="application/json"
    )
    assert response.status_code == 400 and "position" in response.json()
