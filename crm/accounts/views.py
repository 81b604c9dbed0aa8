"""Accepting an invitation on the company's host: the invited person sets a password."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from crm.accounts.forms import InvitationAcceptForm
from crm.accounts.services import StaffError, invitation_accept, invitation_for_token, invitation_problem
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import form_apply_error


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
            activity_record(
                kind=ActivityKind.STAFF, user=user, obj=user, message=_("Przyjęto zaproszenie i założono konto.")
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("/")
    return render(
        request,
        "accounts/invite_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )
