"""/search/: the header's search box. `?q=` answers the whole page; with `partial=1`
(what search.js asks while typing) only the grouped results for the drop-down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crm.common.types import AuthedRequest
from crm.contacts.selectors import search_planner
from crm.search.selectors import MIN_LENGTH, PER_TYPE, global_search, query_is_searchable

PAGE_PER_TYPE = 20


@require_GET
@login_required
def search(request: AuthedRequest) -> HttpResponse:
    query = " ".join(str(request.GET.get("q") or "").split())[:200]
    partial = request.GET.get("partial") == "1"
    with search_planner(bool(query)):
        groups = global_search(user=request.user, query=query, per_type=PER_TYPE if partial else PAGE_PER_TYPE)
    context = {
        "q": query,
        "groups": groups,
        "searchable": query_is_searchable(query),
        "min_length": MIN_LENGTH,
    }
    template = "search/_results.html" if partial else "search/search.html"
    return render(request, template, context)
