"""The public knowledge base: /kb/ on the company's own host, no login.

- Only articles marked public; an internal article, or one of another company (whose
  host this is not), is a 404, the same as an address that names nothing.
- Meant to be found: unlike the rest of the company host these pages carry no
  `noindex`, and robots.txt allows /kb/ (tenants.views).
- Shown in the company's branding (its name in the header); reachable while the company
  is read-only (reading changes nothing), outside its allowed-IP list (that list guards
  staff access) and without 2FA (nobody signs in here); refused while it is suspended.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crm.common.token_pages import customer_page
from crm.kb.forms import ArticleSearchForm
from crm.kb.selectors import article_public_get, articles_public
from tenants.selectors import company_active

public = customer_page  # the markers of the customer's pages (crm.common.token_pages)


def _company_name() -> str:
    company = company_active()
    return company.name if company is not None else ""


@public
@require_GET
def kb_index(request: HttpRequest) -> HttpResponse:
    search = ArticleSearchForm(request.GET or None)
    groups: dict[int, dict[str, Any]] = {}
    for article in articles_public(search.query()):
        groups.setdefault(article.group_id, {"group": article.group, "articles": []})["articles"].append(article)
    ctx = {"groups": list(groups.values()), "search": search, "company_name": _company_name()}
    return render(request, "kb/public/index.html", ctx)


@public
@require_GET
def kb_article(request: HttpRequest, group_slug: str, slug: str) -> HttpResponse:
    article = article_public_get(group_slug=group_slug, slug=slug)
    if article is None:
        raise Http404
    return render(request, "kb/public/article.html", {"article": article, "company_name": _company_name()})
