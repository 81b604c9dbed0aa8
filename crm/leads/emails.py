"""E-mails about leads: the note to the owner of a lead a web-to-lead form brought in (in
his language, with the link to the lead's card)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from crm.accounts.models import User
from crm.company.mail import company_email_send
from crm.leads.models import Lead
from tenants.urls_helpers import company_active_url


def lead_new_email_send(*, lead: Lead, person: User, form_name: str) -> int:
    """Tell `person` a new lead is his; raises what the mail connection raises."""
    link = company_active_url(reverse("leads:lead_detail", args=[lead.pk]))
    with translation.override(person.language or "pl"), timezone.override(timezone.get_default_timezone()):
        subject = translation.gettext("Nowy lead z formularza „%(form)s”: %(name)s") % {
            "form": form_name,
            "name": lead.name,
        }
        body = render_to_string("leads/email/new_lead.txt", {"lead": lead, "link": link, "form_name": form_name})
    return company_email_send(subject=subject, body=body, to=[person.email])
