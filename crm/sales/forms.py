"""Forms of the sales pages. They only collect and check input; the rules live in
crm/sales/services.py (the same ones the API uses)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.categories.forms import StageChoiceField
from crm.categories.models import DealCategory, DealStage, DealStatus, LossReason, Pipeline, WinReason
from crm.common import params
from crm.common.forms import model_choice_field
from crm.customfields.forms import custom_form_fields_add, custom_form_values
from crm.sales.customers import customers_visible_to
from crm.sales.models import Deal
from crm.sales.services import deal_pipeline_of, deal_rules_check
from crm.sales.widgets import DateInput, SearchSelect

CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CHF", "CZK", "SEK", "NOK", "DKK", "UAH", "HUF"]


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class StatusSelect(forms.Select):
    """Each status option carries its code so sales.js can show the matching reason field."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-code"] = instance.code
        return option


class StageSelect(forms.Select):
    """Each stage option carries its pipeline, so sales.js offers only the stages of the
    pipeline chosen in the form (the service refuses a stage of another pipeline anyway)."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-pipeline"] = str(instance.pipeline_id or "")
        return option


class DealStatusRulesMixin(forms.Form):
    # The reason fields are shown only for their status (static/js/sales.js).
    field_groups = {"win_reason": "won", "loss_reason": "lost"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status is not None and not self.errors:
            try:
                deal_rules_check(
                    name=data.get("name", "-") if "name" in self.fields else "-",
                    value=data.get("value", Decimal("0")) if "value" in self.fields else Decimal("0"),
                    currency=data.get("currency", "PLN") if "currency" in self.fields else "PLN",
                    status=status,
                    win_reason=data.get("win_reason"),
                    loss_reason=data.get("loss_reason"),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class DealForm(DealStatusRulesMixin, forms.ModelForm):
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")

    class Meta:
        model = Deal
        fields = (
            "name",
            "customer",
            "value",
            "currency",
            "category",
            "pipeline",
            "stage",
            "status",
            "win_reason",
            "loss_reason",
            "owner",
            "expected_close",
        )
        field_classes = {"expected_close": params.DateField}
        widgets = {"expected_close": DateInput(), "status": StatusSelect(), "stage": StageSelect()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = self.fields["customer"]
        assert isinstance(customer, forms.ModelChoiceField)
        customer.queryset = customers_visible_to(user)
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
        # A Pracownik restricted to their own deals could not see a deal owned by someone else.
        self._querysets(owner=_staff() if sees_everything(user) else User.objects.filter(pk=user.pk))
        current = self.initial.get("currency") or (self.instance.currency if self.instance.pk else "PLN")
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        if current and current not in CURRENCIES:
            currency.choices = [(current, current), *[(c, c) for c in CURRENCIES]]
        model_choice_field(self, "status").empty_label = None
        pipeline = model_choice_field(self, "pipeline")
        pipeline.empty_label = None
        pipeline.required = False  # the stage's pipeline, else the default one (services)
        pipeline.widget.attrs["data-pipeline-select"] = ""
        if self.instance.pk and self.instance.pipeline_id is None:  # a deal older than pipelines
            self.initial["pipeline"] = deal_pipeline_of(self.instance)
        self.fields["value"].widget.attrs.update({"min": "0", "step": "0.01"})
        self.fields["win_reason"].help_text = _("Wymagany przy statusie „Wygrane”.")
        self.fields["loss_reason"].help_text = _("Wymagany przy statusie „Przegrane”.")
        custom_form_fields_add(self, model="deal", values=self.instance.custom_fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["custom_fields"] = custom_form_values(self)
        return data

    def _querysets(self, **extra: Any) -> None:
        querysets = {
            "category": DealCategory.objects.all(),
            "pipeline": Pipeline.objects.all(),
            "stage": DealStage.objects.select_related("pipeline").order_by("position", "id"),
            "status": DealStatus.objects.all(),
            "win_reason": WinReason.objects.all(),
            "loss_reason": LossReason.objects.all(),
            **extra,
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                model_choice_field(self, name).queryset = queryset


class DealCloseForm(DealStatusRulesMixin, forms.Form):
    """Change the status of a deal from its page: win (with a reason), lose (with a reason), postpone, reopen."""

    status = forms.ModelChoiceField(label=_("Status"), queryset=DealStatus.objects.all(), widget=StatusSelect())
    win_reason = forms.ModelChoiceField(label=_("Powód wygranej"), queryset=WinReason.objects.all(), required=False)
    loss_reason = forms.ModelChoiceField(label=_("Powód przegranej"), queryset=LossReason.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "status").empty_label = None


class PipelineFilterForm(forms.Form):
    pipeline = forms.ModelChoiceField(
        label=_("Lejek"), queryset=Pipeline.objects.all(), required=False, empty_label=None
    )
    owner = forms.ModelChoiceField(
        label=_("Opiekun"), queryset=User.objects.none(), required=False, empty_label=_("Wszyscy opiekunowie")
    )
    category = forms.ModelChoiceField(
        label=_("Kategoria"),
        queryset=DealCategory.objects.all(),
        required=False,
        empty_label=_("Wszystkie kategorie"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = _staff()
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def pipeline_chosen(self) -> Pipeline | None:
        """The pipeline asked for (None: not asked, or an unknown id)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get("pipeline")

    def ids(self) -> dict[str, Any]:
        """Chosen owner and category ids (an unknown id is ignored, as an empty filter)."""
        if not self.is_valid():
            return {"owner_id": None, "category_id": None}
        owner, category = self.cleaned_data.get("owner"), self.cleaned_data.get("category")
        return {"owner_id": owner.pk if owner else None, "category_id": category.pk if category else None}


class DealListFilterForm(PipelineFilterForm):
    pipeline = forms.ModelChoiceField(
        label=_("Lejek"), queryset=Pipeline.objects.all(), required=False, empty_label=_("Wszystkie lejki")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    stage = StageChoiceField(label=_("Etap"), required=False, empty_label=_("Wszystkie etapy"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            ("", _("Wszystkie statusy")),
            ("open", _("Otwarte (w lejku)")),
            *[(str(s.pk), s.name) for s in DealStatus.objects.all()],
        ]
        for name in ("status", "stage"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def list_filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.deal_list (unknown values are ignored)."""
        filters: dict[str, Any] = dict(self.ids())
        if not self.is_valid():
            return filters
        status = self.cleaned_data.get("status") or ""
        if status == "open":
            filters["status_code"] = "open"
        elif params.is_int_text(status):
            filters["status_id"] = int(status)
        stage = self.cleaned_data.get("stage")
        filters["stage_id"] = stage.pk if stage else None
        filters["pipeline"] = self.cleaned_data.get("pipeline")
        return filters
