"""The e-mail as a record type: it appears on its customer's timeline (sent from the
card or logged from the BCC address) and opens on its own page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.emails.models import CustomerEmail
from crm.emails.selectors import emails_visible_to

EMAIL = RecordType(
    key="email",
    key_plural="emails",
    model=CustomerEmail,
    label=_("e-mail"),
    label_plural=_("E-maile"),
    visible=emails_visible_to,
    card_url_name="emails:email_detail",
    customer_field="customer",
    in_global_search=False,
    timeline_label=_("E-mail"),
    timeline_template="emails/_timeline_item.html",
    icon="bi-envelope",
    list_related=("sender", "contact"),
    position=90,
)
