"""Forms of the ticket pages: the ticket, a reply, the list filters, departments and
predefined replies. They collect and check input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.common import params
from crm.common.forms import model_choice_field
from crm.contacts.selectors import contacts_visible_to, customers_visible_to
from crm.customfields.forms import CustomFieldsFormMixin
from crm.sales.widgets import DateInput, SearchSelect, valid_ids
from crm.tickets.models import Department, PredefinedReply, Ticket, TicketPriority, TicketStatus
from crm.tickets.services import BODY_MAX, MAX_ATTACHMENTS


class ContactSelect(forms.Select):
    """The contact picker: the chosen contact plus the contacts of the chosen customer;
    choosing another customer reloads the options (htmx, tickets:contact_options)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.customer_id: Any = None

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = set(valid_ids(value))
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and (chosen or self.customer_id):
            scope = (
                queryset.filter(customer_id=self.customer_id) if self.customer_id else queryset.filter(pk__in=chosen)
            )
            people = list(scope.order_by("name", "id")[:100])
            for index, person in enumerate(people, start=1):
                label = f"{person.name} <{person.email}>" if person.email else person.name
                options.append(self.create_option(name, str(person.pk), label, str(person.pk) in chosen, index))
        return [(None, options, 0)]


def staff_choices() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class TicketForm(CustomFieldsFormMixin, forms.ModelForm):
    custom_fields_model = "ticket"
    body = forms.CharField(
        label=_("Opis zgłoszenia"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Pierwsza wiadomość wątku: prośba klienta."),
    )

    class Meta:
        model = Ticket
        fields = ("subject", "customer", "contact", "department", "priority", "status", "assignee")
        widgets = {"contact": ContactSelect()}

    def __init__(self, *args: Any, user: User, with_body: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_body:
            del self.fields["body"]
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.required = False
        customer.widget = SearchSelect(
            "sales:customer_options",
            search_label=str(_("Szukaj klienta")),
            attrs={
                "hx-get": reverse("tickets:contact_options"),
                "hx-trigger": "change",
                "hx-target": "#id_contact",
                "hx-swap": "innerHTML",
            },
        )
        customer.widget.choices = customer.choices
        contact = model_choice_field(self, "contact")
        contact.queryset = contacts_visible_to(user)
        contact.widget.choices = contact.choices
        assert isinstance(contact.widget, ContactSelect)
        contact.widget.customer_id = self._customer_id()
        department = model_choice_field(self, "department")
        department.queryset = Department.objects.all()
        department.empty_label = _("(bez działu)")
        priority = model_choice_field(self, "priority")
        priority.queryset = TicketPriority.objects.all()
        priority.empty_label = _("(bez priorytetu)")
        status = model_choice_field(self, "status")
        status.queryset = TicketStatus.objects.all()
        status.required = self.instance.pk is not None
        status.empty_label = _("(pierwszy status)") if self.instance.pk is None else None
        assignee = model_choice_field(self, "assignee")
        assignee.queryset = staff_choices()
        assignee.empty_label = _("(nikt)")

    def _customer_id(self) -> Any:
        if self.is_bound:
            ids = valid_ids(self.data.get("customer"))
            return ids[0] if ids else None
        initial = self.initial.get("customer") or (self.instance.customer_id if self.instance.pk else None)
        return getattr(initial, "pk", initial)


class TicketPanelForm(forms.ModelForm):
    """The quick change on the ticket page: status, priority, department, assignee."""

    class Meta:
        model = Ticket
        fields = ("status", "priority", "department", "assignee")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "priority").empty_label = _("(bez priorytetu)")
        model_choice_field(self, "department").empty_label = _("(bez działu)")
        assignee = model_choice_field(self, "assignee")
        assignee.queryset = staff_choices()
        assignee.empty_label = _("(nikt)")
        model_choice_field(self, "status").empty_label = None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            if len(data) > MAX_ATTACHMENTS:
                raise forms.ValidationError(_("Dołącz najwyżej %(n)s plików.") % {"n": MAX_ATTACHMENTS})
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Odpowiedź"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    internal = forms.BooleanField(label=_("Notatka wewnętrzna (nie trafia do klienta)"), required=False)
    uploads = MultipleFileField(label=_("Załączniki"), required=False)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ("name", "email", "members")
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = staff_choices()
        self.fields["email"].help_text = _(
            "E-mail wysłany na ten adres (przez bramkę poczty) otwiera zgłoszenie w tym dziale."
        )


class PredefinedReplyForm(forms.ModelForm):
    shared = forms.BooleanField(label=_("Dla całej firmy"), required=False)

    class Meta:
        model = PredefinedReply
        fields = ("title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_szef(user):
            del self.fields["shared"]
        elif self.instance.pk:
            self.fields["shared"].initial = self.instance.owner_id is None


class TicketReportFilterForm(forms.Form):
    """The reports' period: tickets created from/to these days (both optional)."""

    date_from = params.DateField(
        label=_("Utworzone od"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Podaj datę w formacie RRRR-MM-DD.")},
    )
    date_to = params.DateField(
        label=_("Utworzone do"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Podaj datę w formacie RRRR-MM-DD.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Data końcowa nie może być wcześniejsza niż początkowa."))
        return data
