"""The "e-mail the customer" action of a rule, sent by the worker.

The rule's run renders the message inside the triggering request (the merge fields as
they are at that moment) and queues it once that transaction commits
(`automation_email_queue`): a request that rolls back sends nothing, and a slow or
refusing mail server never holds the request up. The worker (`automation_email_deliver`)
sends it through the company's SMTP; a failure lands in the system log with the server's
answer (`crm.company.mail.email_send_logged`) and on the run. A failure that may pass
(the server unreachable or busy, a 4xx answer) is retried with backoff like the other
queued mail; a refusal (5xx, a malformed address) is not."""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from crm.automations.models import AutomationRun
from crm.automations.tasks import automation_email_send_task
from crm.company.mail import company_email_send, smtp_answer, smtp_failure_is_permanent
from tenants import queue

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
BACKOFF_FIRST_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(retries: int) -> int:
    """60 s, 120 s, 240 s… up to an hour."""
    return int(min(BACKOFF_FIRST_SECONDS * 2**retries, BACKOFF_MAX_SECONDS))


def automation_email_queue(*, run: AutomationRun, to: str, subject: str, body: str) -> None:
    """Queue the message of `run` for the worker once the current transaction commits."""
    transaction.on_commit(functools.partial(_enqueue, run.pk, to, subject, body))


def _enqueue(run_id: int, to: str, subject: str, body: str) -> None:
    try:
        queue.enqueue(automation_email_send_task, run_id, to, subject, body, run_inline_if_down=False)
    except queue.QueueUnavailable:
        # One attempt here rather than a chain of retries inside somebody's request.
        automation_email_deliver(run_id=run_id, to=to, subject=subject, body=body, final=True)


def automation_email_deliver(*, run_id: int, to: str, subject: str, body: str, final: bool) -> bool:
    """Send the message of a run; True when the server took it. A failure that may pass
    is raised again for the task to retry, unless `final`; otherwise the run records the
    server's answer (the system log has it too) and False is returned."""
    try:
        company_email_send(subject=subject, body=body, to=[to])
    except Exception as exc:
        if not final and not smtp_failure_is_permanent(exc):
            logger.warning("automation e-mail of run %s failed, to be retried: %s", run_id, exc)
            raise
        answer = smtp_answer(exc)
        logger.warning("automation e-mail of run %s failed: %s", run_id, answer)
        result = _("Nie wysłano e-maila do %(address)s: %(answer)s") % {"address": to, "answer": answer}
        AutomationRun.objects.filter(pk=run_id).update(ok=False, result=result[:500])
        return False
    AutomationRun.objects.filter(pk=run_id).update(
        ok=True, result=(_("Wysłano e-mail do %(address)s.") % {"address": to})[:500]
    )
    return True
