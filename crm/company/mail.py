"""Outgoing e-mail of a company. Uses the company's own SMTP settings when Szef has
set them (Settings > E-mail), otherwise the service's default backend."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from crm.company.crypto import secret_decrypt
from crm.company.models import CompanySettings, SmtpSecurity
from crm.systemlog.models import SystemEventKind
from crm.systemlog.services import system_event_record
from tenants.db import on_public_schema
from tenants.mail import mail_subject

SMTP_TIMEOUT = 10
# The most addresses one message to a customer (an offer, an invoice) goes to.
MAX_RECIPIENTS = 10


def _company_smtp() -> CompanySettings | None:
    obj = CompanySettings.current()
    return obj if obj.smtp_configured else None


def company_sender() -> str:
    obj = _company_smtp()
    if obj is not None and obj.smtp_from:
        return obj.smtp_from
    return settings.DEFAULT_FROM_EMAIL


def company_mail_connection(obj: CompanySettings | None = None) -> Any:
    """A Django mail connection: the company's SMTP server when configured, else the default."""
    obj = obj if obj is not None else _company_smtp()
    if obj is None or not obj.smtp_configured:
        return get_connection()
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=obj.smtp_host,
        port=obj.smtp_port,
        username=obj.smtp_user or None,
        password=secret_decrypt(obj.smtp_password_encrypted) or None,
        use_tls=obj.smtp_security == SmtpSecurity.STARTTLS,
        use_ssl=obj.smtp_security == SmtpSecurity.SSL,
        timeout=SMTP_TIMEOUT,
    )


def company_email_send(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    html: str | None = None,
    reply_to: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> int:
    """Send one message from the active company schema; returns the number sent.
    `attachments`: (file name, content, MIME type)."""
    message = EmailMultiAlternatives(
        subject=mail_subject(subject),
        body=body,
        from_email=company_sender(),
        to=list(to),
        cc=list(cc) or None,
        reply_to=list(reply_to) or None,
        connection=company_mail_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return email_send_logged(message)


def email_send_logged(message: EmailMessage) -> int:
    """`message.send()`; a failure is written to the company's system log with the
    server's answer (Settings > Dziennik systemowy) and raised again for the caller."""
    try:
        return message.send()
    except Exception as exc:
        if not on_public_schema():
            answer = smtp_answer(exc)
            system_event_record(
                kind=SystemEventKind.EMAIL_FAILED,
                message=_("Nie wysłano e-maila „%(subject)s” do %(to)s: %(answer)s")
                % {"subject": message.subject[:150], "to": ", ".join(message.to)[:300], "answer": answer[:300]},
                detail={"subject": message.subject, "to": list(message.to), "answer": answer},
            )
        raise


def smtp_answer(exc: BaseException) -> str:
    """What the mail server said (code and text), or the error when it said nothing."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {_reply(code, text)}" for address, (code, text) in exc.recipients.items())[:2000]
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return f"{type(exc).__name__}: {exc}"[:2000]


def smtp_failure_is_permanent(exc: BaseException) -> bool:
    """True when sending again cannot help: the server refused for good (a 5xx answer to
    the recipients, the sender or the message) or the message cannot be written (a
    malformed address or header). A server that is unreachable, busy or answers 4xx: False."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return not codes or min(codes) >= 500
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, (ValueError, UnicodeError))  # BadHeaderError is a ValueError too


def recipients_clean(raw: str | Sequence[str]) -> list[str]:
    """E-mail addresses from a list or a text separated by commas, semicolons or spaces;
    ValidationError on "to" when one is wrong or none is given."""
    items = re.split(r"[,;\s]+", raw) if isinstance(raw, str) else list(raw)
    found: list[str] = []
    for item in items:
        address = (item or "").strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"to": _("„%(address)s” nie jest poprawnym adresem e-mail.") % {"address": address}}
            ) from None
        if address.lower() not in {a.lower() for a in found}:
            found.append(address)
    if not found:
        raise ValidationError({"to": _("Podaj adres e-mail klienta.")})
    if len(found) > MAX_RECIPIENTS:
        raise ValidationError({"to": _("Podaj najwyżej %(n)s adresów.") % {"n": MAX_RECIPIENTS}})
    return found


# --- the "send test e-mail" button ---------------------------------------------------


@dataclass(frozen=True)
class SmtpTestResult:
    ok: bool
    message: str


