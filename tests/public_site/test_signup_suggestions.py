"""The suggested address drops legal forms; a taken address comes with two free alternatives."""

from __future__ import annotations

import html

import pytest

from tenants.services import subdomain_availability
from tenants.validators import suggest_subdomain
from tests.public_site.helpers import signup_data


@pytest.mark.parametrize(
    ("name", "subdomain"),
    [
        ("Hurtownia Śrubex Sp. z o.o.", "hurtownia-srubex"),
        ("Hurtownia Śrubex sp. z o. o.", "hurtownia-srubex"),
        ("Orlen S.A.", "orlen"),
        ("Orlen SA", "orlen"),
        ("Kowalski i Syn s.c.", "kowalski-i-syn"),
        ("Budex Sp. k.", "budex"),
        ("Mleczarnia Sp. j.", "mleczarnia"),
        ("P.P.H.U. Marek Nowak", "marek-nowak"),
        ("P.H.U. Jabłonka", "jablonka"),
        ("F.H.U. Anna", "anna"),
        ("PPHU Stal-Pol", "stal-pol"),
        ("Kowalski Spółka z ograniczoną odpowiedzialnością", "kowalski"),
        ("Łódź Śruby", "lodz-sruby"),
        ("Sp. z o.o.", "sp-z-o-o"),  # nothing but a legal form: better than nothing
    ],
)
def test_suggested_address_drops_legal_forms_and_trade_abbreviations(name, subdomain):
    assert suggest_subdomain(name) == subdomain


def test_suggest_endpoint_offers_the_name_without_the_legal_form(public_client):
    response = public_client.get("/signup/suggest/", {"company_name": "Hurtownia Śrubex Sp. z o.o."})

    assert response.json()["subdomain"] == "hurtownia-srubex"


def test_check_of_a_taken_address_offers_two_free_alternatives(public_client):
    response = public_client.get("/signup/check/", {"subdomain": "alfa"})

    data = response.json()
    assert data["available"] is False and data["reason"] == "Ten adres jest już zajęty."
    assert len(data["suggestions"]) == 2
    assert all(s.startswith("alfa") for s in data["suggestions"])
    assert all(subdomain_availability(s) is None for s in data["suggestions"])


def test_check_alternatives_start_from_the_company_name_when_given(public_client):
    response = public_client.get("/signup/check/", {"subdomain": "alfa", "company_name": "Hurtownia Śrubex Sp. z o.o."})

    assert response.json()["suggestions"][0] == "hurtownia-srubex"


def test_check_of_a_badly_written_address_offers_a_correct_one(public_client):
    response = public_client.get("/signup/check/", {"subdomain": "Zła Nazwa"})

    assert response.json()["available"] is False
    assert response.json()["suggestions"][0] == "zla-nazwa"


def test_signup_with_a_taken_address_shows_free_alternatives_on_the_page(public_client):
    response = public_client.post("/signup/", signup_data(subdomain="alfa"))

    body = html.unescape(response.content.decode())
    assert "Ten adres jest już zajęty." in body
    assert "Wolne adresy:" in body
    assert 'data-suggestion="lodz-sruby"' in body  # made from the company name
