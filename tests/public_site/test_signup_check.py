from __future__ import annotations

import pytest

from tests.public_site.helpers import unique_subdomain


@pytest.mark.parametrize(
    ("subdomain", "reason"),
    [
        ("alfa", "Ten adres jest już zajęty."),
        ("AlFa", "Ten adres jest już zajęty."),
        ("www", "Ten adres jest zarezerwowany. Wybierz inny."),
        ("admin", "Ten adres jest zarezerwowany. Wybierz inny."),
        ("ab", "Adres musi mieć od 3 do 40 znaków."),
        ("a" * 41, "Adres musi mieć od 3 do 40 znaków."),
        ("ab--cd", "Adres nie może mieć dwóch myślników na pozycjach 3-4."),
        ("-abc", "nie może zaczynać się ani kończyć myślnikiem"),
        ("zła-nazwa", "Dozwolone są tylko małe litery"),
        ("", "Podaj adres (subdomenę) firmy."),
    ],
)
def test_check_says_why_an_address_is_not_available(public_client, subdomain, reason):
    response = public_client.get("/signup/check/", {"subdomain": subdomain})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["available"] is False
    assert reason in response.json()["reason"]


def test_check_says_a_free_address_is_available_with_an_empty_reason(public_client):
    sub = unique_subdomain("wolna")
    response = public_client.get("/signup/check/", {"subdomain": sub})

    assert response.json() == {"available": True, "reason": "", "subdomain": sub, "suggestions": []}


def test_check_answers_in_english_for_english_visitors(public_client):
    response = public_client.get("/signup/check/", {"subdomain": "alfa"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["reason"] == "This address is already taken."


def test_suggestion_transliterates_polish_letters(public_client):
    response = public_client.get("/signup/suggest/", {"company_name": "Łódź Śruby"})

    assert response.json() == {"subdomain": "lodz-sruby", "available": True, "reason": ""}


def test_suggestion_avoids_a_taken_address(public_client):
    response = public_client.get("/signup/suggest/", {"company_name": "Alfa"})

    assert response.json()["subdomain"] == "alfa-2"
    assert response.json()["available"] is True


def test_suggestion_of_a_name_without_letters_is_empty(public_client):
    assert public_client.get("/signup/suggest/", {"company_name": "!!!"}).json()["subdomain"] == ""


def test_check_is_not_served_on_company_hosts(client_a):
    assert client_a.get("/signup/check/", {"subdomain": "abc"}).status_code == 404


def test_check_refuses_post(public_client):
    assert public_client.post("/signup/check/", {"subdomain": "abc"}).status_code == 405
