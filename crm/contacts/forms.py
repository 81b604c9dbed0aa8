"""Forms of the customer pages. Validation rules live in services (shared with the API
and the import); forms turn their ValidationErrors into messages next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.categories.models import ContactGroup, ContactSource, CustomerStatus, CustomerType
from crm.common import params
from crm.common.forms import choice_field, model_choice_field
from crm.contacts.import_files import ImportLimits
from crm.contacts.models import ContactPerson, Customer, CustomerKind, PortalPermission
from crm.contacts.services import customer_data_clean
from crm.customfields.forms import (
    CustomFieldsFormMixin,
    custom_form_field_names,
    custom_form_fields_add,
    custom_form_values,
)


class ColourSelect(forms.Select):
    """A <select> whose options carry the category colour (data-color) for chips."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None and getattr(instance, "color", None):
            option["attrs"]["data-color"] = instance.color
        return option


class ColourCheckboxes(forms.CheckboxSelectMultiple):
    option_template_name = "contacts/widgets/colour_checkbox_option.html"

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        option["color"] = getattr(instance, "color", "")
        return option


# The ids the customer pages have always given a field's error text.
ERROR_ID_SUFFIX = "-error"


class CustomerForm(forms.ModelForm):
    error_id_suffix = ERROR_ID_SUFFIX
    tags = forms.CharField(
        label=_("Tagi"),
        required=False,
        help_text=_("Oddziel przecinkami, np. vip, hurt"),
        max_length=1000,
    )
    last_contact_at = params.DateTimeField(
        label=_("Ostatni kontakt"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    allow_duplicate = forms.BooleanField(label=_("Wiem, że taki klient już istnieje — zapisz mimo to"), required=False)

    class Meta:
        model = Customer
        fields = (
            "kind",
            "name",
            "tax_id",
            "email",
            "phone",
            "website",
            "street",
            "postal_code",
            "city",
            "country",
            "status",
            "type",
            "source",
            "groups",
            "owner",
            "last_contact_at",
        )
        labels = {
            "kind": _("Rodzaj"),
            "name": _("Nazwa / imię i nazwisko"),
            "tax_id": _("NIP"),
            "email": _("E-mail"),
            "phone": _("Telefon"),
            "website": _("Strona WWW"),
            "street": _("Ulica i numer"),
            "postal_code": _("Kod pocztowy"),
            "city": _("Miasto"),
            "country": _("Kraj"),
            "status": _("Status"),
            "type": _("Typ"),
            "source": _("Źródło pozyskania"),
            "groups": _("Grupy"),
            "owner": _("Opiekun"),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "status": ColourSelect,
            "type": ColourSelect,
            "source": ColourSelect,
            "groups": ColourCheckboxes,
        }
        error_messages = {"name": {"required": _("Podaj nazwę klienta.")}}

    def __init__(self, *args: Any, user: User, owner_choice: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        model_choice_field(self, "status").queryset = CustomerStatus.objects.all()
        model_choice_field(self, "type").queryset = CustomerType.objects.all()
        model_choice_field(self, "source").queryset = ContactSource.objects.all()
        model_choice_field(self, "groups").queryset = ContactGroup.objects.all()
        self.fields["groups"].required = False
        choice_field(self, "kind").choices = CustomerKind.choices
        for name in ("status", "type", "source"):
            model_choice_field(self, name).empty_label = _("— brak —")
        if owner_choice:
            model_choice_field(self, "owner").queryset = User.objects.filter(is_active=True)
            model_choice_field(self, "owner").empty_label = _("— bez opiekuna —")
        else:
            del self.fields["owner"]  # a restricted Pracownik keeps what they create
        if self.instance.pk:
            del self.fields["allow_duplicate"]
            self.initial.setdefault("tags", ", ".join(self.instance.tags))
        else:
            self.initial.setdefault("owner", user.pk)
        self.fields["tax_id"].widget.attrs.update({"inputmode": "text", "autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        custom_form_fields_add(self, model="customer", values=self.instance.custom_fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shared = {k: data[k] for k in ("name", "tax_id", "email", "tags") if k in data}
        try:
            data.update(customer_data_clean(shared))
        except forms.ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields:
                    self.add_error(field, messages)
        data["custom_fields"] = custom_form_values(self)
        return data

    def service_data(self) -> dict[str, Any]:
        skip = {"groups", "allow_duplicate", *custom_form_field_names(self)}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        return data


class ContactPersonForm(CustomFieldsFormMixin, forms.ModelForm):
    custom_fields_model = "contact"
    error_id_suffix = ERROR_ID_SUFFIX
    portal_permissions = forms.MultipleChoiceField(
        label=_("Co widzi w portalu"),
        choices=PortalPermission.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ContactPerson
        fields = (
            "name",
            "position",
            "email",
            "phone",
            "portal_enabled",
            "portal_permissions",
            "portal_own_tickets_only",
        )
        labels = {
            "name": _("Imię i nazwisko"),
            "position": _("Stanowisko"),
            "email": _("E-mail"),
            "phone": _("Telefon"),
            "portal_enabled": _("Dostęp do portalu klienta (wyśle zaproszenie e-mailem)"),
            "portal_own_tickets_only": _("W portalu tylko własne zgłoszenia"),
        }
        error_messages = {"name": {"required": _("Podaj imię i nazwisko osoby kontaktowej.")}}


class GroupCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nazwa nowej grupy"), max_length=100, error_messages={"required": _("Podaj nazwę grupy.")}
    )
    color = forms.RegexField(
        label=_("Kolor"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#2457c5",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Podaj kolor w formacie #RRGGBB.")},
    )


class GroupsForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("Grupy"), queryset=ContactGroup.objects.all(), required=False, widget=ColourCheckboxes
    )


class ImportUploadForm(forms.Form):
    error_id_suffix = ERROR_ID_SUFFIX
    file = forms.FileField(
        label=_("Plik CSV lub XLSX"),
        help_text=_(
            "Pierwszy wiersz to nagłówki kolumn. CSV: kodowanie UTF-8 lub Windows-1250, separator , ; lub tabulator."
            " XLSX: wczytywany jest pierwszy arkusz."
        ),
        error_messages={"required": _("Wybierz plik CSV lub XLSX."), "empty": _("Plik jest pusty.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = ImportLimits.current()
        most = _("Najwyżej %(size)s, %(columns)s kolumn i %(rows)s wierszy z danymi.") % {
            "size": filesizeformat(limits.max_bytes),
            "columns": limits.max_columns,
            "rows": number_format(limits.max_rows, force_grouping=True),
        }
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {most}"
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
