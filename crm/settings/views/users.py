"""Settings > Użytkownicy: invite, change ranks, deactivate (with hand-over), reactivate,
revoke a person's API tokens."""

from __future__ import annotations

import logging
from typing import cast

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from crm.accounts.access import szef_required
from crm.accounts.models import ApiToken, Invitation, Role, User
from crm.accounts.services import InvitationCreated, StaffError, handover_types, user_handover_counts
from crm.accounts.tokens import api_token_revoke, api_tokens_of
from crm.accounts.views import posted_id
from crm.common.errors import form_apply_error
from crm.common.types import AuthedRequest
from crm.company.mail import company_email_send
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import EmailTemplateKind
from crm.settings.forms import DeactivateForm, InviteForm, RoleForm
from crm.settings.staff import (
    staff_deactivate,
    staff_invitation_revoke,
    staff_invite,
    staff_reactivate,
    staff_role_change,
)
from crm.settings.views.common import settings_render
from tenants.urls_helpers import company_active_url

logger = logging.getLogger(__name__)


def invitation_link(token: str) -> str:
    """On the company's canonical address, never the Host header the request came with."""
    return company_active_url(reverse("accounts:invite_accept", kwargs={"token": token}))


def invitation_send(request: HttpRequest, created: InvitationCreated) -> bool:
    """E-mail the link; False when sending failed (Szef then copies the link by hand)."""
    company = getattr(request, "tenant", None)
    context = {
        "link": invitation_link(created.token),
        "company": company,
        "inviter": request.user,
        "invitation": created.invitation,
    }
    invitation = created.invitation
    merge = merge_base(user=request.user, company=getattr(company, "name", "") or "")
    merge["invitation"] = {"link": str(context["link"]), "role": str(invitation.get_role_display())}
    subject, body = mail_text(
        kind=EmailTemplateKind.INVITATION,
        language=translation.get_language() or "pl",
        context=merge,
        default=lambda: (
            render_to_string("accounts/emails/invite_subject.txt", context).strip(),
            render_to_string("accounts/emails/invite.txt", context),
        ),
    )
    try:
        return company_email_send(subject=subject, body=body, to=[created.invitation.email]) > 0
    except Exception:
        logger.warning("sending an invitation failed", exc_info=True)
        return False


def _users_page(request: AuthedRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    users = User.objects.annotate(api_token_count=Count("api_tokens")).order_by("-is_active", "name", "email")
    pending = [i for i in Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True) if i.is_pending]
    return settings_render(
        request,
        "settings/users.html",
        {"users": users, "pending": pending, "form": form},
        active="crmsettings:users",
        status=status,
    )


@szef_required
def users(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _users_page(request, InviteForm())
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _users_page(request, form, status=400)
    try:
        created = staff_invite(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            name=form.cleaned_data["name"],
            invited_by=request.user,
        )
    except StaffError as exc:
        form_apply_error(form, exc)
        return _users_page(request, form, status=400)
    if invitation_send(request, created):
        messages.success(
            request, _("Wysłano zaproszenie do %(email)s. Link jest ważny 7 dni.") % {"email": created.invitation.email}
        )
    else:
        messages.warning(
            request,
            _("Nie udało się wysłać e-maila. Przekaż ten link osobie zapraszanej (ważny 7 dni): %(link)s")
            % {"link": invitation_link(created.token)},
        )
    return redirect("crmsettings:users")


@szef_required
def user_role(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    form = RoleForm(request.POST or None, initial={"role": person.role})
    if request.method == "POST" and form.is_valid():
        try:
            person = staff_role_change(actor=cast(User, request.user), person=person, role=form.cleaned_data["role"])
        except StaffError as exc:
            form_apply_error(form, exc, default="role")
        else:
            messages.success(request, _("Zmieniono rangę: %(name)s.") % {"name": person})
            if person.pk == request.user.pk and person.role != Role.SZEF:
                return redirect("/")  # Szef who stepped down no longer sees Settings
            return redirect("crmsettings:users")
    status = 400 if request.method == "POST" else 200
    return settings_render(
        request, "settings/user_role.html", {"person": person, "form": form}, active="crmsettings:users", status=status
    )


@szef_required
def user_deactivate_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if not person.is_active:
        messages.info(request, _("To konto jest już nieaktywne."))
        return redirect("crmsettings:users")
    form = DeactivateForm(request.POST or None, user=person, default=request.user)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            staff_deactivate(actor=cast(User, request.user), person=person, handover=form.handover())
        except StaffError as exc:
            error = exc.message
        else:
            messages.success(request, _("Dezaktywowano konto %(name)s.") % {"name": person})
            return redirect("crmsettings:users")
    status = 400 if request.method == "POST" else 200
    counts = user_handover_counts(user=person)
    return settings_render(
        request,
        "settings/user_deactivate.html",
        {
            "person": person,
            "form": form,
            "counts": [(t, counts[t.key_plural], form[f"{t.key_plural}_to"]) for t in handover_types()],
            "error": error,
        },
        active="crmsettings:users",
        status=status,
    )


@szef_required
def user_reactivate_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    error = None
    if request.method == "POST":
        try:
            staff_reactivate(actor=cast(User, request.user), person=person)
        except StaffError as exc:
            error = exc.message
        else:
            messages.success(request, _("Przywrócono konto %(name)s.") % {"name": person})
            return redirect("crmsettings:users")
    return settings_render(
        request,
        "settings/user_reactivate.html",
        {"person": person, "error": error},
        active="crmsettings:users",
        status=400 if error else 200,
    )


@szef_required
def invitation_revoke_view(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if request.method == "POST":
        staff_invitation_revoke(actor=cast(User, request.user), invitation=invitation)
        messages.success(request, _("Anulowano zaproszenie dla %(email)s.") % {"email": invitation.email})
        return redirect("crmsettings:users")
    return settings_render(
        request, "settings/invitation_revoke.html", {"invitation": invitation}, active="crmsettings:users"
    )


@szef_required
def user_tokens(request: AuthedRequest, user_id: int) -> HttpResponse:
    """A person's API tokens; POST `token` (an id) revokes that one at once."""
    person = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        token = get_object_or_404(ApiToken, pk=posted_id(request, "token"), user_id=person.pk)
        api_token_revoke(actor=cast(User, request.user), token=token)
        messages.success(
            request, _("Token „%(name)s” osoby %(person)s unieważniony.") % {"name": token.name, "person": person}
        )
        return redirect("crmsettings:user_tokens", user_id=person.pk)
    return settings_render(
        request,
        "settings/user_tokens.html",
        {
            "person": person,
            "tokens": api_tokens_of(user=person),
            "revoke_url": reverse("crmsettings:user_tokens", kwargs={"user_id": person.pk}),
        },
        active="crmsettings:users",
    )
