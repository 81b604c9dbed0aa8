"""Forms of the Settings pages: input checks only; writes happen in services."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import Role, User
from crm.accounts.services import handover_types, user_handover_counts
from crm.common.forms import choice_field, model_choice_field
from crm.company.mail import sender_is_valid
from crm.company.models import CompanySettings
from crm.invoicing.numbering import number_pattern_check
from crm.settings.validators import iban_validate, ip_allowed, ip_rules_parse, nip_validate

HOST_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
SESSION_TIMEOUT_CHOICES = [
    (0, _("Nigdy (do zamknięcia sesji)")),
    (15, _("15 minut")),
    (30, _("30 minut")),
    (60, _("1 godzina")),
    (120, _("2 godziny")),
    (240, _("4 godziny")),
    (480, _("8 godzin")),
    (1440, _("24 godziny")),
]


class ColourInput(forms.TextInput):
    input_type = "color"


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Nazwa"), max_length=100)
    color = forms.RegexField(
        label=_("Kolor"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#2457c5",
        widget=ColourInput(),
        error_messages={"invalid": _("Podaj kolor w formacie #RRGGBB.")},
    )
    after = forms.ChoiceField(label=_("Miejsce na liście"), required=False)

    def __init__(self, *args: Any, items: Iterable[Any] | None = None, **kwargs: Any) -> None:
        """`items`: the list the entry joins (its order offers the places); None on edit."""
        super().__init__(*args, **kwargs)
        if items is None:
            del self.fields["after"]
            return
        after = self.fields["after"]
        assert isinstance(after, forms.ChoiceField)
        after.choices = [
            ("", _("Na końcu")),
            ("first", _("Na początku")),
            *((str(item.pk), _("Po: %(name)s") % {"name": item.name}) for item in items),
        ]


class CategoryDeleteForm(forms.Form):
    MOVE, NONE = "move", "none"
    action = forms.ChoiceField(label=_("Co zrobić z rekordami?"), widget=forms.RadioSelect)
    move_to: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Przenieś do"), queryset=None, required=False)

    def __init__(self, *args: Any, category: Any, can_uncategorise: bool, default: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "move_to").queryset = type(category)._default_manager.exclude(pk=category.pk)
        choices = [(self.MOVE, _("Przenieś do innej pozycji"))]
        if can_uncategorise:
            choices.append((self.NONE, _("Zostaw bez kategorii")))
        choice_field(self, "action").choices = choices
        self.fields["action"].initial = self.MOVE
        if default is not None:
            self.fields["move_to"].initial = default.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.MOVE and not data.get("move_to"):
            self.add_error("move_to", _("Wybierz, dokąd przenieść rekordy."))
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Imię i nazwisko (opcjonalnie)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Ranga"), choices=Role.choices, initial=Role.PRACOWNIK)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Ranga"), choices=Role.choices)


class _StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.get_role_display()})"


class DeactivateForm(forms.Form):
    """One "who takes over" field per record type with an owner: `<key_plural>_to`."""

    def __init__(self, *args: Any, user: User, default: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = User.objects.filter(is_active=True).exclude(pk=user.pk)
        initial = default.pk if default is not None and default.pk != user.pk else None
        counts = user_handover_counts(user=user)
        for record_type in handover_types():
            # Someone must take over only the kinds of records the person has.
            self.fields[f"{record_type.key_plural}_to"] = _StaffChoiceField(
                label=str(record_type.handover_field_label),
                queryset=others,
                initial=initial,
                required=counts[record_type.key_plural] > 0,
            )

    def handover(self) -> dict[str, User | None]:
        return {t.key_plural: self.cleaned_data.get(f"{t.key_plural}_to") for t in handover_types()}


class CompanyInfoForm(forms.ModelForm):
    name = forms.CharField(label=_("Nazwa firmy"), max_length=200)
    logo_upload = forms.FileField(
        label=_("Logo (PNG, JPG, WEBP lub GIF, do 1 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    logo_remove = forms.BooleanField(label=_("Usuń obecne logo"), required=False)
    # Typed with dashes or a PL prefix; stored as 10 digits after the checksum test.
    tax_id = forms.CharField(
        label=_("NIP"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    bank_account = forms.CharField(
        label=_("Numer rachunku bankowego (IBAN)"),
        max_length=40,
        required=False,
        help_text=_("26 cyfr albo IBAN z kodem kraju; drukowany na fakturach."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = CompanySettings
        fields = ["street", "postal_code", "city", "country", "tax_id", "phone", "email", "website", "bank_account"]

    def clean_bank_account(self) -> str:
        value = self.cleaned_data.get("bank_account", "")
        return iban_validate(value) if value.strip() else ""

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Podaj nazwę firmy."))
        return name

    def clean_tax_id(self) -> str:
        value = self.cleaned_data.get("tax_id", "")
        return nip_validate(value) if value.strip() else ""

    def clean_postal_code(self) -> str:
        value = self.cleaned_data.get("postal_code", "").strip()
        country = (self.data.get("country") or "Polska").strip().lower()
        if value and country in ("polska", "poland", "pl") and not re.fullmatch(r"\d{2}-\d{3}", value):
            raise ValidationError(_("Kod pocztowy w Polsce ma postać 00-000."))
        return value


class EmailSettingsForm(forms.ModelForm):
    smtp_password = forms.CharField(
        label=_("Hasło SMTP"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Zostaw puste, aby zachować zapisane hasło. Hasło jest szyfrowane i nigdy nie jest wyświetlane."),
    )
    smtp_password_clear = forms.BooleanField(label=_("Usuń zapisane hasło"), required=False)

    class Meta:
        model = CompanySettings
        fields = ["smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_from"]
        help_texts = {
            "smtp_host": _("Zostaw puste, aby wysyłać przez serwer ImCRM."),
            "smtp_from": _("Np. Biuro <biuro@twojafirma.pl>"),
        }

    def clean_smtp_host(self) -> str:
        host = self.cleaned_data.get("smtp_host", "").strip().lower()
        if host and not HOST_RE.match(host):
            raise ValidationError(_("Podaj nazwę serwera, np. smtp.twojafirma.pl."))
        return host

    def clean_smtp_from(self) -> str:
        value = self.cleaned_data.get("smtp_from", "").strip()
        if value and not sender_is_valid(value):
            raise ValidationError(_("Podaj adres nadawcy, np. biuro@twojafirma.pl."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("smtp_host") and not data.get("smtp_from"):
            self.add_error("smtp_from", _("Podaj adres nadawcy — serwer SMTP zwykle go wymaga."))
        return data


class SmtpTestForm(forms.Form):
    to = forms.EmailField(label=_("Wyślij test na adres"))


class SecurityForm(forms.ModelForm):
    session_timeout_minutes = forms.TypedChoiceField(
        label=_("Wyloguj po bezczynności"), choices=SESSION_TIMEOUT_CHOICES, coerce=int
    )

    class Meta:
        model = CompanySettings
        fields = [
            "mfa_required",
            "allowed_ips",
            "session_timeout_minutes",
            "restrict_pracownik_to_own",
            "pracownik_may_import",
            "pracownik_may_export",
            "pracownik_may_delete",
        ]
        widgets = {"allowed_ips": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})}
        help_texts = {
            "allowed_ips": _(
                "Jeden adres lub zakres CIDR w wierszu, np. 203.0.113.7 albo 192.168.10.0/24. "
                "Puste pole: dostęp z każdego adresu."
            ),
            "pracownik_may_export": _("Domyślnie wyłączone: lista klientów to dane całej firmy."),
            "pracownik_may_delete": _("Pracownik usuwa tylko klientów, których jest opiekunem."),
        }

    def __init__(self, *args: Any, current_ip: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_ip = current_ip

    def clean_allowed_ips(self) -> str:
        text = self.cleaned_data.get("allowed_ips", "")
        rules = ip_rules_parse(text)
        if rules and not ip_allowed(self.current_ip, rules):
            raise ValidationError(
                _(
                    "Twój obecny adres (%(ip)s) nie jest na liście — po zapisaniu nie mógłbyś się zalogować. "
                    "Dodaj go do listy albo zapisz zmianę z dozwolonego adresu."
                ),
                params={"ip": self.current_ip or "?"},
            )
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class InvoicingSettingsForm(forms.ModelForm):
    """Settings > Faktury: numbering, payment term, place of issue, what a Pracownik may do."""

    PATTERNS = ("invoice_number_pattern", "proforma_number_pattern", "correction_number_pattern")

    class Meta:
        model = CompanySettings
        fields = [
            "invoice_number_pattern",
            "proforma_number_pattern",
            "correction_number_pattern",
            "number_reset",
            "payment_term_days",
            "place_of_issue",
            "pracownik_may_issue_invoices",
        ]
        help_texts = {
            "invoice_number_pattern": _("Pola: {YYYY} rok, {YY} rok dwucyfrowo, {MM} miesiąc, {NR} kolejny numer."),
            "place_of_issue": _("Np. Warszawa; drukowane na fakturze."),
            "pracownik_may_issue_invoices": _(
                "Szkice faktur dla swoich klientów Pracownik przygotowuje zawsze; wystawia je Szef lub Kierownik."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reset = data.get("number_reset") or "monthly"
        seen: set[str] = set()
        for name in self.PATTERNS:
            if name not in data:
                continue
            try:
                pattern = number_pattern_check(data[name], reset=reset)
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            if pattern in seen:
                self.add_error(name, _("Każdy rodzaj faktury potrzebuje innego wzoru numeru."))
            seen.add(pattern)
            data[name] = pattern
        return data


class KsefSettingsForm(forms.ModelForm):
    """Settings > KSeF: switch sending on, the environment, the API address and the token."""

    ksef_token = forms.CharField(
        label=_("Token KSeF"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Token wygenerowany w Aplikacji Podatnika KSeF dla NIP firmy. Zostaw puste, aby zachować zapisany. "
            "Token jest szyfrowany i nigdy nie jest wyświetlany."
        ),
    )
    ksef_token_clear = forms.BooleanField(label=_("Usuń zapisany token"), required=False)

    class Meta:
        model = CompanySettings
        fields = ["ksef_enabled", "ksef_environment", "ksef_api_url"]
        help_texts = {
            "ksef_environment": _("Testowe i przedprodukcyjne przyjmują faktury bez skutków prawnych."),
            "ksef_api_url": _("Zwykle puste: adres wynika ze środowiska. Podaj inny tylko dla pośrednika (proxy)."),
        }

    def __init__(self, *args: Any, has_token: bool, tax_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_token = has_token
        self.tax_id = tax_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ksef_enabled"):
            if not self.tax_id:
                self.add_error("ksef_enabled", _("Najpierw podaj NIP firmy w Ustawieniach, w części Firma."))
            token_left = (self.has_token and not data.get("ksef_token_clear")) or data.get("ksef_token")
            if not token_left:
                self.add_error("ksef_token", _("Aby wysyłać faktury do KSeF, podaj token KSeF."))
        return data
