"""The invoice e-mailed to the customer, as Perfex and Fakturownia do: through the
company's own SMTP server (never the service's: an invoice comes from the company), in
the document's language, with its PDF attached and replies going to the person who sent
it. Only an issued invoice goes out (a pro-forma too, a draft never); without the
company's SMTP settings nothing is sent and the refusal says where to set them."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.common.errors import AppError
from crm.company.mail import company_email_send, recipients_clean
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import CompanySettings, EmailTemplateKind
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.invoicing.payments import money_text
from crm.invoicing.pdf import invoice_pdf, invoice_pdf_language, invoice_pdf_name
from tenants.selectors import company_active

# States in which an invoice is a document the customer may get.
EMAILABLE = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID, InvoiceStatus.OVERDUE)


class InvoiceEmailError(AppError):
    """The invoice cannot be e-mailed (a draft, no SMTP): the reason, on `field`."""


def invoice_emailable_check(invoice: Invoice) -> None:
    if invoice.status not in EMAILABLE:
        raise InvoiceEmailError(_("E-mailem wysyła się tylko wystawioną fakturę, nie szkic."), "status")
    if not CompanySettings.current().smtp_configured:
        raise InvoiceEmailError(
            _("Najpierw skonfiguruj serwer SMTP firmy (Ustawienia > E-mail): faktury wychodzą z adresu Twojej firmy."),
            None,
        )


def invoice_email_subject(invoice: Invoice, company: str) -> str:
    if invoice.kind == InvoiceKind.CORRECTION:
        text = _("Faktura korygująca %(number)s od „%(company)s”")
    elif invoice.kind == InvoiceKind.PROFORMA:
        text = _("Faktura pro forma %(number)s od „%(company)s”")
    else:
        text = _("Faktura %(number)s od „%(company)s”")
    return text % {"number": invoice.number, "company": company}


def invoice_email_send(
    *, invoice: Invoice, to: str | Sequence[str], message: str = "", sender: User | None = None
) -> list[str]:
    """E-mail the issued `invoice` to `to` (addresses, or a text of them separated by commas)
    with its PDF; returns the addresses it went to. Refusals: `InvoiceEmailError` (a draft,
    no SMTP), `ValidationError` on "to" (a wrong address; nothing is sent); a mail server's
    refusal is raised as the connection raises it (the caller says so)."""
    invoice_emailable_check(invoice)
    recipients = recipients_clean(to)
    language = invoice_pdf_language(invoice)
    seller = invoice.seller or {}
    active = company_active()
    company = seller.get("name") or (active.name if active is not None else "")
    bank_account = seller.get("bank_account") or CompanySettings.current().bank_account
    with translation.override(language):
        context = {
            "invoice": invoice,
            "company": company,
            "gross": money_text(invoice.gross_total, invoice.currency),
            "bank_account": bank_account,
            "corrected": invoice.corrects if invoice.kind == InvoiceKind.CORRECTION else None,
            "proforma": invoice.kind == InvoiceKind.PROFORMA,
            "message": (message or "").strip(),
            "sender": sender,
        }
        merge = merge_base(customer=invoice.customer, user=sender, company=company)
        merge["invoice"] = {
            "number": invoice.number,
            "total": money_text(invoice.gross_total, invoice.currency),
            "due_date": formats.date_format(invoice.due_date, "SHORT_DATE_FORMAT") if invoice.due_date else "",
            "bank_account": bank_account or "",
        }
        merge["message"] = {"text": (message or "").strip()}
        subject, body = mail_text(
            kind=EmailTemplateKind.INVOICE,
            language=language,
            context=merge,
            default=lambda: (
                invoice_email_subject(invoice, company),
                render_to_string("invoicing/email/invoice.txt", context),
            ),
        )
    attachments = [(invoice_pdf_name(invoice, language), invoice_pdf(invoice, language), "application/pdf")]
    reply_to = [sender.email] if sender is not None and sender.email else []
    company_email_send(subject=subject, body=body, to=recipients, reply_to=reply_to, attachments=attachments)
    return recipients
