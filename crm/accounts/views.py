"""Pages of one's own account on the company's host: accepting an invitation (the
invited person sets a password) and the profile page (2FA state, API tokens)."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crm.accounts.access import api_access_refusal
from crm.accounts.forms import InvitationAcceptForm
from crm.accounts.models import ApiToken
from crm.accounts.services import StaffError, invitation_accept, invitation_for_token, invitation_problem
from crm.accounts.tokens import api_token_revoke, api_tokens_of
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import form_apply_error
from crm.common.params import is_int_text
from crm.common.policy import exempt_from_mfa
from crm.common.types import AuthedRequest


@exempt_from_mfa  # not allowed_when_read_only: accepting adds a person
@never_cache
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    problem = invitation_problem(invitation)
    if problem:
        return render(request, "accounts/invite_unusable.html", {"message": problem}, status=410)
    form = InvitationAcceptForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
            )
        except StaffError as exc:
            if exc.field in form.fields:
                form_apply_error(form, exc)
            else:
                return render(request, "accounts/invite_unusable.html", {"message": exc.message}, status=410)
        else:
            activity_record(actor=user, kind=ActivityKind.STAFF, obj=user, code="staff.invitation_accepted")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("/")
    return render(
        request,
        "accounts/invite_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )


def posted_id(request: HttpRequest, field: str) -> int:
    """A row id from a POST field; 0 (no such row) for anything that is not one."""
    value = request.POST.get(field, "")
    return int(value) if is_int_text(value) else 0


@exempt_from_mfa
@never_cache
@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "mfa_enabled": is_mfa_enabled(user),
        "api_barred": api_access_refusal(request, user) is not None,
        "tokens": api_tokens_of(user=user),
        "revoke_url": reverse("profile:token_revoke"),
    }
    return render(request, "accounts/profile.html", context)


@exempt_from_mfa
@require_POST
@login_required
def profile_token_revoke(request: AuthedRequest) -> HttpResponse:
    """Revoke one of one's own tokens (POST `token`: its id); another person's id is a 404."""
    user = request.user
    token = get_object_or_404(ApiToken, pk=posted_id(request, "token"), user_id=user.pk)
    api_token_revoke(actor=user, token=token)
    messages.success(request, _("Token „%(name)s” unieważniony: przestał działać.") % {"name": token.name})
    return redirect("profile:index")
