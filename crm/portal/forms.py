from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.tickets.models import Department, TicketPriority


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), error_messages={"required": _("Podaj adres e-mail.")})
    password = forms.CharField(
        label=_("Hasło"), widget=forms.PasswordInput, error_messages={"required": _("Podaj hasło.")}
    )


class ResetForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), error_messages={"required": _("Podaj adres e-mail.")})


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("Nowe hasło"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Powtórz hasło"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hasła się różnią."))
        return data


class ChangePasswordForm(SetPasswordForm):
    old_password = forms.CharField(label=_("Obecne hasło"), widget=forms.PasswordInput, strip=False)
    field_order = ["old_password", "password1", "password2"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class TicketForm(forms.Form):
    subject = forms.CharField(
        label=_("Temat"), max_length=200, error_messages={"required": _("Podaj temat zgłoszenia.")}
    )
    department = forms.ModelChoiceField(label=_("Dział"), queryset=Department.objects.all(), required=False)
    priority = forms.ModelChoiceField(label=_("Priorytet"), queryset=TicketPriority.objects.all(), required=False)
    body = forms.CharField(label=_("Opis"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Załączniki"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Odpowiedź"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Załączniki"), required=False)


class MessageForm(forms.Form):
    """A message in a project's discussion (portal users and staff)."""

    body = forms.CharField(
        label=_("Wiadomość"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
        max_length=5000,
        error_messages={"required": _("Wpisz treść wiadomości.")},
    )
    file = forms.FileField(label=_("Załącznik (opcjonalnie)"), required=False)


class BrandingForm(forms.Form):
    primary_color = forms.CharField(
        label=_("Kolor główny portalu"),
        max_length=32,
        required=False,
        help_text=_(
            "Zapis szesnastkowy, np. #1f6feb. Puste: kolory ImCRM. Kolor tekstu dobieramy sami, aby był czytelny."
        ),
        widget=forms.TextInput(attrs={"placeholder": "#1f6feb", "spellcheck": "false", "autocomplete": "off"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kod z aplikacji lub kod zapasowy"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        error_messages={"required": _("Podaj kod.")},
    )


class TwofaEnableForm(forms.Form):
    code = forms.CharField(
        label=_("Kod z aplikacji"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Podaj kod.")},
    )


class TwofaDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Twoje hasło"), widget=forms.PasswordInput, strip=False, error_messages={"required": _("Podaj hasło.")}
    )
