"""Settings > Kopie zapasowe, /settings/backups/ (namespace `backups`), Szef only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.accounts.access import szef_required
from crm.backups.forms import BackupScheduleForm, RestoreConfirmForm
from crm.backups.models import Backup, BackupStatus
from crm.backups.restore import ArchiveError
from crm.backups.restoring import backup_restore_over
from crm.backups.selectors import backup_busy, backup_list
from crm.backups.services import backup_download_record, backup_request, backup_schedule, backup_schedule_update
from crm.backups.storage import backup_plain_chunks, backup_stored
from crm.common.exports import attachment
from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest


def _context() -> dict[str, object]:
    backups = list(backup_list()[:100])
    return {"backups": backups, "busy": any(b.status in (BackupStatus.QUEUED, BackupStatus.RUNNING) for b in backups)}


@szef_required
def backups_page(request: AuthedRequest) -> HttpResponse:
    form = BackupScheduleForm(request.POST or None, instance=backup_schedule())
    if request.method == "POST" and form.is_valid():
        backup_schedule_update(
            actor=request.user, frequency=form.cleaned_data["frequency"], keep_last=form.cleaned_data["keep_last"]
        )
        messages.success(request, _("Zapisano harmonogram kopii zapasowych."))
        return HttpResponseRedirect(reverse("backups:list"))
    status = 400 if request.method == "POST" else 200
    return render(request, "backups/list.html", {"form": form, **_context()}, status=status)


@szef_required
def backups_table(request: AuthedRequest) -> HttpResponse:
    """The list alone: polled by the page while a backup is queued or running."""
    return render(request, "backups/_table.html", _context())


@szef_required
@require_POST
def backup_now(request: AuthedRequest) -> HttpResponse:
    if backup_busy():
        messages.info(request, _("Kopia zapasowa już powstaje; poczekaj, aż się skończy."))
    else:
        backup_request(actor=request.user)
        messages.success(request, _("Zaczęliśmy robić kopię zapasową. Postęp widać poniżej."))
    return HttpResponseRedirect(reverse("backups:list"))


@szef_required
@allowed_when_locked
def backup_download(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    backup = get_object_or_404(Backup, pk=pk, status=BackupStatus.DONE)
    if not backup_stored(backup):
        raise Http404  # the file is gone: as if there were no backup
    backup_download_record(backup=backup, actor=request.user)
    response = StreamingHttpResponse(backup_plain_chunks(backup), content_type="application/zip")
    attachment(response, f"imcrm-backup-{backup.created_at:%Y%m%d-%H%M}.zip")
    return response


@szef_required
def backup_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    backup = get_object_or_404(Backup, pk=pk, status=BackupStatus.DONE)
    form = RestoreConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            backup_restore_over(backup=backup, actor=request.user, confirmation=form.cleaned_data["confirmation"])
        except ArchiveError as exc:
            form.add_error("confirmation" if exc.field else None, exc.message)
        else:
            messages.success(request, _("Dane firmy odtworzono z kopii zapasowej. Zaloguj się ponownie."))
            return HttpResponseRedirect(reverse("backups:list"))
    status = 400 if request.method == "POST" else 200
    return render(request, "backups/restore.html", {"backup": backup, "form": form}, status=status)
