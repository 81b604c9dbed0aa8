"""Settings > Home page: Szef chooses the widgets of each rank and their order."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from crm.dashboard.models import HomepageLayout
from crm.dashboard.widgets import DEFAULT_LAYOUTS, WIDGETS


def widgets_on(html: bytes) -> list[str]:
    return re.findall(r'data-widget="([a-z_]+)"', html.decode())


def form_data(order: list[str], hidden: tuple[str, ...] = (), role: str = "pracownik") -> dict[str, str]:
    data = {"role": role}
    for pos, key in enumerate(order, start=1):
        data[f"pos_{key}"] = str(pos)
        if key not in hidden:
            data[f"show_{key}"] = "on"
    return data


def test_szef_opens_the_homepage_settings(client_a, szef):
    response = client_a.login_as(szef).get("/settings/homepage/?role=kierownik")
    assert response.status_code == 200
    assert 'data-testid="layout-form"' in response.content.decode()


def test_pracownik_and_kierownik_may_not_open_homepage_settings(client_a, pracownik, kierownik):
    assert client_a.login_as(pracownik).get("/settings/homepage/").status_code == 403
    assert client_a.post("/settings/homepage/", form_data(list(WIDGETS))).status_code == 403
    assert client_a.login_as(kierownik).get("/settings/homepage/").status_code == 403


def test_anonymous_is_sent_to_login(client_a):
    response = client_a.get("/settings/homepage/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_new_company_shows_the_default_layout_for_each_rank(client_a, szef, pracownik, kierownik):
    assert widgets_on(client_a.login_as(szef).get("/").content) == DEFAULT_LAYOUTS["szef"]
    assert widgets_on(client_a.login_as(kierownik).get("/").content) == DEFAULT_LAYOUTS["kierownik"]
    assert widgets_on(client_a.login_as(pracownik).get("/").content) == DEFAULT_LAYOUTS["pracownik"]
    assert "team" not in DEFAULT_LAYOUTS["pracownik"]


def test_szef_reorders_and_hides_widgets_of_a_rank(client_a, company_a, szef, pracownik):
    client_a.login_as(szef)
    order = [
        "calendar",
        "followups",
        "customers",
        *[k for k in WIDGETS if k not in ("calendar", "followups", "customers")],
    ]
    hidden = tuple(k for k in WIDGETS if k not in ("calendar", "followups", "customers"))
    response = client_a.post("/settings/homepage/", form_data(order, hidden))
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert HomepageLayout.objects.get(role="pracownik").widgets == ["calendar", "followups", "customers"]
    assert widgets_on(client_a.login_as(pracownik).get("/").content) == ["calendar", "followups", "customers"]
    # Szef's own page is untouched.
    assert widgets_on(client_a.login_as(szef).get("/").content) == DEFAULT_LAYOUTS["szef"]


def test_a_hidden_widget_cannot_be_fetched_by_that_rank(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        HomepageLayout.objects.create(role="pracownik", widgets=["customers"])
    client_a.login_as(pracownik)
    assert client_a.get("/dashboard/widgets/customers/").status_code == 200
    assert client_a.get("/dashboard/widgets/won_deals/").status_code == 404
    assert client_a.get("/dashboard/quick-task/").status_code == 404


def test_positions_decide_the_order(client_a, company_a, szef):
    client_a.login_as(szef)
    data = form_data(list(WIDGETS), role="kierownik")
    data["pos_team"] = "1"  # moved to the top, ties keep the listed order
    data["pos_customers"] = "99"
    client_a.post("/settings/homepage/", data)
    with schema_context(company_a.schema_name):
        widgets = HomepageLayout.objects.get(role="kierownik").widgets
    assert widgets[0] == "team"
    assert widgets[-1] == "customers"


@pytest.mark.parametrize("bad", ["", "0", "100", "abc"])
def test_bad_position_shows_an_error_and_saves_nothing(client_a, company_a, szef, bad):
    client_a.login_as(szef)
    data = form_data(list(WIDGETS))
    data["pos_calendar"] = bad
    response = client_a.post("/settings/homepage/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_pos_calendar_error"' in html
    assert 'aria-describedby="id_pos_calendar_error"' in html
    with schema_context(company_a.schema_name):
        assert not HomepageLayout.objects.exists()


def test_reset_restores_the_default_layout(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        HomepageLayout.objects.create(role="pracownik", widgets=["team"])
    client_a.login_as(szef)
    assert client_a.post("/settings/homepage/", {"role": "pracownik", "reset": "1"}).status_code == 302
    with schema_context(company_a.schema_name):
        assert not HomepageLayout.objects.filter(role="pracownik").exists()
    assert widgets_on(client_a.login_as(pracownik).get("/").content) == DEFAULT_LAYOUTS["pracownik"]


def test_only_szef_sees_the_set_elements_button(client_a, szef, pracownik):
    assert 'data-testid="configure-home"' in client_a.login_as(szef).get("/").content.decode()
    assert 'data-testid="configure-home"' not in client_a.login_as(pracownik).get("/").content.decode()


def test_unknown_role_falls_back_to_szef(client_a, szef):
    response = client_a.login_as(szef).get("/settings/homepage/?role=admin")
    assert response.status_code == 200
    assert 'name="role" value="szef"' in response.content.decode()
