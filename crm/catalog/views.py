"""Pages of the catalogue: the list (search, active or withdrawn), a product's page
(a form for Szef and Kierownik, the facts for a Pracownik), adding, withdrawing and
restoring, and the picker that fills offer and invoice lines (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.catalog import services
from crm.catalog.forms import ProductFilterForm, ProductForm
from crm.catalog.models import Product
from crm.catalog.selectors import (
    product_choices,
    product_manage_check,
    product_may_manage,
    products_visible_to,
)
from crm.catalog.selectors import (
    product_list as product_list_select,
)
from crm.common.types import AuthedRequest

FORM_FIELDS = ProductForm.Meta.fields


def _product_for(request: AuthedRequest, pk: int) -> Product:
    return get_object_or_404(products_visible_to(request.user), pk=pk)


@login_required
@require_GET
def product_list(request: AuthedRequest) -> HttpResponse:
    filters = ProductFilterForm(request.GET or None)
    products = product_list_select(user=request.user, query=filters.query(), active=filters.active())
    page = Paginator(products, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "filters": filters, "can_manage": product_may_manage(request.user)}
    return render(request, "catalog/product_list.html", ctx)


def _save(request: AuthedRequest, form: ProductForm, product: Product | None) -> Product | None:
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in FORM_FIELDS}
    try:
        if product is None:
            return services.product_create(actor=request.user, **data)
        return services.product_update(product=product, actor=request.user, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: AuthedRequest) -> HttpResponse:
    product_manage_check(request.user)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and (product := _save(request, form, None)):
        messages.success(request, _("Dodano „%(name)s” do katalogu.") % {"name": product.name})
        return redirect("catalog:product_list")
    return render(request, "catalog/product_form.html", {"form": form, "product": None}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def product_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Szef and Kierownik edit the product here; a Pracownik sees its facts."""
    product = _product_for(request, pk)
    if not product_may_manage(request.user):
        if request.method == "POST":
            product_manage_check(request.user)
        return render(request, "catalog/product_detail.html", {"product": product})
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST":
        fresh = _product_for(request, pk)  # the form wrote its data onto `product`
        if _save(request, form, fresh):
            messages.success(request, _("Zapisano zmiany."))
            return redirect("catalog:product_list")
    return render(request, "catalog/product_form.html", {"form": form, "product": product}, status=_status(form))


def _status(form: ProductForm) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_POST
def product_active(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw (`active=0`) or restore (`active=1`) a product."""
    product = _product_for(request, pk)
    product_manage_check(request.user)
    active = request.POST.get("active") == "1"
    services.product_set_active(product=product, actor=request.user, active=active)
    if active:
        messages.success(request, _("Przywrócono „%(name)s” do oferty.") % {"name": product.name})
    else:
        messages.success(
            request, _("Wycofano „%(name)s”: nie pojawi się już przy dodawaniu pozycji.") % {"name": product.name}
        )
    return redirect("catalog:product_list")


@login_required
@require_GET
def product_picker(request: AuthedRequest) -> HttpResponse:
    """Active products matching `q`, as buttons that fill a document line (static/js/offers.js)."""
    products = product_choices(user=request.user, query=request.GET.get("q", ""))
    return render(request, "catalog/_picker_results.html", {"products": products, "query": request.GET.get("q", "")})
