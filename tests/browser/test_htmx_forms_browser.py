"""Every form that posts with htmx shows its errors, in a real browser.

The forms are found, not listed: the Szef's pages of a company with sample data are
crawled (links and htmx loads), and every form with `hx-post`/`hx-put` is opened in
Chromium, submitted empty (then, if the server takes that, with over-long values) past
the browser's own checks, and the server's error message must become visible. A form
added later is covered by itself; a form with nothing to type (a delete button, a
toggle, a checkbox list) has nothing a person can get wrong and is left out."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import TenantClient
from tests.support.browser import sign_in

# Not pages to crawl: leaving the app, downloads and exports, the API, other hosts' tools.
SKIP = re.compile(r"^/(accounts/|api/|static/|media/|i18n/|auth/|operator/|healthz)|export|csv|/file/\d+/$|/portal/")
MAX_PAGES = 250
FILLABLE = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]), textarea, select"
ERRORS = ".invalid-feedback, .alert-danger"


@dataclass
class HtmxForm:
    action: str  # the hx-post / hx-put URL
    page: str  # a page that has the form, or the link that loads it
    opener: str = ""  # hx-get URL of the element to click first ("" when the page has the form)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.loads: list[str] = []  # hx-get URLs a click loads
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "")[:1] in ("/", "?"):
            self.links.append(a["href"])
        clicked = tag not in ("input", "select", "textarea", "form")  # htmx's default trigger is a click
        if a.get("hx-get") and a.get("hx-trigger", "click" if clicked else "change") == "click":
            self.loads.append(a["hx-get"])
        if tag == "form" and (a.get("hx-post") or a.get("hx-put")):
            self.forms.append(a.get("hx-post") or a.get("hx-put") or "")


def _shape(url: str) -> str:
    """/customers/12/?tab=notes and /customers/7/?tab=notes are the same page to test."""
    parts = urlsplit(url)
    query = sorted((k, "N" if v.isdigit() else v) for k, v in parse_qsl(parts.query) if k != "page")
    return re.sub(r"\d+", "N", parts.path) + ("?" + urlencode(query) if query else "")


def _discover(client: Any, starts: tuple[str, ...] = ("/",)) -> list[HtmxForm]:
    """Breadth-first over the Szef's pages (and the partials their links load with htmx),
    from `starts`: pages of one shape are visited once, so a start fixes which one."""
    found: dict[str, HtmxForm] = {}
    seen: set[str] = set()
    queue: deque[tuple[str, str, str]] = deque((start, start, "") for start in starts)  # (url, page, opener)
    while queue and len(seen) < MAX_PAGES:
        url, page, opener = queue.popleft()
        key = _shape(url) + (" htmx" if opener else "")
        if key in seen or SKIP.search(urlsplit(url).path + "?" + urlsplit(url).query):
            continue
        seen.add(key)
        extra = {"HTTP_HX_REQUEST": "true"} if opener else {}
        response = client.get(url, **extra)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        scan = _Scan()
        scan.feed(response.content.decode())
        for action in scan.forms:
            found.setdefault(_shape(action), HtmxForm(action=unescape(action), page=page, opener=opener))
        if not opener:
            links = [urljoin(url, unescape(link)) for link in scan.links]
            queue.extend((link, link, "") for link in links)
            queue.extend((unescape(load), page, unescape(load)) for load in scan.loads)
    return list(found.values())


def _sample_data(company: Any) -> str:
    """Demo data and notes of the Szef's; returns the page of the customer whose note he may edit."""
    from crm.accounts.models import User
    from crm.contacts.models import ContactPerson, Customer
    from crm.demo.seed import demo_data_seed
    from crm.notes.models import Note
    from crm.sales.models import Deal
    from crm.tasks.models import Task

    with schema_context(company.schema_name):
        demo_data_seed(company=company)
        szef = User.objects.get(email="szef@alfa.test")
        customer = Customer.objects.order_by("pk").first()
        assert customer is not None
        if not ContactPerson.objects.filter(customer=customer).exists():
            ContactPerson.objects.create(customer=customer, name="Jan Próbny")
        Note.objects.create(customer=customer, body="Notatka do edycji", author=szef)
        deal = Deal.objects.order_by("pk").first()
        task = Task.objects.order_by("pk").first()
        Note.objects.create(customer=deal.customer, deal=deal, body="Notatka szansy", author=szef)
        Note.objects.create(customer=task.customer, task=task, body="Notatka zadania", author=szef)
    return f"/customers/{customer.pk}/"


