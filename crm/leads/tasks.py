"""Celery jobs of the leads app (sent from a company request: the schema travels in the
task headers, see config/celery.py)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from crm.accounts.models import User
from crm.leads.emails import lead_new_email_send
from crm.leads.models import Lead

logger = logging.getLogger(__name__)


@shared_task(name="leads.lead_new_email_send")
def lead_new_email_send_task(lead_id: int, person_id: int, form_name: str) -> bool:
    """E-mail the owner of a lead a web form brought in, if the lead is still his."""
    lead = Lead.objects.filter(pk=lead_id, owner_id=person_id).first()
    person = User.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if lead is None or person is None:
        return False
    try:
        lead_new_email_send(lead=lead, person=person, form_name=form_name)
    except (smtplib.SMTPException, OSError):  # the lead stands; the log says why
        logger.exception("lead %s: the e-mail to the owner failed", lead.pk)
        return False
    return True
