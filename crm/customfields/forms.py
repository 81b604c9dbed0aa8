"""Forms: a field's definition (Settings), and the custom fields a record's form grows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.common.forms import choice_field
from crm.customfields.definitions import FieldDef, custom_fields_of, model_choices
from crm.customfields.models import FieldType
from crm.customfields.values import LONG_TEXT_MAX, TEXT_MAX, custom_values_clean


class CustomFieldForm(forms.Form):
    model = forms.ChoiceField(label=_("Rodzaj rekordu"))
    name = forms.CharField(label=_("Nazwa"), max_length=100)
    key = forms.CharField(
        label=_("Klucz"),
        max_length=40,
        required=False,
        help_text=_("Nazwa w API, eksporcie i filtrze ?cf_klucz=; puste: utworzymy z nazwy."),
    )
    type = forms.ChoiceField(label=_("Typ"), choices=FieldType.choices)
    options = forms.CharField(
        label=_("Opcje"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dla list wyboru: jedna opcja w wierszu."),
    )
    required = forms.BooleanField(label=_("Wymagane"), required=False)
    show_in_list = forms.BooleanField(label=_("Kolumna na liście"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "model").choices = model_choices()
        if editing:
            for name in ("model", "key", "type"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["key"].help_text = _("Klucza, typu i rodzaju rekordu nie można zmienić.")


def _form_field(field: FieldDef) -> forms.Field:
    common: dict[str, Any] = {"label": field.name, "required": False}
    if field.type == FieldType.LONG_TEXT:
        return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if field.type == FieldType.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if field.type == FieldType.DECIMAL:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if field.type == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.type == FieldType.SELECT:
        return forms.ChoiceField(choices=[("", "—"), *((o, o) for o in field.options)], **common)
    if field.type == FieldType.MULTI_SELECT:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in field.options], widget=forms.CheckboxSelectMultiple, **common
        )
    if field.type == FieldType.CHECKBOX:
        return forms.BooleanField(**common)
    if field.type == FieldType.URL:
        return forms.CharField(max_length=TEXT_MAX, widget=forms.URLInput, **common)
    if field.type == FieldType.EMAIL:
        return forms.CharField(max_length=TEXT_MAX, widget=forms.EmailInput, **common)
    return forms.CharField(max_length=TEXT_MAX, **common)


def custom_form_fields_add(form: forms.BaseForm, *, model: str, values: Mapping[str, Any] | None) -> None:
    """Adds a `cf_<key>` form field per custom field of `model`, filled from `values`;
    `custom_form_values(form)` later gives the checked {key: value} (errors on the fields)."""
    fields = custom_fields_of(model)
    form._custom_fields = fields  # type: ignore[attr-defined]
    for field in fields:
        form_field = _form_field(field)
        if field.required:
            form_field.widget.attrs["aria-required"] = "true"
            form_field.label = f"{field.name} *"
        form.fields[field.param] = form_field
        value = (values or {}).get(field.key)
        if value is not None and not form.is_bound:
            form.initial[field.param] = date.fromisoformat(value) if field.type == FieldType.DATE else value


def custom_form_values(form: forms.BaseForm) -> dict[str, Any]:
    """The custom fields' values of a valid-so-far form, checked by type; errors are
    added to their form fields (call from the form's clean())."""
    fields: tuple[FieldDef, ...] = getattr(form, "_custom_fields", ())
    data = {f.key: form.cleaned_data.get(f.param) for f in fields if f.param not in form.errors}
    try:
        return custom_values_clean(fields=[f for f in fields if f.param not in form.errors], data=data)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            form.add_error(f"cf_{key}", messages)
    return {}


def custom_form_field_names(form: forms.BaseForm) -> list[str]:
    return [f.param for f in getattr(form, "_custom_fields", ())]


class CustomFieldsFormMixin(forms.BaseForm):
    """A record's form with its custom fields (put before ModelForm in the bases):
    `cleaned_data["custom_fields"]` is then the checked {key: value}."""

    custom_fields_model: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        custom_form_fields_add(self, model=self.custom_fields_model, values=getattr(instance, "custom_fields", None))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["custom_fields"] = custom_form_values(self)
        return data
