"""Every Settings page and endpoint, found by walking config.urls_tenant (not a list kept
by hand), answers Szef only: Szef 200, Kierownik and Pracownik 403, anonymous -> login
(pages) or 401 (API), another company's user -> login (their session does not exist
here) or 404 (A's ids on their own host). A settings view added without the guard
makes these tests fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django_tenants.utils import schema_context

from crm.accounts.models import ApiToken, Invitation
from crm.accounts.services import invitation_create
from crm.accounts.tokens import api_token_create
from crm.activity.models import ActivityEntry, ActivityKind
from crm.automations.models import Action, AutomationRule, AutomationRun, Trigger
from crm.backups.models import Backup
from crm.categories.models import ContactSource
from crm.company.models import EmailTemplate
from crm.customfields.models import CustomField
from crm.settings.categories import KINDS
from crm.systemlog.models import SystemEvent, SystemEventKind
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.crm.accounts.factories import UserFactory

SETTINGS_PREFIXES = ("settings/", "api/v1/settings/")
# Routes under /settings/ that are not Settings pages, each with the reason. Keep it empty:
# a page every rank may open belongs outside /settings/.
NOT_SETTINGS: dict[str, str] = {}
# Route names of this app (and the settings API) must answer Szef's GET with 200.
STRICT_NAMESPACES = ("crmsettings:", "settings-")


@dataclass(frozen=True)
class Route:
    template: str
    name: str
    params: tuple[str, ...]
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def strict(self) -> bool:
        return self.name.startswith(STRICT_NAMESPACES)


def _piece(pattern: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route), tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        text = str(pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")
        return text, tuple(pattern.regex.groupindex)
    return str(pattern), ()


def settings_routes(urlconf: Any = "config.urls_tenant") -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str, params: tuple[str, ...]) -> None:
        for p in patterns:
            text, more = _piece(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                walk(p.url_patterns, prefix + text, ns, params + more)
            elif isinstance(p, URLPattern):
                template = prefix + text
                if not template.startswith(SETTINGS_PREFIXES) or "format" in params + more:
                    continue
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                found.append(Route(template, name, params + more, p.callback))

    walk(get_resolver(urlconf).url_patterns, "", "", ())
    return found


ROUTES = settings_routes()
GUARDED = [r for r in ROUTES if r.name not in NOT_SETTINGS]


FAR = 900_000_000  # explicit ids far above anything company B's sequences reach


@pytest.fixture
def samples(company_a, szef) -> dict[str, Any]:
    """Values for URL parameters: rows of company A with ids that do not exist in company B."""
    with schema_context(company_a.schema_name):
        person = UserFactory(email="probe@alfa.test", name="Probe Person", id=FAR + 1)
        source = ContactSource.objects.create(id=FAR + 2, name="Próbka", color="#123456")
        created = invitation_create(email="invited-probe@alfa.test", role="pracownik", invited_by=szef).invitation
        Invitation.objects.filter(pk=created.pk).update(id=FAR + 3)
        entry = ActivityEntry.objects.create(id=FAR + 4, kind=ActivityKind.OTHER, message="probe")
        token = api_token_create(user=person, name="probe").token
        ApiToken.objects.filter(pk=token.pk).update(id=FAR + 5)
        event = SystemEvent.objects.create(id=FAR + 6, kind=SystemEventKind.JOB_FAILED, level="error", message="probe")
        Backup.objects.create(id=FAR + 7)
        CustomField.objects.create(id=FAR + 8, model="customer", name="Próbka", key="probka", type="text")
        EmailTemplate.objects.create(id=FAR + 9, kind="custom", name="Próbka", subject_pl="S", body_pl="B")
        endpoint = WebhookEndpoint.objects.create(id=FAR + 50, url="https://example.com/hook", events=["deal.won"])
        WebhookDelivery.objects.create(id=FAR + 51, endpoint=endpoint, event="deal.won", event_id="probe", payload={})
        rule = AutomationRule.objects.create(
            id=FAR + 52, name="Próbka", trigger=Trigger.INVOICE_OVERDUE, action=Action.NOTIFY, subject="S"
        )
        AutomationRun.objects.create(id=FAR + 53, rule=rule, record_type="invoice", record_id=1)
        values: dict[Any, Any] = {
            "user_id": person.pk,
            "invitation_id": FAR + 3,
            "kind": "contact-sources",
            "pk": source.pk,
            # API detail routes: the parameter is `pk`, the model comes from the view set.
            ("api", "User"): person.pk,
            ("api", "Invitation"): FAR + 3,
            ("api", "ActivityEntry"): entry.pk,
            ("api", "ApiToken"): FAR + 5,
            ("api", "SystemEvent"): event.pk,
            ("api", "Backup"): FAR + 7,
            ("api", "CustomField"): FAR + 8,
            ("api", "EmailTemplate"): FAR + 9,
            ("api", "WebhookEndpoint"): FAR + 50,
            ("api", "WebhookDelivery"): FAR + 51,
            ("api", "AutomationRule"): FAR + 52,
            ("api", "AutomationRun"): FAR + 53,
            "template_id": FAR + 9,
        }
        for offset, kind in enumerate(KINDS.values(), start=10):
            item = kind.model._default_manager.create(id=FAR + offset, name=f"Próbka {kind.slug}", color="#654321")
            values[("api", kind.model.__name__)] = item.pk
    return values


def _api_model(route: Route) -> Any:
    cls = getattr(route.callback, "cls", None)
    kind = getattr(cls, "kind", None)
    if kind is not None:
        return kind.model
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(cls, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def url_of(route: Route, samples: dict[str, Any], company_a: Any) -> str:
    if not route.params:
        return reverse(route.name)
    kwargs = {}
    for param in route.params:
        if route.is_api and param == "pk":
            model = _api_model(route)
            assert model is not None, f"{route.template}: cannot tell which model `pk` names"
            assert ("api", model.__name__) in samples, f"{route.template}: add a sample row of {model.__name__}"
            kwargs[param] = samples[("api", model.__name__)]
        elif param in samples:
            kwargs[param] = samples[param]
        else:
            kwargs[param] = 1  # unknown parameter of another app's route: the guard must answer first
    return reverse(route.name, kwargs=kwargs)


def _urls(samples, company_a) -> list[tuple[Route, str]]:
    return [(route, url_of(route, samples, company_a)) for route in GUARDED]


def test_discovery_finds_every_settings_section_and_api_resource():
    names = {r.name for r in ROUTES}
    for expected in (
        "crmsettings:index",
        "crmsettings:users",
        "crmsettings:contacts",
        "crmsettings:tasks",
        "crmsettings:sales",
        "crmsettings:company",
        "crmsettings:email",
        "crmsettings:security",
        "crmsettings:activity",
        "settings-users-list",
        "settings-contact-groups-list",
        "settings-deal-statuses-detail",
        "settings-loss-reasons-list",
        "crmsettings:user_tokens",
        "settings-user-tokens-list",
        "settings-user-tokens-detail",
    ):
        assert expected in names
    assert all(r.name for r in ROUTES), "every settings route needs a name (the tests reverse it)"
    assert reverse("crmsettings:index") == "/settings/"


def test_every_settings_route_answers_szef(client_a, szef, samples, company_a):
    client_a.login_as(szef)
    problems = []
    for route, url in _urls(samples, company_a):
        status = client_a.get(url).status_code
        post_only = "get" not in (getattr(route.callback, "actions", None) or {"get": ""})  # API actions: POST
        if route.strict and status != 200 and not (post_only and status == 405):
            problems.append(f"GET {url} ({route.name}): {status}, expected 200")
        elif not route.strict and (status in (401, 403) or status >= 500):
            problems.append(f"GET {url} ({route.name}): {status} for Szef")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rank", ["kierownik", "pracownik"])
def test_every_settings_route_refuses_kierownik_and_pracownik_with_403(rank, request, client_a, samples, company_a):
    user = request.getfixturevalue(rank)
    client_a.login_as(user)
    problems = []
    for route, url in _urls(samples, company_a):
        get = client_a.get(url).status_code
        post = client_a.post(url, {"name": "x", "role": "szef"}).status_code
        if get not in (403, 405) or post not in (403, 405) or (get, post) == (405, 405):
            problems.append(f"{url} ({route.name}): GET {get}, POST {post}, expected 403")
    assert not problems, "\n".join(problems)


def test_every_settings_route_sends_anonymous_to_login_or_answers_401(client_a, samples, company_a):
    problems = []
    for route, url in _urls(samples, company_a):
        for method in ("get", "post"):
            response = getattr(client_a, method)(url)
            status = response.status_code
            if route.is_api:
                ok = status == 401 or (status == 405 and method == "get")
            else:
                ok = (status == 302 and "/accounts/login/" in response["Location"]) or (
                    status == 405 and method == "get"
                )
            if not ok:
                problems.append(f"{method.upper()} {url} ({route.name}): {status}")
    assert not problems, "\n".join(problems)


def test_another_companys_szef_gets_login_on_company_a_host_and_404_for_a_ids_at_home(
    client_a, client_b, outsider, samples, company_a
):
    """B's session does not exist in A's schema (-> anonymous); on B's own host, A's ids are unknown."""
    client_b.login_as(outsider)
    client_a.cookies.update(client_b.cookies)  # B's session cookie presented on A's host
    problems = []
    for route, url in _urls(samples, company_a):
        on_a = client_a.get(url)
        if on_a.status_code == 405:
            pass  # POST-only; the anonymous test checks its POST
        elif route.is_api:
            if on_a.status_code != 401:
                problems.append(f"A-host GET {url}: {on_a.status_code}, expected 401")
        elif on_a.status_code != 302 or "/accounts/login/" not in on_a["Location"]:
            problems.append(f"A-host GET {url}: {on_a.status_code}, expected login")
        if route.strict and any(p == "pk" or p.endswith("_id") for p in route.params):
            post_only = "get" not in (getattr(route.callback, "actions", None) or {"get": ""})
            at_home = (client_b.post(url) if post_only else client_b.get(url)).status_code
            if at_home != 404:
                problems.append(f"B-host GET {url} with A's ids: {at_home}, expected 404")
    assert not problems, "\n".join(problems)


def test_a_settings_view_without_the_guard_is_discovered_and_answers_pracownik(client_a, pracownik):
    """The checks above would catch a forgotten guard: discovery sees the new route, and
    it answers a Pracownik with 200 instead of 403."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.test import override_settings
    from django.urls import clear_url_caches, include, path

    import config.urls_tenant as tenant_urls

    @login_required
    def naked(request):
        return HttpResponse("ok")

    class Urls:
        urlpatterns = [path("settings/naked/", naked, name="naked"), path("", include(tenant_urls.urlpatterns))]

    with override_settings(ROOT_URLCONF=Urls):
        clear_url_caches()
        try:
            found = {r.template for r in settings_routes(Urls)}
            assert "settings/naked/" in found and "settings/users/" in found
            client_a.login_as(pracownik)
            assert client_a.get("/settings/naked/").status_code == 200
        finally:
            clear_url_caches()
    assert client_a.get("/settings/users/").status_code == 403
