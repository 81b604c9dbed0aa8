""" "This was not me": the owner of an address that someone used to open a company
reports it with the link in the welcome e-mail (tenants/owner_email.py).

The company is scheduled for deletion exactly as an operator would do it
(operator_services.deletion_schedule: suspended at once, exported, dropped after
30 days, cancellable by an operator until then), the report is written to the
operator audit log, and `Company.owner_reported_not_me_at` marks it in the console.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing_saas.models import OperatorAction
from billing_saas.operator_services import OperatorError, audit, deletion_schedule
from tenants.models import Company
from tenants.owner_email import Claim, Outcome, claimed_company

logger = logging.getLogger(__name__)


def company_not_me_report(*, claim: Claim) -> Outcome:
    """Record the report and schedule the deletion, once; see Outcome for the other answers.

    A confirmed address cannot be reported any more (its owner proved the company is
    theirs); the address need not still be the owner's: whoever took the company over
    may have changed it since."""
    with transaction.atomic():
        company = claimed_company(claim, lock=True)
        if company is None:
            return Outcome.GONE
        if company.owner_reported_not_me_at is not None:
            return Outcome.ALREADY
        if company.owner_email_confirmed_at is not None:
            return Outcome.CONFIRMED
        now = timezone.now()
        Company.objects.filter(pk=company.pk).update(owner_reported_not_me_at=now)
        company.owner_reported_not_me_at = now
        with translation.override(settings.LANGUAGE_CODE):  # the operator log is kept in one language
            reason = _("Właściciel adresu %(email)s zgłosił, że nie zakładał tej firmy (link „to nie ja”).") % {
                "email": claim.email
            }
        audit(
            operator=None,
            company=company,
            action=OperatorAction.NOT_ME_REPORT,
            reason=reason,
            details={"email": claim.email},
        )
        try:
            deletion_schedule(company=company, operator=None, reason=reason)
        except OperatorError:  # an operator scheduled it already: the report is still on record
            logger.info("not-me report for %s: deletion already scheduled", company.schema_name)
    logger.warning("company %s reported as 'not me' by its owner's address", company.schema_name)
    return Outcome.DONE
