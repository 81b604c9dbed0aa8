from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.common.forms import model_choice_field
from crm.company.models import EmailTemplate, EmailTemplateKind
from crm.contacts.models import ContactPerson, Customer
from crm.emails.services import BODY_MAX, SUBJECT_MAX
from crm.sales.widgets import SearchSelect
from crm.tickets.forms import MultipleFileField


class ComposeForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Szablon"), queryset=EmailTemplate.objects.none(), required=False)
    contact = forms.ModelChoiceField(label=_("Osoba kontaktowa"), queryset=ContactPerson.objects.none(), required=False)
    to = forms.CharField(label=_("Do"), max_length=3000)
    cc = forms.CharField(label=_("DW (kopia)"), max_length=3000, required=False)
    subject = forms.CharField(label=_("Temat"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Treść"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}))
    attachments = MultipleFileField(label=_("Załączniki"), required=False)

    def __init__(
        self, *args: Any, templates: QuerySet[EmailTemplate], contacts: QuerySet[ContactPerson], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = templates
        template.empty_label = _("(bez szablonu)")
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = contacts
        contact.empty_label = _("(nikt)")


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=EmailTemplateKind.choices)
    name = forms.CharField(label=_("Nazwa"), max_length=120)
    subject_pl = forms.CharField(label=_("Temat (polski)"), max_length=300)
    body_pl = forms.CharField(label=_("Treść (polski)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    subject_en = forms.CharField(label=_("Temat (angielski)"), max_length=300, required=False)
    body_en = forms.CharField(
        label=_("Treść (angielski)"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class UnmatchedAttachForm(forms.Form):
    """The customer a BCC copy that matched nobody goes to (a search box: a company may
    have 100,000 customers)."""

    customer = forms.ModelChoiceField(
        label=_("Klient"),
        queryset=Customer.objects.all(),
        error_messages={
            "required": _("Wybierz klienta."),
            "invalid_choice": _("Wybierz klienta z listy."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = model_choice_field(self, "customer")
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
