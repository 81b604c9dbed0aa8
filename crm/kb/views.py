"""Staff pages of the knowledge base (/knowledge/): articles by group, an article's page,
writing with a Markdown preview (Szef and Kierownik), groups; and announcements (Szef
writes, everyone reads and dismisses the ones on the home page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.types import AuthedRequest
from crm.kb import services
from crm.kb.forms import AnnouncementForm, ArticleForm, ArticleSearchForm, GroupForm
from crm.kb.markup import markdown_to_safe_html
from crm.kb.models import Announcement, Article, ArticleGroup
from crm.kb.selectors import (
    announcement_manage_check,
    announcement_may_manage,
    announcements_visible_to,
    article_list,
    articles_visible_to,
    groups_visible_to,
    kb_manage_check,
    kb_may_manage,
)


def _article_for(request: AuthedRequest, pk: int) -> Article:
    return get_object_or_404(articles_visible_to(request.user), pk=pk)


def _group_for(request: AuthedRequest, pk: int) -> ArticleGroup:
    return get_object_or_404(groups_visible_to(request.user), pk=pk)


def _announcement_for(request: AuthedRequest, pk: int) -> Announcement:
    return get_object_or_404(announcements_visible_to(request.user), pk=pk)


def _status(form: ModelForm[Any]) -> int:
    return 400 if form.is_bound and form.errors else 200


def _saved(form: ModelForm[Any], save: Any) -> Model | None:
    """Run the service with the form's data; its errors go next to the fields."""
    if not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in form._meta.fields or ()}
    try:
        result: Model = save(data)
        return result
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


# --- articles -----------------------------------------------------------------------


@login_required
@require_GET
def article_list_page(request: AuthedRequest) -> HttpResponse:
    search = ArticleSearchForm(request.GET or None)
    articles = list(article_list(user=request.user, query=search.query()))
    groups: dict[int, dict[str, Any]] = {}
    for article in articles:
        groups.setdefault(article.group_id, {"group": article.group, "articles": []})["articles"].append(article)
    ctx = {"groups": list(groups.values()), "search": search, "can_manage": kb_may_manage(request.user)}
    return render(request, "kb/article_list.html", ctx)


@login_required
@require_GET
def article_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk)
    return render(request, "kb/article_detail.html", {"article": article, "can_manage": kb_may_manage(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: AuthedRequest) -> HttpResponse:
    kb_manage_check(request.user)
    initial = {"group": request.GET.get("group")} if request.GET.get("group", "").isdigit() else None
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        article = _saved(form, lambda data: services.article_create(actor=request.user, **data))
        if article is not None:
            messages.success(request, _("Dodano artykuł „%(name)s”.") % {"name": article})
            return redirect("kb:article_detail", article.pk)
    return render(request, "kb/article_form.html", {"form": form, "article": None}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk)
    kb_manage_check(request.user)
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST":
        fresh = _article_for(request, pk)  # the form wrote its data onto `article`
        saved = _saved(form, lambda data: services.article_update(article=fresh, actor=request.user, **data))
        if saved is not None:
            messages.success(request, _("Zapisano zmiany."))
            return redirect("kb:article_detail", pk)
    return render(request, "kb/article_form.html", {"form": form, "article": article}, status=_status(form))


@login_required
@require_POST
def article_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk)
    services.article_delete(article=article, actor=request.user)
    messages.success(request, _("Usunięto artykuł „%(name)s”: można go przywrócić z kosza.") % {"name": article})
    return redirect("kb:article_list")


@login_required
@require_POST
def article_preview(request: AuthedRequest) -> HttpResponse:
    """The sanitised HTML of the Markdown being written (htmx, under the editor)."""
    kb_manage_check(request.user)
    html = markdown_to_safe_html(request.POST.get("body", "")[: services.MAX_BODY])
    return render(request, "kb/_preview.html", {"html": html})


# --- groups -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: AuthedRequest) -> HttpResponse:
    """The groups in their order, and a form adding one (Szef and Kierownik)."""
    kb_manage_check(request.user)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        group = _saved(form, lambda data: services.group_create(actor=request.user, **data))
        if group is not None:
            messages.success(request, _("Dodano grupę „%(name)s”.") % {"name": group})
            return redirect("kb:group_list")
    ctx = {"groups": groups_visible_to(request.user), "form": form}
    return render(request, "kb/group_list.html", ctx, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    group = _group_for(request, pk)
    kb_manage_check(request.user)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST":
        fresh = _group_for(request, pk)
        if _saved(form, lambda data: services.group_update(group=fresh, actor=request.user, **data)) is not None:
            messages.success(request, _("Zapisano zmiany."))
            return redirect("kb:group_list")
    return render(request, "kb/group_form.html", {"form": form, "group": group}, status=_status(form))


@login_required
@require_POST
def group_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    group = _group_for(request, pk)
    try:
        services.group_delete(group=group, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Usunięto grupę „%(name)s”.") % {"name": group})
    return redirect("kb:group_list")


# --- announcements ------------------------------------------------------------------


@login_required
@require_GET
def announcement_list(request: AuthedRequest) -> HttpResponse:
    ctx = {
        "announcements": announcements_visible_to(request.user),
        "can_manage": announcement_may_manage(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "kb/announcement_list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request: AuthedRequest) -> HttpResponse:
    announcement_manage_check(request.user)
    form = AnnouncementForm(request.POST or None, initial={"shown_from": timezone.localdate()})
    if request.method == "POST":
        item = _saved(form, lambda data: services.announcement_create(actor=request.user, **data))
        if item is not None:
            messages.success(request, _("Dodano ogłoszenie „%(name)s”.") % {"name": item})
            return redirect("kb:announcement_list")
    return render(request, "kb/announcement_form.html", {"form": form, "item": None}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _announcement_for(request, pk)
    announcement_manage_check(request.user)
    form = AnnouncementForm(request.POST or None, instance=item)
    if request.method == "POST":
        fresh = _announcement_for(request, pk)
        saved = _saved(form, lambda data: services.announcement_update(announcement=fresh, actor=request.user, **data))
        if saved is not None:
            messages.success(request, _("Zapisano zmiany."))
            return redirect("kb:announcement_list")
    return render(request, "kb/announcement_form.html", {"form": form, "item": item}, status=_status(form))


@login_required
@require_POST
def announcement_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _announcement_for(request, pk)
    services.announcement_delete(announcement=item, actor=request.user)
    messages.success(request, _("Usunięto ogłoszenie „%(name)s”.") % {"name": item})
    return redirect("kb:announcement_list")


@login_required
@require_POST
def announcement_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    """Closed on the home page: gone for this person (htmx swaps it out; otherwise back home)."""
    item = _announcement_for(request, pk)
    services.announcement_dismiss(announcement=item, user=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect("dashboard:home")
