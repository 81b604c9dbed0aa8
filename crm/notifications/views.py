"""Pages of notifications (/notifications/): the list, the bell's drop-down (htmx), opening
one (marks it read, then its card), "mark all read", the person's e-mail choices and the
colleagues offered by the @mention autocomplete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.types import AuthedRequest
from crm.notifications import services
from crm.notifications.mentions import people_matching
from crm.notifications.models import NotificationKind
from crm.notifications.selectors import notifications_of, unread_count

PANEL_SIZE = 8
PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    page = Paginator(notifications_of(request.user, unread=only_unread), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "only_unread": only_unread, "unread": unread_count(request.user)}
    return render(request, "notifications/list.html", context)


def _panel(request: AuthedRequest) -> HttpResponse:
    items = list(notifications_of(request.user)[:PANEL_SIZE])
    return render(request, "notifications/_panel.html", {"items": items, "unread": unread_count(request.user)})


@login_required
@require_GET
def notification_panel(request: AuthedRequest) -> HttpResponse:
    """The bell's drop-down: the newest few (the unread ones stand out)."""
    return _panel(request)


@login_required
@require_GET
def notification_open(request: AuthedRequest, pk: int) -> HttpResponseRedirect:
    """Follow a notification: it is read now; then its record's card (or the list)."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    services.notification_read(notification=notification)
    target = notification.url
    if target and target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if request.headers.get("HX-Request"):
        return _panel(request)
    if count:
        messages.success(request, _("Oznaczono wszystkie powiadomienia jako przeczytane."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthedRequest) -> HttpResponse:
    """Which kinds of notification also come by e-mail (each person for himself)."""
    if request.method == "POST":
        wanted = request.POST.getlist("email")
        unknown = set(wanted) - set(NotificationKind.values)
        if unknown:
            messages.error(request, _("Wybierz rodzaje powiadomień z listy."))
            status = 400
        else:
            services.email_settings_save(user=request.user, wanted=wanted)
            messages.success(request, _("Zapisano ustawienia powiadomień."))
            return redirect("notifications:settings")
    else:
        status = 200
    chosen = services.email_settings(request.user)
    kinds = [(kind, label, chosen[kind]) for kind, label in NotificationKind.choices]
    return render(request, "notifications/settings.html", {"kinds": kinds}, status=status)


@login_required
@require_GET
def mention_people(request: AuthedRequest) -> JsonResponse:
    """Colleagues for the @mention autocomplete of the note form."""
    people = people_matching(request.GET.get("q", "")[:100])
    return JsonResponse({"results": [{"id": p.pk, "name": str(p)} for p in people]})
