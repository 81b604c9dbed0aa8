"""Web-to-lead forms: Szef builds them in Settings; the public page /forms/<slug>/ makes a
lead and e-mails its owner; honeypot, a limit per address, the Origin allowlist with CORS
headers and framing for the allowed sites; other ranks and companies are refused."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from crm.leads.models import Lead, OwnerMode, WebForm
from crm.leads.webforms import webform_save


def _form(szef, **kwargs):
    data = {
        "name": "Kontakt",
        "slug": "kontakt",
        "fields": ["email", "phone", "description"],
        "required_fields": ["email"],
        "thanks_text": "Dziękujemy, oddzwonimy!",
        "owner_mode": OwnerMode.FIXED,
        "owner": szef,
        "source": None,
        "allowed_origins": "https://firma.test",
        "active": True,
        "rotation": [],
    }
    data.update(kwargs)
    return webform_save(actor=szef, **data)


def test_szef_builds_a_form_in_settings_and_sees_the_embed_snippet(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post(
        "/leads/forms/new/",
        {
            "name": "Wycena",
            "slug": "wycena",
            "asked_fields": ["email", "company_name"],
            "required_fields": ["email"],
            "thanks_text": "Dzięki!",
            "owner_mode": "fixed",
            "owner": szef.pk,
            "allowed_origins": "https://firma.test/",
            "active": "on",
        },
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        form = WebForm.objects.get()
        assert (form.slug, form.fields, form.allowed_origins) == (
            "wycena",
            ["company_name", "email"],
            "https://firma.test",
        )
    page = client_a.get(response["Location"]).content.decode()
    settings_page = client_a.get("/settings/leads/").content.decode()
    assert "/forms/wycena/" in page and "&lt;iframe" in page
    assert "Wycena" in settings_page


def test_bad_form_settings_are_refused_next_to_the_fields(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post(
        "/leads/forms/new/",
        {"name": "X", "slug": "Zły adres!", "owner_mode": "round_robin", "allowed_origins": "nie-strona"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "małe litery" in page and "co najmniej jedną osobę" in page and "nie jest adresem strony" in page
    with schema_context(company_a.schema_name):
        assert not WebForm.objects.exists()


def test_a_submission_makes_a_lead_and_queues_an_email_to_the_owner(
    client_a, szef, company_a, monkeypatch, django_capture_on_commit_callbacks
):
    from tenants import queue

    with schema_context(company_a.schema_name):
        _form(szef)
    queued = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: queued.append((task, args)))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/forms/kontakt/", {"name": "Jan Nowy", "email": "jan@nowy.test", "description": "Proszę o ofertę"}
        )

    assert response.status_code == 200
    assert "Dziękujemy, oddzwonimy!" in response.content.decode()
    with schema_context(company_a.schema_name):
        lead = Lead.objects.get()
        assert (lead.name, lead.email, lead.owner, lead.description) == (
            "Jan Nowy",
            "jan@nowy.test",
            szef,
            "Proszę o ofertę",
        )
    [(task, args)] = queued
    assert task.name == "leads.lead_new_email_send"
    # What the worker runs: the company's schema comes in the task's headers.
    assert task.apply(args=args, headers={"_schema_name": company_a.schema_name}, throw=True).get() is True
    assert [m.to for m in mail.outbox] == [[szef.email]]
    assert "Jan Nowy" in mail.outbox[0].subject and f"/leads/{lead.pk}/" in mail.outbox[0].body


def test_a_missing_required_field_is_shown_and_nothing_is_saved(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef)

    response = client_a.post("/forms/kontakt/", {"name": "Jan"})

    assert response.status_code == 400
    assert "To pole jest wymagane." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists()


def test_a_filled_honeypot_is_thanked_but_makes_no_lead(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef)

    response = client_a.post("/forms/kontakt/", {"name": "Bot", "email": "bot@spam.test", "website": "http://spam"})

    assert response.status_code == 200 and "Dziękujemy" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists()


def test_too_many_submissions_from_one_address_are_refused(client_a, szef, company_a, settings):
    settings.IMCRM_LEAD_FORM_LIMIT = (2, 600)
    with schema_context(company_a.schema_name):
        _form(szef)

    answers = [
        client_a.post("/forms/kontakt/", {"name": f"Osoba {n}", "email": f"o{n}@x.test"}).status_code for n in range(3)
    ]

    assert answers == [200, 200, 429]
    with schema_context(company_a.schema_name):
        assert Lead.objects.count() == 2


def test_an_allowed_site_posts_cross_origin_and_gets_cors_headers(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef)

    preflight = client_a.options("/forms/kontakt/", HTTP_ORIGIN="https://firma.test")
    response = client_a.post(
        "/forms/kontakt/",
        {"name": "Z witryny", "email": "w@firma.test"},
        HTTP_ORIGIN="https://firma.test",
        HTTP_ACCEPT="application/json",
    )
    page = client_a.get("/forms/kontakt/")

    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "https://firma.test"
    assert response.status_code == 200 and response.json()["ok"] is True
    assert response["Access-Control-Allow-Origin"] == "https://firma.test"
    assert (
        "X-Frame-Options" not in page and "frame-ancestors 'self' https://firma.test" in page["Content-Security-Policy"]
    )


def test_another_site_cannot_post_the_form(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef)

    response = client_a.post(
        "/forms/kontakt/", {"name": "Obcy", "email": "o@obcy.test"}, HTTP_ORIGIN="https://obcy.test"
    )

    assert response.status_code == 403
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists()


def test_round_robin_gives_the_leads_to_the_chosen_staff_in_turn(client_a, szef, kierownik, pracownik, company_a):
    with schema_context(company_a.schema_name):
        _form(szef, owner_mode=OwnerMode.ROUND_ROBIN, owner=None, rotation=[kierownik, pracownik])

    for n in range(3):
        client_a.post("/forms/kontakt/", {"name": f"Osoba {n}", "email": f"o{n}@x.test"})

    with schema_context(company_a.schema_name):
        owners = [lead.owner for lead in Lead.objects.order_by("id")]
    first, second = sorted([kierownik, pracownik], key=lambda u: u.pk)
    assert owners == [first, second, first]


def test_an_inactive_or_unknown_form_is_not_found(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef, active=False)

    assert client_a.get("/forms/kontakt/").status_code == 404
    assert client_a.get("/forms/nie-ma/").status_code == 404


def test_another_companys_form_is_not_found_on_this_host(client_b, szef, company_a):
    with schema_context(company_a.schema_name):
        _form(szef)

    assert client_b.get("/forms/kontakt/").status_code == 404
    assert client_b.post("/forms/kontakt/", {"name": "X", "email": "x@x.test"}).status_code == 404


def test_only_szef_builds_forms(client_a, client_b, outsider, kierownik, pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        form = _form(szef)
    urls = ["/leads/forms/new/", f"/leads/forms/{form.pk}/edit/", f"/leads/forms/{form.pk}/delete/"]

    for person in (kierownik, pracownik):
        client_a.login_as(person)
        for url in urls:
            assert client_a.get(url).status_code == 403, url
            assert client_a.post(url, {"name": "X"}).status_code == 403, url
    client_b.login_as(outsider)
    for url in urls[1:]:
        assert client_b.get(url).status_code in (403, 404), url
    with schema_context(company_a.schema_name):
        assert WebForm.objects.get(pk=form.pk).name == "Kontakt"


def test_szef_deletes_a_form(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        form = _form(szef)
    client_a.login_as(szef)

    response = client_a.post(f"/leads/forms/{form.pk}/delete/")

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not WebForm.objects.exists()
