"""Issue 13: the header's global search over customers, contact persons, deals and
tasks, grouped by type, without Polish letters, within what the user may see."""

from __future__ import annotations

from crm.contacts import services as contact_services
from crm.tasks.models import TaskVisibility
from tests.crm.contacts.factories import CustomerFactory, deal_make, task_make


def _fill(in_a, szef, pracownik):
    with in_a():
        lodz = CustomerFactory(owner=szef, name="Hurtownia Łódź", city="Łódź")
        CustomerFactory(owner=szef, name="Kraków Handel", city="Kraków")
        own = CustomerFactory(owner=pracownik, name="Mała Łódź Serwis", city="Gdańsk")
        contact_services.contact_create(
            customer=lodz, actor=szef, data={"name": "Łucja Łódzka", "email": "lucja@hurt.pl"}
        )
        deal_make(lodz, name="Dostawa do Łodzi", owner=szef)
        task_make(
            title="Zadzwonić do Łodzi", customer=lodz, assignee=szef, created_by=szef, visibility=TaskVisibility.OWNER
        )
        return lodz, own


def _groups(html: str) -> list[str]:
    return [key for key in ("customer", "contact", "deal", "task") if f'data-testid="search-group-{key}"' in html]


def test_results_are_grouped_by_type_and_ignore_polish_letters(client_a, szef, pracownik, in_a):
    lodz, _own = _fill(in_a, szef, pracownik)
    response = client_a.login_as(szef).get("/search/", {"q": "LODZ", "partial": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _groups(html) == ["customer", "contact", "deal", "task"]
    assert "Hurtownia Łódź" in html and "Kraków Handel" not in html
    assert "Łucja Łódzka" in html and "Dostawa do Łodzi" in html and "Zadzwonić do Łodzi" in html
    assert f'href="/customers/{lodz.pk}/"' in html  # the contact person opens its customer's card too


def test_the_full_page_shows_the_same_results_with_a_form(client_a, szef, pracownik, in_a):
    _fill(in_a, szef, pracownik)
    html = client_a.login_as(szef).get("/search/", {"q": "łucja"}).content.decode()
    assert 'id="search-page-q"' in html and "Łucja Łódzka" in html
    assert _groups(html) == ["customer", "contact"]  # the customer is found by its contact person


def test_a_too_short_query_or_nothing_found_says_so(client_a, szef):
    client = client_a.login_as(szef)
    assert "co najmniej 3" in client.get("/search/", {"q": "ab", "partial": "1"}).content.decode()
    assert "Nic nie znaleziono" in client.get("/search/", {"q": "zzzxyz", "partial": "1"}).content.decode()


def test_restricted_pracownik_finds_only_what_he_may_see(client_a, szef, pracownik, restricted_pracownik, in_a):
    _fill(in_a, szef, pracownik)
    html = client_a.login_as(pracownik).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()
    assert "Mała Łódź Serwis" in html
    assert "Hurtownia Łódź" not in html and "Łucja Łódzka" not in html
    assert "Dostawa do Łodzi" not in html and "Zadzwonić do Łodzi" not in html


def test_pracownik_does_not_find_someone_elses_private_task(client_a, szef, pracownik, in_a):
    _fill(in_a, szef, pracownik)
    html = client_a.login_as(pracownik).get("/search/", {"q": "zadzwonic", "partial": "1"}).content.decode()
    assert "Zadzwonić do Łodzi" not in html


def test_the_header_has_the_search_box(client_a, szef):
    html = client_a.login_as(szef).get("/customers/").content.decode()
    assert 'data-testid="global-search"' in html and 'aria-keyshortcuts="/ Control+K"' in html


def test_anonymous_visitor_is_sent_to_login(client_a):
    response = client_a.get("/search/", {"q": "lodz"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_outsider_finds_nothing_of_another_company(client_a, client_b, szef, pracownik, outsider, in_a):
    _fill(in_a, szef, pracownik)
    html = client_b.login_as(outsider).get("/search/", {"q": "lodz", "partial": "1"}).content.decode()
    assert "Hurtownia Łódź" not in html and "Nic nie znaleziono" in html
    # company B's session is nothing on company A's host
    response = client_b.get("/search/", {"q": "lodz"}, HTTP_HOST=client_a.defaults["HTTP_HOST"])
    assert response.status_code == 302 and "login" in response["Location"]


def test_contact_persons_are_found_by_their_current_email_and_phone_in_polish_order(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef, name="Hurtownia Testowa")
        for name in ("Łucja Nowak", "Lucyna Nowak", "Zofia Nowak"):
            contact_services.contact_create(customer=customer, actor=szef, data={"name": name})
        zofia = customer.contacts.get(name="Zofia Nowak")
        contact_services.contact_update(
            contact=zofia,
            actor=szef,
            data={"name": "Zofia Nowak", "email": "zofia@nowy-adres.pl", "phone": "601 202 303"},
        )
    client = client_a.login_as(szef)
    html = client.get("/search/", {"q": "nowak", "partial": "1"}).content.decode()
    assert html.index("Lucyna Nowak") < html.index("Łucja Nowak") < html.index("Zofia Nowak")
    assert "Zofia Nowak" in client.get("/search/", {"q": "NOWY-ADRES", "partial": "1"}).content.decode()
    assert "Zofia Nowak" in client.get("/search/", {"q": "202 303", "partial": "1"}).content.decode()
