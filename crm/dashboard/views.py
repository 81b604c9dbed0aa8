from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crm.accounts.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    staff = User.objects.filter(is_active=True).order_by("role", "name", "email")
    return render(request, "dashboard/home.html", {"staff": staff})