def smtp_host_problem(host: str, port: int) -> str | None:
    """Refuse SMTP servers inside the service's own network (the test button must not
    become a port scanner), unless IMCRM_SMTP_ALLOW_PRIVATE_HOSTS is on (development)."""
    if getattr(settings, "IMCRM_SMTP_ALLOW_PRIVATE_HOSTS", False):
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return _("Nie można znaleźć serwera %(host)s.") % {"host": host}
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return _("Adres %(host)s wskazuje na sieć wewnętrzną — podaj publiczny serwer SMTP.") % {"host": host}
    return None


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()[:300]


def smtp_test_send(*, obj: CompanySettings, to: str, company_name: str) -> SmtpTestResult:
    """Send a test message through the company's SMTP server; report the server's answer."""
    if not obj.smtp_configured:
        return SmtpTestResult(False, _("Najpierw podaj i zapisz serwer SMTP."))
    problem = smtp_host_problem(obj.smtp_host, obj.smtp_port)
    if problem:
        return SmtpTestResult(False, problem)
    password = secret_decrypt(obj.smtp_password_encrypted)
    if password is None:
        return SmtpTestResult(False, _("Zapisanego hasła SMTP nie da się odczytać — wpisz je ponownie."))
    sender = obj.smtp_from or settings.DEFAULT_FROM_EMAIL
    message = EmailMessage(
        subject=mail_subject(_("Test poczty ImCRM")),
        body=_("To jest wiadomość testowa wysłana z ustawień firmy „%(company)s”.") % {"company": company_name},
        from_email=sender,
        to=[to],
    ).message()
    client: smtplib.SMTP | None = None
    try:
        context = ssl.create_default_context()
        if obj.smtp_security == SmtpSecurity.SSL:
            client = smtplib.SMTP_SSL(obj.smtp_host, obj.smtp_port, timeout=SMTP_TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(obj.smtp_host, obj.smtp_port, timeout=SMTP_TIMEOUT)
        client.ehlo()
        if obj.smtp_security == SmtpSecurity.STARTTLS:
            client.starttls(context=context)
            client.ehlo()
        if obj.smtp_user:
            client.login(obj.smtp_user, password or "")
        envelope_from = parseaddr(sender)[1]
        code, text = client.mail(envelope_from)
        if code != 250:
            return SmtpTestResult(False, _("Serwer odrzucił nadawcę: %(reply)s") % {"reply": _reply(code, text)})
        code, text = client.rcpt(to)
        if code not in (250, 251):
            return SmtpTestResult(False, _("Serwer odrzucił odbiorcę: %(reply)s") % {"reply": _reply(code, text)})
        code, text = client.data(message.as_bytes())
        if code != 250:
            return SmtpTestResult(False, _("Serwer odrzucił wiadomość: %(reply)s") % {"reply": _reply(code, text)})
        return SmtpTestResult(
            True,
            _("Wysłano wiadomość testową do %(to)s. Odpowiedź serwera: %(reply)s")
            % {"to": to, "reply": _reply(code, text)},
        )
    except smtplib.SMTPAuthenticationError as exc:
        return SmtpTestResult(
            False,
            _("Serwer nie przyjął loginu lub hasła: %(reply)s") % {"reply": _reply(exc.smtp_code, exc.smtp_error)},
        )
    except smtplib.SMTPNotSupportedError:
        return SmtpTestResult(False, _("Serwer nie obsługuje wybranego szyfrowania lub logowania."))
    except smtplib.SMTPResponseException as exc:
        return SmtpTestResult(
            False, _("Serwer odpowiedział błędem: %(reply)s") % {"reply": _reply(exc.smtp_code, exc.smtp_error)}
        )
    except ssl.SSLError as exc:
        return SmtpTestResult(False, _("Błąd szyfrowania połączenia: %(error)s") % {"error": str(exc)[:200]})
    except TimeoutError:
        return SmtpTestResult(False, _("Serwer nie odpowiedział w ciągu %(s)s sekund.") % {"s": SMTP_TIMEOUT})
    except (OSError, smtplib.SMTPException) as exc:
        return SmtpTestResult(False, _("Nie udało się połączyć z serwerem: %(error)s") % {"error": str(exc)[:200]})
    finally:
        if client is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()


def sender_is_valid(value: str) -> bool:
    name, address = parseaddr(value)
    return bool(address and "@" in address and formataddr((name, address)))
