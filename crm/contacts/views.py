"""Customer pages: the list (filters in the URL), the card with its tabs, forms.

Every view reads customers through `customers_visible_to(user)`: another company's
id, or a colleague's customer for a restricted Pracownik, is a 404.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from crm.accounts.access import (
    CustomerAction,
    customers_action_check,
    may_customers,
    may_export_personal_data,
    sees_everything,
)
from crm.accounts.models import User
from crm.categories.models import ContactGroup, ContactSource, CustomerStatus, CustomerType
from crm.common.params import is_int_text
from crm.common.records import card_section, card_sections
from crm.common.types import AuthedRequest
from crm.contacts import services
from crm.contacts.forms import ContactPersonForm, CustomerForm, GroupCreateForm, GroupsForm
from crm.contacts.merge import customer_redirect_target
from crm.contacts.models import ContactPerson, Customer, CustomerKind
from crm.contacts.selectors import (
    SORTS,
    CustomerFilters,
    customer_duplicates,
    customer_duplicates_shown,
    customer_list,
    customers_visible_to,
    search_planner,
)
from tenants.limits import limit_problem

PER_PAGE_CHOICES = (25, 50, 100)


def _customer_for(request: AuthedRequest, pk: int, everything: bool | None = None) -> Customer:
    qs = customers_visible_to(request.user, everything=everything).select_related("status", "type", "source", "owner")
    return get_object_or_404(qs, pk=pk)


def _per_page(request: AuthedRequest) -> int:
    raw = request.GET.get("per_page", "")
    return int(raw) if is_int_text(raw) and int(raw) in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]


def list_options(everything: bool) -> dict[str, Any]:
    return {
        "groups": list(ContactGroup.objects.all()),
        "sources": list(ContactSource.objects.all()),
        "statuses": list(CustomerStatus.objects.all()),
        "types": list(CustomerType.objects.all()),
        "owners": list(User.objects.filter(is_active=True)) if everything else [],
        "kinds": CustomerKind.choices,
        "sorts": SORTS,
    }


@login_required
@require_GET
def customer_list_view(request: AuthedRequest) -> HttpResponse:
    everything = sees_everything(request.user)
    filters = CustomerFilters.from_query(request.GET)
    qs = customer_list(user=request.user, filters=filters, everything=everything)
    qs = qs.select_related("status", "type", "source", "owner").prefetch_related("groups")
    qs = qs.defer("search_text", "contacts_search_text")  # search blobs: long, never shown
    with search_planner(bool(filters.q)):
        page = Paginator(qs, _per_page(request)).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
    ctx = {
        "page": page,
        "filters": filters,
        "sort": filters.sort,
        "per_page": _per_page(request),
        "per_page_choices": PER_PAGE_CHOICES,
        "everything": everything,
        "may_export": may_customers(request.user, CustomerAction.EXPORT),
        "may_import": may_customers(request.user, CustomerAction.IMPORT),
    }
    if request.htmx and request.htmx.target == "customer-results":
        return render(request, "contacts/_customer_results.html", ctx)
    ctx.update(list_options(everything))
    return render(request, "contacts/customer_list.html", ctx)


def _duplicates_context(request: AuthedRequest, *, tax_id: str, email: str, exclude_pk: int | None = None) -> list[Any]:
    return customer_duplicates_shown(
        customers=customer_duplicates(tax_id=tax_id, email=email, exclude_pk=exclude_pk), user=request.user
    )


@login_required
@require_GET
def customer_duplicates_view(request: AuthedRequest) -> HttpResponse:
    """htmx: a warning under the form when the NIP or e-mail is already in the CRM."""
    from crm.contacts.validators import nip_digits

    exclude = request.GET.get("exclude", "")
    found = _duplicates_context(
        request,
        tax_id=nip_digits(request.GET.get("tax_id", ""))[:20],
        email=request.GET.get("email", "")[:254],
        exclude_pk=int(exclude) if is_int_text(exclude) else None,
    )
    # Editing a customer (`exclude` is its id): each duplicate may be merged into it.
    merge_into = int(exclude) if is_int_text(exclude) else None
    return render(request, "contacts/_duplicates.html", {"duplicates": found, "merge_into": merge_into})


@login_required
@require_http_methods(["GET", "POST"])
def customer_create(request: AuthedRequest) -> HttpResponse:
    everything = sees_everything(request.user)
    refusal = limit_problem("customers")
    form = CustomerForm(request.POST or None, user=request.user, owner_choice=everything)
    duplicates: list[Any] = []
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            customer = services.customer_create(
                actor=request.user,
                data=form.service_data(),
                groups=form.cleaned_data.get("groups") or [],
                allow_duplicate=bool(form.cleaned_data.get("allow_duplicate")),
            )
        except services.CustomerDuplicateError as exc:
            duplicates = customer_duplicates_shown(customers=exc.duplicates, user=request.user)
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Dodano klienta „%(name)s”.") % {"name": customer.name})
            return redirect("contacts:customer_detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "duplicates": duplicates, "limit_problem": refusal, "creating": True}
    return render(request, "contacts/customer_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    everything = sees_everything(request.user)
    customer = _customer_for(request, pk, everything)
    # The form validates a copy: ModelForm writes into its instance, and the service
    # must still see the stored values to record what changed.
    form = CustomerForm(request.POST or None, instance=copy.copy(customer), user=request.user, owner_choice=everything)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(
                customer=customer,
                actor=request.user,
                data=form.service_data(),
                groups=list(form.cleaned_data.get("groups") or []),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Zapisano zmiany."))
            return redirect("contacts:customer_detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "contacts/customer_form.html", {"form": form, "customer": customer}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    customers_action_check(request.user, CustomerAction.DELETE)
    if not services.may_delete_customer(request.user, customer):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        name = customer.name
        try:
            services.customer_delete(customer=customer, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Usunięto klienta „%(name)s”.") % {"name": name})
            return redirect("contacts:customer_list")
    deals_count = customer.deals.count()
    ctx = {"customer": customer, "error": error, "deals_count": deals_count}
    return render(request, "contacts/customer_confirm_delete.html", ctx, status=400 if error else 200)


def _tabs(customer: Customer) -> list[tuple[str, Any]]:
    """(name, label) of the card's tabs: its own, then those other apps register
    (timeline, deals, tasks, files: crm.common.records.card_sections)."""
    tabs: list[tuple[str, Any]] = [("details", _("Szczegóły"))]
    if customer.kind == CustomerKind.COMPANY:
        tabs.append(("contacts", _("Osoby kontaktowe")))
    return tabs + [(s.key, s.label) for s in card_sections("customer", customer, place="tab")]


def _tab_context(request: AuthedRequest, customer: Customer, tab: str) -> dict[str, Any]:
    if tab == "details":
        return {"tab_template": "contacts/tabs/details.html"}
    if tab == "contacts":
        return {
            "tab_template": "contacts/tabs/contacts.html",
            "contacts": list(customer.contacts.all()),
            "contact_form": ContactPersonForm(),
            "may_export_personal_data": may_export_personal_data(request.user),
        }
    section = card_section("customer", tab)
    if section is None:  # checked against _tabs() by the caller
        raise Http404
    return {"tab_template": section.template, **section.context(request, customer)}


@login_required
@require_GET
def customer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    merged_into = customer_redirect_target(pk)
    if merged_into is not None and customers_visible_to(request.user).filter(pk=merged_into).exists():
        return redirect("contacts:customer_detail", pk=merged_into)  # merged into another customer
    customer = _customer_for(request, pk)
    tabs = _tabs(customer)
    tab = request.GET.get("tab", "details")
    if tab not in dict(tabs):
        tab = "details"
    ctx: dict[str, Any] = {
        "customer": customer,
        "tab": tab,
        "tabs": tabs,
        "groups": list(customer.groups.all()),
        "following": customer.followers.filter(pk=request.user.pk).exists(),
        "may_delete": services.may_delete_customer(request.user, customer),
        "may_export_personal_data": may_export_personal_data(request.user),
    }
    ctx.update(_tab_context(request, customer, tab))
    if request.htmx and request.htmx.target == "customer-tab":
        return render(request, ctx["tab_template"], ctx)
    ctx["group_form"] = GroupCreateForm()
    ctx["groups_form"] = GroupsForm(initial={"groups": ctx["groups"]})
    return render(request, "contacts/customer_detail.html", ctx)


def _groups_block(request: AuthedRequest, customer: Customer, status: int = 200, **extra: Any) -> HttpResponse:
    groups = list(customer.groups.all())
    ctx = {
        "customer": customer,
        "groups": groups,
        "group_form": extra.pop("group_form", None) or GroupCreateForm(),
        "groups_form": GroupsForm(initial={"groups": groups}),
        **extra,
    }
    if request.htmx:
        return render(request, "contacts/_groups.html", ctx, status=status)
    if status >= 400:
        for errors in ctx["group_form"].errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("contacts:customer_detail", pk=customer.pk)


@login_required
@require_POST
def customer_groups(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    form = GroupsForm(request.POST)
    if form.is_valid():
        services.customer_groups_set(customer=customer, actor=request.user, groups=form.cleaned_data["groups"])
        return _groups_block(request, customer)
    return _groups_block(request, customer, status=400)


@login_required
@require_POST
def customer_group_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    form = GroupCreateForm(request.POST)
    if form.is_valid():
        try:
            services.customer_group_create(
                customer=customer, actor=request.user, name=form.cleaned_data["name"], color=form.cleaned_data["color"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _groups_block(request, customer)
    return _groups_block(request, customer, status=400, group_form=form, group_form_open=True)


@login_required
@require_POST
def customer_follow(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    following = services.customer_follow_toggle(customer=customer, user=request.user)
    if request.htmx:
        return render(request, "contacts/_follow.html", {"customer": customer, "following": following})
    return redirect("contacts:customer_detail", pk=customer.pk)


@login_required
@require_POST
def customer_contacted(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    services.customer_contacted(customer=customer, actor=request.user)
    messages.success(request, _("Zapisano datę ostatniego kontaktu."))
    return redirect("contacts:customer_detail", pk=customer.pk)


# --- Contact persons ------------------------------------------------------------------


def _contacts_tab(request: AuthedRequest, customer: Customer, status: int = 200, **extra: Any) -> HttpResponse:
    ctx = {
        "customer": customer,
        "contacts": list(customer.contacts.all()),
        "contact_form": extra.pop("contact_form", None) or ContactPersonForm(),
        "may_export_personal_data": may_export_personal_data(request.user),
        **extra,
    }
    return render(request, "contacts/tabs/contacts.html", ctx, status=status)


def _contact_for(request: AuthedRequest, pk: int) -> ContactPerson:
    visible = customers_visible_to(request.user).values("pk")
    return get_object_or_404(ContactPerson.objects.select_related("customer").filter(customer__in=visible), pk=pk)


@login_required
@require_POST
def contact_create(request: AuthedRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        try:
            services.contact_create(customer=customer, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _contacts_tab(request, customer)
            messages.success(request, _("Dodano osobę kontaktową."))
            return redirect(f"{customer_url(customer)}?tab=contacts")
    if request.htmx:
        return _contacts_tab(request, customer, status=400, contact_form=form)
    return render(request, "contacts/contact_form.html", {"customer": customer, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = _contact_for(request, pk)
    customer = contact.customer
    form = ContactPersonForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                return _contacts_tab(request, customer)
            messages.success(request, _("Zapisano zmiany."))
            return redirect(f"{customer_url(customer)}?tab=contacts")
    status = 400 if request.method == "POST" else 200
    ctx = {"customer": customer, "form": form, "contact": contact}
    template = "contacts/_contact_edit.html" if request.htmx else "contacts/contact_form.html"
    response = render(request, template, ctx, status=status)
    if request.htmx and status == 400:
        # The form posts for the whole tab; with errors only the contact's row comes back.
        reswap(retarget(response, f"#contact-{contact.pk}"), "outerHTML")
    return response


@login_required
@require_POST
def contact_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = _contact_for(request, pk)
    customer = contact.customer
    services.contact_delete(contact=contact, actor=request.user)
    if request.htmx:
        return _contacts_tab(request, customer)
    messages.success(request, _("Usunięto osobę kontaktową."))
    return redirect(f"{customer_url(customer)}?tab=contacts")


def customer_url(customer: Customer) -> str:
    from django.urls import reverse

    return reverse("contacts:customer_detail", args=[customer.pk])
