"""Forms of the public site. Each field says what is wrong next to itself, in the
visitor's language; the provisioning service checks everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.services import password_problem, subdomain_availability
from tenants.validators import normalise_subdomain


class SignupForm(forms.Form):
    company_name = forms.CharField(
        label=_("Nazwa firmy"),
        max_length=200,
        error_messages={
            "required": _("Podaj nazwę firmy."),
            "max_length": _("Nazwa firmy może mieć najwyżej 200 znaków."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization", "autofocus": True}),
    )
    first_name = forms.CharField(
        label=_("Imię"),
        max_length=60,
        error_messages={
            "required": _("Podaj swoje imię."),
            "max_length": _("Imię może mieć najwyżej 60 znaków."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nazwisko"),
        max_length=80,
        error_messages={
            "required": _("Podaj swoje nazwisko."),
            "max_length": _("Nazwisko może mieć najwyżej 80 znaków."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    subdomain = forms.CharField(
        label=_("Adres Twojego CRM"),
        # Longer input than allowed reaches the validator (and the live check), which explains the limit.
        max_length=200,
        error_messages={"required": _("Podaj adres (subdomenę) firmy.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "url",
            }
        ),
    )
    email = forms.EmailField(
        label=_("Twój e-mail"),
        max_length=254,
        error_messages={
            "required": _("Podaj adres e-mail."),
            "invalid": _("Podaj poprawny adres e-mail."),
            "max_length": _("Adres e-mail może mieć najwyżej 254 znaki."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Hasło"),
        strip=False,
        max_length=128,
        help_text=_("Hasło powinno zawierać minimum 8 znaków."),
        error_messages={
            "required": _("Podaj hasło."),
            "max_length": _("Hasło może mieć najwyżej 128 znaków."),
        },
        # Kept after an error elsewhere (not its own), so a taken address costs no retyping.
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    accept_terms = forms.BooleanField(
        label=_("Akceptuję regulamin i politykę prywatności"),
        error_messages={"required": _("Aby założyć konto, zaakceptuj regulamin i politykę prywatności.")},
    )

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("Podaj nazwę firmy."))
        return name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page always sends both names (and must fill them); a client written against the
        # original fields (company_name, subdomain, email, password, accept_terms) still signs up.
        for name in ("first_name", "last_name"):
            if self.is_bound and name not in self.data:
                self.fields[name].required = False

    def owner_name(self) -> str:
        """'Anna Nowak': how the new Szef is greeted and listed."""
        data = getattr(self, "cleaned_data", {})
        parts = (data.get("first_name") or "", data.get("last_name") or "")
        return " ".join(p.strip() for p in parts if p.strip())

    def clean_subdomain(self) -> str:
        sub = normalise_subdomain(self.cleaned_data["subdomain"])
        problem = subdomain_availability(sub)
        if problem:
            raise forms.ValidationError(problem)
        return sub

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            problem = password_problem(
                password, email=data.get("email") or "", name=f"{self.owner_name()} {data.get('company_name') or ''}"
            )
            if problem:
                self.add_error("password", problem)
        if "password" in self.errors:
            self.fields["password"].widget.render_value = False  # not shown again
        return data


class SigninForm(forms.Form):
    subdomain = forms.CharField(
        label=_("Adres Twojej firmy"),
        max_length=200,
        error_messages={"required": _("Wpisz adres swojej firmy.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_subdomain(self) -> str:
        from tenants.models import Company, CompanyStatus

        sub = normalise_subdomain(self.cleaned_data["subdomain"])
        # People paste the whole address: keep only the first label.
        sub = sub.removeprefix("https://").removeprefix("http://").split("/")[0].split(".")[0]
        known = Company.objects.filter(subdomain=sub).exclude(status=CompanyStatus.POOL).exists()
        if not sub or not known:
            raise forms.ValidationError(_("Nie znamy firmy o tym adresie. Sprawdź, czy nie ma w nim literówki."))
        return sub


class AddressReminderForm(forms.Form):
    email = forms.EmailField(
        label=_("Twój e-mail"),
        max_length=254,
        error_messages={"required": _("Podaj adres e-mail."), "invalid": _("Podaj poprawny adres e-mail.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
