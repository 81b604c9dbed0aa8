"""Every e-mail the product sends has a one-line subject, whatever people typed into
the names it is made from (a CR/LF would make Django refuse the whole message)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_saas.models import TrialReminder
from billing_saas.reminders import trial_reminder_send
from crm.accounts.models import Role
from crm.accounts.services import invitation_create
from crm.company.mail import company_email_send
from tenants.mail import mail_subject
from tenants.models import Company
from tenants.tasks import company_welcome_email_send

BROKEN_NAME = "Firma\r\nBcc: ktos@obcy.test\u2028Sp. z o.o."


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def broken_name(company_a):
    Company.objects.filter(pk=company_a.pk).update(name=BROKEN_NAME)
    company_a.refresh_from_db()
    yield company_a
    company_a.name = "Alfa Sp. z o.o."


def _one_line_subject() -> str:
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.message().get("Bcc") is None
    assert "\r" not in message.subject and "\n" not in message.subject and "\u2028" not in message.subject
    return message.subject


@pytest.mark.parametrize(
    ("raw", "flat"),
    [
        ("Przypomnienie: a\r\nb", "Przypomnienie: a b"),
        ("  \tdwie\n\nlinie \u2028 i\x00 NUL  ", "dwie linie i NUL"),
        ("Zwykły temat", "Zwykły temat"),
    ],
)
def test_mail_subject_makes_any_text_one_line(raw, flat):
    assert mail_subject(raw) == flat


def test_the_welcome_mail_of_a_company_with_line_breaks_in_its_name_goes_out(broken_name):
    company_welcome_email_send(broken_name.pk)

    assert "Firma Bcc: ktos@obcy.test Sp. z o.o." in _one_line_subject()


def test_the_trial_reminder_of_a_company_with_line_breaks_in_its_name_goes_out(broken_name):
    broken_name.trial_ends_at = timezone.now() + timedelta(days=1)

    assert trial_reminder_send(broken_name, TrialReminder.Kind.ONE_DAY)

    assert "Firma Bcc: ktos@obcy.test Sp. z o.o." in _one_line_subject()


def test_company_mail_such_as_an_invitation_goes_out_with_a_one_line_subject(broken_name, szef, rf):
    from crm.settings.views.users import invitation_send

    with schema_context(broken_name.schema_name):
        created = invitation_create(email="nowa@alfa.test", role=Role.PRACOWNIK, invited_by=szef)
        request = rf.get("/settings/users/", HTTP_HOST="alfa.imcrm.localhost")
        request.tenant = broken_name
        request.user = szef

        assert invitation_send(request, created)
        assert company_email_send(subject="Temat\r\nBcc: x@y.test", body="treść", to=["a@b.test"]) == 1

    assert "Firma Bcc: ktos@obcy.test Sp. z o.o." in mail.outbox[0].subject
    assert [m.subject for m in mail.outbox[1:]] == ["Temat Bcc: x@y.test"]
