"""Portal accounts: the third kind of person (next to staff and the operator).

A contact person's own password for the client portal, in the company's schema: the
same e-mail may be a contact in two companies, or staff in one and a contact in another,
and nothing links them. Not a `django.contrib.auth` user: a portal session never
becomes a staff session (crm/portal/auth.py).
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalAccount(models.Model):
    contact = models.OneToOneField(
        "contacts.ContactPerson", verbose_name=_("osoba kontaktowa"), on_delete=models.CASCADE, related_name="portal"
    )
    password = models.CharField(_("hasło"), max_length=128)
    last_login = models.DateTimeField(_("ostatnie logowanie"), null=True, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("konto w portalu klienta")
        verbose_name_plural = _("konta w portalu klienta")

    def __str__(self) -> str:
        return str(self.contact)

    # The names PasswordResetTokenGenerator reads (the set-password links of crm/portal/tokens.py).
    @property
    def email(self) -> str:
        return self.contact.email

    def password_set(self, raw: str | None) -> None:
        self.password = make_password(raw)

    def password_check(self, raw: str) -> bool:
        return bool(raw) and check_password(raw, self.password)

    @property
    def has_password(self) -> bool:
        return bool(self.password) and not self.password.startswith("!")
