from __future__ import annotations


def test_szef_signs_in_on_company_host_and_sees_the_dashboard(committed, page, live_url):
    page.goto(live_url("alfa", "/"))
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))
    assert page.get_by_test_id("staff-list").is_visible()
    assert "Anna Szef" in page.content()
