"""RODO pages of a person: consents (customer card tab, contact person's page) and the
anonymisation's confirmation page. Rules: crm/privacy/consents.py (anyone who may open
the card records consents) and crm/privacy/anonymise.py (Szef only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.common.errors import AppError, form_apply_error
from crm.common.types import AuthedRequest
from crm.contacts.models import ContactPerson, Customer
from crm.privacy.anonymise import (
    anonymise_lead_for,
    anonymise_rank_check,
    contact_anonymise,
    customer_anonymise,
    lead_anonymise,
)
from crm.privacy.cards import person_context
from crm.privacy.consents import (
    NOT_A_PERSON,
    consent_contact_for,
    consent_customer_for,
    consent_record,
    consents_apply,
)
from crm.privacy.forms import AnonymiseForm, ConsentForm


def _card_url(person: Customer | ContactPerson) -> str:
    if isinstance(person, ContactPerson):
        return reverse("privacy:contact_privacy", args=[person.pk])
    return reverse("contacts:customer_detail", args=[person.pk]) + "?tab=privacy"


def _consents_page(request: AuthedRequest, person: Customer | ContactPerson) -> HttpResponse:
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(person=person, actor=request.user, **form.cleaned_data)
        except AppError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Zapisano zmianę zgody."))
            return redirect(_card_url(person))
    customer = person.customer if isinstance(person, ContactPerson) else person
    ctx: dict[str, Any] = {"customer": customer, **person_context(request, person, form)}
    return render(request, "privacy/person_page.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def customer_privacy(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = consent_customer_for(request.user, pk)
    if not consents_apply(customer):
        if request.method == "POST":
            messages.error(request, str(NOT_A_PERSON))
        return redirect(_card_url(customer))
    return _consents_page(request, customer)


@login_required
@require_http_methods(["GET", "POST"])
def contact_privacy(request: AuthedRequest, pk: int) -> HttpResponse:
    return _consents_page(request, consent_contact_for(request.user, pk))


def _anonymise_page(request: AuthedRequest, person: Customer | ContactPerson) -> HttpResponse:
    anonymise_rank_check(request.user)
    form = AnonymiseForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(person, ContactPerson):
                contact_anonymise(contact=person, actor=request.user, confirm=form.cleaned_data["confirm"])
            else:
                customer_anonymise(customer=person, actor=request.user, confirm=form.cleaned_data["confirm"])
        except AppError as exc:
            if exc.field:
                form_apply_error(form, exc)
            else:
                error = exc.message
        else:
            messages.success(request, _("Dane osoby zostały zanonimizowane."))
            customer = person.customer if isinstance(person, ContactPerson) else person
            return redirect("contacts:customer_detail", pk=customer.pk)
    customer = person.customer if isinstance(person, ContactPerson) else person
    ctx = {
        "person": person,
        "is_contact": isinstance(person, ContactPerson),
        "customer": customer,
        "form": form,
        "error": error,
        "back_url": reverse("contacts:customer_detail", args=[customer.pk]),
    }
    return render(request, "privacy/anonymise.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def customer_anonymise_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _anonymise_page(request, consent_customer_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def contact_anonymise_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _anonymise_page(request, consent_contact_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def lead_anonymise_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A lead's anonymisation (Szef only; a lead he cannot open is a 404)."""
    lead = anonymise_lead_for(request.user, pk)
    anonymise_rank_check(request.user)
    form = AnonymiseForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            lead_anonymise(lead=lead, actor=request.user, confirm=form.cleaned_data["confirm"])
        except AppError as exc:
            if exc.field:
                form_apply_error(form, exc)
            else:
                error = exc.message
        else:
            messages.success(request, _("Dane osoby zostały zanonimizowane."))
            return redirect("leads:lead_detail", pk=lead.pk)
    ctx = {
        "person": lead,
        "is_lead": True,
        "form": form,
        "error": error,
        "back_url": reverse("leads:lead_detail", args=[lead.pk]),
    }
    return render(request, "privacy/anonymise.html", ctx, status=400 if request.method == "POST" else 200)
