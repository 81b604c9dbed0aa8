"""E-mail templates: merge fields filled from plain values, a template can read nothing
else (settings, attributes, tags are refused on save and render as nothing), unknown
fields are named on save, Polish and English versions, Szef only, another company's
template is a 404; the product's own e-mails use the company's edited template and keep
the built-in text until then."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from crm.company.mail_templates import mail_template_render
from crm.company.models import EmailTemplate
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory

URL = "/api/v1/settings/email-templates/"


def _post(client, body, url=URL):
    return client.post(url, body, content_type="application/json")


def test_szef_saves_a_template_and_unknown_fields_are_named_in_polish(api_szef, company_a):
    good = _post(
        api_szef,
        {
            "kind": "custom",
            "name": "Powitanie",
            "subject_pl": "Witamy, {{ customer.name }}",
            "body_pl": "Dzień dobry {{contact.first_name}}, pisze {{ user.name }} z {{ company.name }}.",
            "subject_en": "Welcome, {{ customer.name }}",
            "body_en": "Hello {{ contact.first_name }}",
        },
    )
    unknown = _post(
        api_szef,
        {
            "kind": "custom",
            "name": "Zły",
            "subject_pl": "{{ customer.nip }}",
            "body_pl": "{{ offer.number }} {% if x %}",
        },
    )

    assert good.status_code == 201, good.content
    assert unknown.status_code == 400
    errors = unknown.json()
    assert errors["subject_pl"][0].startswith("Nieznane pola: customer.nip.")
    assert "offer.number" in errors["body_pl"][0] and "{% if x %}" in errors["body_pl"][0]
    with schema_context(company_a.schema_name):
        assert list(EmailTemplate.objects.values_list("name", flat=True)) == ["Powitanie"]


def test_the_sandbox_refuses_settings_and_attribute_traversal_and_renders_them_as_nothing(api_szef, company_a):
    for text in (
        "{{ settings.SECRET_KEY }}",
        "{{ customer.name.__class__ }}",
        "{{ customer.__dict__ }}",
        "{{ request.user.password }}",
        "{% load static %}{% debug %}",
        "{{ customer.name|upper }}",
    ):
        answer = _post(api_szef, {"kind": "custom", "name": "X", "subject_pl": "S", "body_pl": text})
        assert answer.status_code == 400, text
    context = {"customer": {"name": "Śrubex {{ settings.SECRET_KEY }}"}}
    rendered = mail_template_render(
        "{{ settings.SECRET_KEY }}|{{ customer.name.__class__ }}|{{ customer.name }}", context
    )
    assert rendered == "||Śrubex {{ settings.SECRET_KEY }}"  # a value is inserted, never read as a template
    with schema_context(company_a.schema_name):
        assert not EmailTemplate.objects.exists()


def test_one_edited_template_per_product_email_and_english_falls_back_to_polish_per_part(api_szef, company_a):
    first = _post(
        api_szef,
        {"kind": "offer", "name": "Oferta", "subject_pl": "Oferta {{ offer.number }}", "body_pl": "{{ offer.link }}"},
    )
    second = _post(api_szef, {"kind": "offer", "name": "Druga", "subject_pl": "S", "body_pl": "B"})
    half = _post(
        api_szef, {"kind": "custom", "name": "Pół", "subject_pl": "S", "body_pl": "B", "subject_en": "Only subject"}
    )

    assert first.status_code == 201
    assert second.status_code == 400 and "kind" in second.json()
    assert half.status_code == 201
    with schema_context(company_a.schema_name):
        assert EmailTemplate.objects.get(pk=half.json()["id"]).text("en") == ("Only subject", "B")


def test_templates_are_for_szef_only_and_another_companys_is_a_404(
    api_szef, api_kierownik, api_pracownik, api_outsider, client_a, company_a, kierownik
):
    with schema_context(company_a.schema_name):
        template = EmailTemplate.objects.create(kind="custom", name="T", subject_pl="S", body_pl="B")

    assert api_szef.get(URL).status_code == 200
    assert api_kierownik.get(URL).status_code == 403
    assert api_pracownik.post(URL, {}, content_type="application/json").status_code == 403
    assert api_outsider.get(f"{URL}{template.pk}/").status_code == 404  # Szef of another company
    client_a.login_as(kierownik)
    assert client_a.get("/settings/email-templates/").status_code == 403


def test_another_companys_template_is_a_404_for_its_szef(company_a, client_b, outsider):
    with schema_context(company_a.schema_name):
        template = EmailTemplate.objects.create(kind="custom", name="T", subject_pl="S", body_pl="B")
    client_b.login_as(outsider)

    assert client_b.get(f"/settings/email-templates/{template.pk}/").status_code == 404


def test_the_settings_page_saves_a_template_and_shows_errors_next_to_the_field(client_a, company_a, szef):
    client_a.login_as(szef)

    bad = client_a.post(
        "/settings/email-templates/new/",
        {"kind": "custom", "name": "Zły", "subject_pl": "{{ settings.SECRET_KEY }}", "body_pl": "B"},
    )
    good = client_a.post(
        "/settings/email-templates/new/",
        {"kind": "custom", "name": "Dobry", "subject_pl": "Witaj {{ customer.name }}", "body_pl": "B"},
    )
    page = client_a.get("/settings/email-templates/").content.decode()

    assert bad.status_code == 400 and "Nieznane pola: {{ settings.SECRET_KEY }}" in bad.content.decode()
    assert good.status_code == 302
    assert "Dobry" in page and "bcc+" in page


def test_the_compose_form_fills_a_template_for_the_customer_in_either_language(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Śrubex")
        contact = ContactPersonFactory(customer=customer, name="Anna Nowak", email="anna@srubex.test")
        template = EmailTemplate.objects.create(
            kind="custom",
            name="Powitanie",
            subject_pl="Witamy {{ customer.name }}",
            body_pl="Dzień dobry {{ contact.first_name }}",
            subject_en="Welcome {{ customer.name }}",
            body_en="Hello {{ contact.last_name }}",
        )
    client_a.login_as(pracownik)
    url = f"/emails/customer/{customer.pk}/new/?template={template.pk}&contact={contact.pk}"

    polish = client_a.get(url).content.decode()
    english = client_a.get(url + "&language=en").content.decode()

    assert 'value="Witamy Śrubex"' in polish and "Dzień dobry Anna" in polish
    assert 'value="Welcome Śrubex"' in english and "Hello Nowak" in english


def test_a_ticket_reply_uses_the_edited_template_and_keeps_the_reference(api_szef, company_a):
    from tests.crm.tickets.factories import ticket_make

    with schema_context(company_a.schema_name):
        ticket = ticket_make()
    default = api_szef.post(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Pierwsza"}, content_type="application/json"
    )
    _post(
        api_szef,
        {
            "kind": "ticket_reply",
            "name": "Odpowiedź",
            "subject_pl": "Zgłoszenie {{ ticket.number }}",
            "body_pl": "{{ reply.body }}\n-- {{ company.name }}",
        },
    )
    edited = api_szef.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Druga"}, content_type="application/json")

    assert default.status_code == 201 and edited.status_code == 201
    first, second = mail.outbox
    assert first.subject.endswith(f"{ticket.reference} {ticket.subject}") and "Pierwsza" in first.body
    assert ticket.reference in second.subject and f"Zgłoszenie {ticket.number}" in second.subject
    assert second.body == "Druga\n-- Alfa Sp. z o.o."


def test_the_password_reset_email_keeps_its_text_until_szef_edits_it(client_a, api_szef, pracownik):
    client_a.post("/accounts/password/reset/", {"email": pracownik.email})
    built_in = mail.outbox[-1]
    edited = _post(
        api_szef,
        {
            "kind": "password_reset",
            "name": "Reset",
            "subject_pl": "Nowe hasło w {{ company.name }}",
            "body_pl": "Cześć {{ user.name }}, ustaw hasło: {{ reset.link }}",
        },
    )
    client_a.post("/accounts/password/reset/", {"email": pracownik.email})
    custom = mail.outbox[-1]

    assert edited.status_code == 201, edited.content
    assert "/accounts/password/reset/key/" in built_in.body and "Nowe hasło" not in built_in.subject
    assert "Nowe hasło w Alfa" in custom.subject
    assert custom.body.startswith(f"Cześć {pracownik.name}, ustaw hasło: http")
    assert "/accounts/password/reset/key/" in custom.body
