"""The built-in texts of the product's e-mails, written with merge fields, so a new
template of a product e-mail (Settings > Szablony e-maili) starts from what is sent today.

Each text is put together from the same translated sentences as the built-in template
it mirrors (named at each function), with the merge field in place of each value; parts
the built-in text shows only sometimes (the sender's message, the bank account) are
included, and one with no merge field (an offer's net value) is left out."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from crm.company.models import EmailTemplateKind


def _f(name: str) -> str:
    return "{{ " + name + " }}"


def _regards() -> str:
    return f"{_('Pozdrawiamy')}\n{_f('user.name')}\n"


def _offer() -> tuple[str, str]:
    """crm/offers/emails.py and offers/email/offer.txt."""
    subject = _("Oferta %(number)s od „%(company)s”") % {"number": _f("offer.number"), "company": _f("company.name")}
    intro = _("przesyłamy ofertę %(number)s firmy „%(company)s”.") % {
        "number": _f("offer.number"),
        "company": _f("company.name"),
    }
    body = (
        f"{_('Dzień dobry,')}\n\n{_f('message.text')}\n\n{intro}\n\n"
        f"{_('Kwota brutto: %(gross)s') % {'gross': _f('offer.total')}}\n"
        f"{_('Oferta jest ważna do %(until)s.') % {'until': _f('offer.valid_until')}}\n\n"
        f"{_('Ofertę obejrzysz, pobierzesz jako PDF i zaakceptujesz lub odrzucisz tutaj:')}\n{_f('offer.link')}\n\n"
        f"{_regards()}"
    )
    return subject, body


def _invoice() -> tuple[str, str]:
    """crm/invoicing/emails.py and invoicing/email/invoice.txt (an ordinary invoice)."""
    values = {"number": _f("invoice.number"), "company": _f("company.name")}
    subject = _("Faktura %(number)s od „%(company)s”") % values
    body = (
        f"{_('Dzień dobry,')}\n\n{_f('message.text')}\n\n"
        f"{_('przesyłamy fakturę %(number)s firmy „%(company)s”.') % values}\n\n"
        f"{_('Kwota brutto: %(gross)s') % {'gross': _f('invoice.total')}}\n"
        f"{_('Termin płatności: %(due)s') % {'due': _f('invoice.due_date')}}\n"
        f"{_('Numer rachunku: %(bank_account)s') % {'bank_account': _f('invoice.bank_account')}}\n\n"
        f"{_('Fakturę w PDF znajdziesz w załączniku.')}\n\n"
        f"{_regards()}"
    )
    return subject, body


def _task_reminder() -> tuple[str, str]:
    """crm/tasks/services.py and tasks/email/reminder.txt."""
    subject = _("Przypomnienie: %(title)s") % {"title": _f("task.title")}
    body = (
        f"{_('Przypomnienie o zadaniu: %(title)s') % {'title': _f('task.title')}}\n"
        f"{_('Termin: %(due)s') % {'due': _f('task.due')}}\n"
        f"{_('Klient: %(customer)s') % {'customer': _f('customer.name')}}\n\n"
        f"{_f('task.description')}\n\n"
        f"{_('Otwórz zadanie: %(link)s') % {'link': _f('task.link')}}\n"
    )
    return subject, body


def _ticket_reply() -> tuple[str, str]:
    """crm/tickets/emails.py and tickets/email/reply.txt (the ticket's reference is put
    in front of the subject when sending, whatever the template says)."""
    footer = _("Zgłoszenie nr %(number)s — %(company)s") % {
        "number": _f("ticket.number"),
        "company": _f("company.name"),
    }
    body = (
        f"{_f('reply.body')}\n\n--\n{footer}\n"
        f"{_('Odpowiedz na tę wiadomość, zostawiając numer zgłoszenia w temacie.')}\n"
    )
    return _f("ticket.subject"), body


def _invitation() -> tuple[str, str]:
    """crm/settings/views/users.py and accounts/emails/invite*.txt."""
    subject = _("Zaproszenie do firmy „%(name)s” w ImCRM") % {"name": _f("company.name")}
    intro = _(
        "Dzień dobry,\n\n%(inviter)s zaprasza Cię do firmy „%(company)s” w ImCRM (ranga: %(role)s).\n\n"
        "Aby dołączyć, otwórz link i ustaw swoje hasło:"
    ) % {"inviter": _f("user.name"), "company": _f("company.name"), "role": _f("invitation.role")}
    body = f"{intro}\n{_f('invitation.link')}\n\n{_('Link działa jeden raz i wygasa po 7 dniach.')}\n"
    return subject, body


def _password_reset() -> tuple[str, str]:
    """crm/accounts/adapter.py and account/email/password_reset_key_*.txt."""
    intro = _("ktoś (zapewne Ty) poprosił o nowe hasło do konta %(email)s w CRM firmy „%(name)s”.") % {
        "email": _f("user.email"),
        "name": _f("company.name"),
    }
    body = (
        f"{_('Dzień dobry,')}\n\n{intro}\n\n"
        f"{_('Nowe hasło ustawisz tutaj (link działa kilka dni i tylko raz):')}\n{_f('reset.link')}\n\n"
        f"{_('Jeśli to nie Ty, zignoruj tę wiadomość: dotychczasowe hasło dalej działa.')}\n\n"
        f"{_('Zespół ImCRM dla firmy „%(name)s”') % {'name': _f('company.name')}}\n"
    )
    return _("Ustaw nowe hasło do ImCRM"), body


DEFAULTS: dict[str, Callable[[], tuple[str, str]]] = {
    EmailTemplateKind.OFFER: _offer,
    EmailTemplateKind.INVOICE: _invoice,
    EmailTemplateKind.TASK_REMINDER: _task_reminder,
    EmailTemplateKind.TICKET_REPLY: _ticket_reply,
    EmailTemplateKind.INVITATION: _invitation,
    EmailTemplateKind.PASSWORD_RESET: _password_reset,
}


def mail_template_default(kind: str, language: str) -> tuple[str, str]:
    """(subject, body) of the built-in text of product e-mail `kind` in `language`, with
    merge fields; ("", "") for a custom template (it has no built-in text)."""
    builder = DEFAULTS.get(kind)
    if builder is None:
        return "", ""
    with translation.override(language):
        return builder()


def mail_template_defaults(kind: str) -> dict[str, str]:
    """The fields of a new template of `kind` filled with the built-in text, in Polish and English."""
    subject_pl, body_pl = mail_template_default(kind, "pl")
    subject_en, body_en = mail_template_default(kind, "en")
    return {"subject_pl": subject_pl, "body_pl": body_pl, "subject_en": subject_en, "body_en": body_en}
