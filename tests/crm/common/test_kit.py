"""The shared kit (crm/common): every form's errors are tied to their fields for screen
readers, and every Settings page, whichever app it comes from, sits in one frame."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from crm.common.settings_pages import settings_pages
from tests.crm.contacts.factories import CustomerFactory


class _Fields(HTMLParser):
    """The ids on the page (with their text) and the inputs marked invalid."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.invalid: list[dict[str, str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("aria-invalid") == "true":
            self.invalid.append(a)
        if a.get("id"):
            self.texts.setdefault(a["id"], "")
            if tag not in ("input", "img", "br"):
                self._open.append(a["id"])

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag in ("div", "span", "p", "ul", "li"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            self.texts[ident] += data


def _unannounced(html: str) -> list[str]:
    """Invalid inputs whose aria-describedby does not lead to an error text on the page."""
    page = _Fields()
    page.feed(html)
    problems = []
    for field in page.invalid:
        ids = field.get("aria-describedby", "").split()
        if not any(page.texts.get(ident, "").strip() for ident in ids):
            problems.append(f"{field.get('name')}: aria-describedby={ids}")
    assert page.invalid, "no invalid field on the page"
    return problems


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/customers/new/", {"name": "", "email": "zly-adres", "kind": "company"}),
        ("/deals/new/", {"name": "", "value": "dużo"}),
        ("/tasks/new/", {"title": "", "due_at": "wczoraj"}),
        ("/settings/users/", {"email": "zly-adres", "role": "pracownik"}),
        ("/settings/company/", {"name": "", "tax_id": "123"}),
    ],
)
def test_every_field_error_is_announced_with_its_field(client_a, szef, path, data):
    response = client_a.login_as(szef).post(path, data)

    assert response.status_code in (200, 400)
    assert _unannounced(response.content.decode()) == []


def test_contact_person_errors_answered_to_htmx_are_announced_with_their_fields(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    response = client_a.login_as(szef).post(
        f"/customers/{customer.pk}/contacts/new/", {"name": "", "email": "zly"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert _unannounced(response.content.decode()) == []


def test_signup_errors_are_announced_with_their_fields(public_client):
    response = public_client.post("/signup/", {"company_name": "", "email": "zly"})

    assert _unannounced(response.content.decode()) == []


def test_every_settings_page_of_every_app_sits_in_one_menu_that_marks_it(client_a, szef):
    client_a.login_as(szef)
    pages = settings_pages()
    links = [f'href="{reverse(page.url_name)}"' for page in pages]
    assert {page.url_name for page in pages} >= {
        "crmsettings:users",
        "crmsettings:activity",
        "dashboard_settings:homepage",
        "billing_saas:billing",
    }

    for page in pages:
        html = client_a.get(reverse(page.url_name)).content.decode()
        menu = html[html.index('class="list-group settings-menu"') : html.index("</nav>", html.index("settings-menu"))]
        assert all(link in menu for link in links), page.url_name
        current = menu[: menu.index('aria-current="page"')]
        assert current.rindex("href=") == current.rindex(f'href="{reverse(page.url_name)}"'), page.url_name
