"""Form helpers shared by the deal, task and document forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.common.forms import model_choice_field
from crm.common.params import is_int_text


def valid_ids(values: Any) -> list[str]:
    """The values that can be primary keys: posted junk never reaches a query."""
    out = []
    for value in values if isinstance(values, list | tuple | set) else [values]:
        text = str(value) if value is not None else ""
        if is_int_text(text) and int(text) > 0:
            out.append(text)
    return out


class SearchSelect(forms.Select):
    """A <select> that renders only the empty and the chosen option, with a search box
    above it that fills the options from `search_url_name` (htmx). Keeps pages fast
    when a company has 100,000 customers."""

    template_name = "sales/widgets/search_select.html"

    def __init__(self, search_url_name: str, search_label: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url_name = search_url_name
        self.search_label = search_label

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = valid_ids(value)
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if chosen and queryset is not None and field is not None:
            for index, obj in enumerate(queryset.filter(pk__in=chosen), start=1):
                options.append(self.create_option(name, str(obj.pk), field.label_from_instance(obj), True, index))
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse(self.search_url_name)
        context["widget"]["search_label"] = self.search_label
        return context


class CustomerDealSelect(forms.Select):
    """The deal picker: the chosen deal plus the (visible) deals of the chosen customer;
    choosing another customer reloads the options (htmx, sales:deal_options)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.customer_id: Any = None

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = set(valid_ids(value))
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and (chosen or self.customer_id):
            scope = (
                queryset.filter(pk__in=chosen)
                if not self.customer_id
                else queryset.filter(customer_id=self.customer_id)
            )
            deals = list(scope.order_by("-created_at")[:50])
            if chosen and not any(str(d.pk) in chosen for d in deals):
                deals += list(queryset.filter(pk__in=chosen))
            for index, deal in enumerate(deals, start=1):
                options.append(self.create_option(name, str(deal.pk), deal.name, str(deal.pk) in chosen, index))
        return [(None, options, 0)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def chosen_customer_id(form: forms.BaseForm) -> Any:
    """The customer the form holds: as typed in (bound) or as given (an instance or an id)."""
    if form.is_bound:
        ids = valid_ids(form.data.get("customer"))
        return ids[0] if ids else None
    initial = form.initial.get("customer")
    return getattr(initial, "pk", initial)


def customer_deal_pickers(form: forms.BaseForm, *, customers: QuerySet[Any], deals: QuerySet[Any]) -> None:
    """The form's `customer` becomes a search box that reloads the `deal` picker (htmx,
    sales:deal_options) and `deal` offers the chosen customer's deals; `deal` must have
    the CustomerDealSelect widget."""
    customer = model_choice_field(form, "customer")
    customer.queryset = customers
    customer.widget = SearchSelect(
        "sales:customer_options",
        search_label=str(_("Szukaj klienta")),
        attrs={
            "hx-get": reverse("sales:deal_options"),
            "hx-trigger": "change",
            "hx-target": "#id_deal",
            "hx-swap": "innerHTML",
        },
    )
    customer.widget.choices = customer.choices
    deal = model_choice_field(form, "deal")
    deal.queryset = deals
    deal.widget.choices = deal.choices
    assert isinstance(deal.widget, CustomerDealSelect)
    deal.widget.customer_id = chosen_customer_id(form)