def _open(page: Any, live_url: Any, form: HtmxForm) -> Any:
    page.goto(live_url("alfa", form.page))
    if form.opener:
        page.locator(f'[hx-get="{form.opener}"]').first.click()
    locator = page.locator(f'form[hx-post="{form.action}"], form[hx-put="{form.action}"]').first
    expect(locator).to_be_attached()
    for summary in locator.locator("xpath=ancestor::details[not(@open)]/summary").all():
        summary.click()  # a form folded away in <details>: open it, as a person would
    expect(locator).to_be_visible()
    return locator


def _submit(page: Any, form_el: Any, form: HtmxForm, value: str) -> int:
    """Fills every field with `value` ("" clears it, a select gets its first option), past
    the browser's own checks, and submits; returns the server's status."""
    form_el.evaluate(
        """(form, value) => {
            form.noValidate = true;
            form.querySelectorAll("[required],[minlength],[maxlength],[min],[max],[pattern]").forEach((el) => {
                ["required", "minlength", "maxlength", "min", "max", "pattern"].forEach((a) => el.removeAttribute(a));
            });
            form.querySelectorAll("input, textarea, select").forEach((el) => {
                if (el.type === "hidden" || el.type === "checkbox" || el.type === "radio" || el.type === "submit") return;
                if (el.tagName === "SELECT") { el.selectedIndex = 0; return; }
                if (el.type === "file" || el.type === "color") return;
                if (el.type !== "text" && el.type !== "email" && el.type !== "search") el.type = "text";
                el.value = value;
            });
        }""",
        value,
    )
    path = urlsplit(form.action).path
    with page.expect_response(lambda r: r.request.method in ("POST", "PUT") and urlsplit(r.url).path == path) as answer:
        form_el.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    # htmx swaps after the answer arrives: its request, swap and settle classes are all gone.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')", polling="raf"
    )
    return answer.value.status


def _visible_errors(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(ERRORS).filter(visible=True).all_inner_texts() if text.strip()]


def test_every_htmx_form_shows_the_servers_error_messages(committed, page, live_url):
    from crm.accounts.models import User

    noted_customer = _sample_data(committed.a)
    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
    forms = _discover(TenantClient(committed.a).login_as(szef), starts=("/", noted_customer))
    shapes = {_shape(f.action) for f in forms}
    # The discovery reaches the forms the issue names (contact person, file upload, notes, group editor).
    assert {
        "/customers/N/contacts/new/",
        "/notes/customer/N/files/upload/",
        "/notes/customer/N/notes/add/",
        "/notes/note/N/edit/",
        "/customers/N/groups/new/",
    } <= shapes, sorted(shapes)

    sign_in(page, live_url)
    failures: list[str] = []
    tested = 0
    for form in forms:
        form_el = _open(page, live_url, form)
        if form_el.locator(FILLABLE).count() == 0:
            continue  # nothing to type: nothing a person can get wrong
        tested += 1
        before = _visible_errors(page)
        status = _submit(page, form_el, form, "")
        if status < 400 and not _visible_errors(page):  # empty is fine here: try values too long for any field
            form_el = _open(page, live_url, form)
            before = _visible_errors(page)
            status = _submit(page, form_el, form, "x" * 20_000)
        errors = _visible_errors(page)
        if not errors or errors == before:
            failures.append(f"{form.action} (on {form.page}): answered {status}, no error message became visible")

    assert tested >= 5, [f.action for f in forms]
    assert not failures, "\n".join(failures)
