"""The service's own e-mails to companies (trial reminders), editable by the operator.

The operator can replace the built-in text of each kind, per language, in the console
(`ServiceEmailTemplate`); until then the built-in text is sent. An edited text is plain text
with `{{ object.field }}` placeholders only, substituted by the same sandbox as the companies'
templates (`crm.company.mail_templates.mail_template_render`): no tags, filters or attribute
chains, never a model or the settings. A placeholder a kind does not offer is refused on save.

The built-in text is the Django template the service always sent; the editing form starts from
it, rendered with the placeholders in place of the values.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from billing_saas.models import ServiceEmailKind, ServiceEmailTemplate
from crm.company.mail_templates import mail_template_render
from tenants.mail import mail_subject

FIELDS: dict[str, object] = {
    "company.name": gettext_lazy("nazwa firmy klienta usługi"),
    "user.name": gettext_lazy("imię adresata (Szefa)"),
    "trial.ends_at": gettext_lazy("data i godzina końca okresu próbnego"),
    "billing.link": gettext_lazy("link do strony płatności firmy"),
}
LANGUAGES = ("pl", "en")
_TEMPLATES = {
    ServiceEmailKind.TRIAL_3D: (
        "billing_saas/emails/trial_reminder_subject.txt",
        "billing_saas/emails/trial_reminder.txt",
    ),
    ServiceEmailKind.TRIAL_1D: (
        "billing_saas/emails/trial_reminder_subject.txt",
        "billing_saas/emails/trial_reminder.txt",
    ),
}
_KIND_CODE = {ServiceEmailKind.TRIAL_3D: "3d", ServiceEmailKind.TRIAL_1D: "1d"}


@dataclass(frozen=True)
class Values:
    company_name: str
    user_name: str
    trial_ends_at: str
    billing_link: str

    def context(self) -> dict[str, dict[str, str]]:
        return {
            "company": {"name": self.company_name},
            "user": {"name": self.user_name},
            "trial": {"ends_at": self.trial_ends_at},
            "billing": {"link": self.billing_link},
        }


PLACEHOLDERS = Values("{{ company.name }}", "{{ user.name }}", "{{ trial.ends_at }}", "{{ billing.link }}")


def builtin_text(kind: str, language: str, values: Values = PLACEHOLDERS) -> tuple[str, str]:
    """(subject, body) of the built-in text in `language`, with `values` filled in (by default
    the placeholders themselves: what the editing form starts from)."""
    subject_template, body_template = _TEMPLATES[ServiceEmailKind(kind)]
    context = {
        "kind": _KIND_CODE[ServiceEmailKind(kind)],
        "company": {"name": values.company_name},
        "name": values.user_name,
        "ends": values.trial_ends_at,
        "billing_url": values.billing_link,
    }
    with translation.override(language):
        return mail_subject(render_to_string(subject_template, context)), render_to_string(body_template, context)


def service_mail_text(kind: str, language: str, values: Values) -> tuple[str, str]:
    """(subject, body) to send: the operator's text of `kind` when there is one (its English
    parts fall back to Polish when empty), else the built-in text."""
    template = ServiceEmailTemplate.objects.filter(kind=kind).first()
    if template is None:
        return builtin_text(kind, language, values)
    subject, body = template.text(language)
    context = values.context()
    return mail_subject(mail_template_render(subject, context)), mail_template_render(body, context)
