""" "Select all matching": a bulk action given a list's filters instead of ids applies to
every record that list shows for them (all its pages), all or nothing, within a limit."""

from __future__ import annotations

import pytest

from crm.activity.models import ActivityEntry
from crm.bulk import services as bulk_services
from crm.contacts.models import Customer
from crm.leads.models import Lead, LeadStatus
from crm.notifications.models import Notification, NotificationKind
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.categories.factories import CustomerStatusFactory, DealStageFactory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.leads.factories import lead_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _listed(client, path):
    """Every id the list endpoint returns, page after page."""
    ids, url = [], path
    while url:
        answer = client.get(url).json()
        ids += [row["id"] for row in answer["results"]]
        url = answer["next"]
    return ids


def test_a_status_filter_changes_every_matching_customer_beyond_the_first_page(api_szef, in_a):
    with in_a():
        wanted, other = CustomerStatusFactory(), CustomerStatusFactory()
        matching = [CustomerFactory(status=wanted).pk for _ in range(55)]
        others = [CustomerFactory(status=other).pk for _ in range(3)]
    assert len(api_szef.get(f"/api/v1/customers/?status={wanted.pk}").json()["results"]) == 50  # more than a page

    response = _post(
        api_szef, "/api/v1/customers/bulk/", {"filter": {"status": wanted.pk}, "action": "tag_add", "tag": "hurt"}
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 55}
    with in_a():
        assert set(Customer.objects.filter(tags__contains=["hurt"]).values_list("pk", flat=True)) == set(matching)
        assert not Customer.objects.filter(pk__in=others, tags__contains=["hurt"]).exists()
        entry = ActivityEntry.objects.get(code="bulk.tag_add")
        assert entry.params["count"] == 55


def test_a_search_filter_names_exactly_the_leads_the_list_returns(api_szef, szef, in_a):
    with in_a():
        for name in ("Jan Kowalski", "Anna Kowalska", "Łukasz Kowalski"):
            lead_make(actor=szef, name=name, company_name="", email="")
        lead_make(actor=szef, name="Piotr Nowak", company_name="Nowak i Syn", email="p@nowak.test")
        target = LeadStatus.objects.create(name="Kontakt nawiązany")
    listed = _listed(api_szef, "/api/v1/leads/?search=kowalsk")
    assert len(listed) == 3

    response = _post(
        api_szef, "/api/v1/leads/bulk/", {"filter": {"search": "kowalsk"}, "action": "status", "status": target.pk}
    )

    assert response.json() == {"updated": 3}
    with in_a():
        assert sorted(Lead.objects.filter(status=target).values_list("pk", flat=True)) == sorted(listed)
        assert Lead.objects.get(name="Piotr Nowak").status_id != target.pk


def test_deals_of_a_stage_are_assigned_and_the_owner_is_notified_per_deal(api_szef, kierownik, in_a):
    with in_a():
        stage, elsewhere = DealStageFactory(), DealStageFactory()
        moved = [DealFactory(customer=CustomerFactory(), stage=stage).pk for _ in range(3)]
        kept = DealFactory(customer=CustomerFactory(), stage=elsewhere)

    response = _post(
        api_szef, "/api/v1/deals/bulk/", {"filter": {"stage": stage.pk}, "action": "assign", "owner": kierownik.pk}
    )

    assert response.json() == {"updated": 3}
    with in_a():
        assert set(Deal.objects.filter(owner=kierownik).values_list("pk", flat=True)) == set(moved)
        assert Deal.objects.get(pk=kept.pk).owner_id != kierownik.pk
        assert Notification.objects.filter(recipient=kierownik, kind=NotificationKind.DEAL_ASSIGNED).count() == 3
        assert ActivityEntry.objects.get(code="bulk.assign").params["count"] == 3


def test_a_task_view_with_a_boolean_in_the_filter_marks_the_open_tasks_done(api_szef, szef, in_a):
    with in_a():
        open_ids = [TaskFactory(assignee=szef).pk for _ in range(2)]
        TaskFactory(assignee=szef, done=True)

    response = _post(
        api_szef,
        "/api/v1/tasks/bulk/",
        {"filter": {"view": "mine", "assignee": szef.pk}, "action": "done", "done": True},
    )

    assert response.json() == {"updated": 2}
    with in_a():
        assert set(Task.objects.filter(done=True, completed_at__isnull=False).values_list("pk", flat=True)) >= set(
            open_ids
        )


def test_more_matching_records_than_the_limit_are_refused_in_polish_and_nothing_changes(api_szef, in_a, monkeypatch):
    monkeypatch.setattr(bulk_services, "MAX_MATCHING", 3)
    with in_a():
        ids = [CustomerFactory().pk for _ in range(4)]

    response = _post(api_szef, "/api/v1/customers/bulk/", {"filter": {}, "action": "tag_add", "tag": "vip"})

    assert response.status_code == 400
    message = response.json()["filter"][0]
    assert "Do filtrów pasuje 4 rekordów" in message
    assert "najwyżej 3" in message and "Niczego nie zmieniono" in message
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, tags__contains=["vip"]).exists()
        assert not ActivityEntry.objects.filter(code__startswith="bulk.").exists()


def test_the_limit_is_stated_in_the_openapi_description(api_szef):
    schema = api_szef.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/customers/bulk/"]["post"]
    assert "10,000" in operation["description"]
    body = schema["components"]["schemas"]["BulkRequestRequest"]
    assert "filter" in body["properties"]
    assert "At most 10000 records" in body["x-rules"]["filter"]


def test_a_restricted_pracownik_filter_set_leaves_out_colleagues_records(
    api_restricted_pracownik, restricted_pracownik, szef, in_a
):
    with in_a():
        status = CustomerStatusFactory()
        own = [CustomerFactory(owner=restricted_pracownik, status=status).pk for _ in range(2)]
        hidden = CustomerFactory(owner=szef, status=status).pk

    response = _post(
        api_restricted_pracownik,
        "/api/v1/customers/bulk/",
        {"filter": {"status": status.pk}, "action": "tag_add", "tag": "moje"},
    )

    assert response.json() == {"updated": 2}
    with in_a():
        assert set(Customer.objects.filter(tags__contains=["moje"]).values_list("pk", flat=True)) == set(own)
        assert not Customer.objects.filter(pk=hidden, tags__contains=["moje"]).exists()


def test_another_companys_filter_never_reaches_this_companys_records(api_outsider, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]

    response = _post(api_outsider, "/api/v1/customers/bulk/", {"filter": {}, "action": "tag_add", "tag": "obcy"})

    assert response.status_code == 400
    assert "Żaden rekord nie pasuje" in response.json()["filter"][0]
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, tags__contains=["obcy"]).exists()


def test_a_pracownik_whose_filter_holds_a_colleagues_deal_changes_nothing(api_pracownik, pracownik, szef, in_a):
    with in_a():
        stage, target = DealStageFactory(), DealStageFactory()
        DealFactory(customer=CustomerFactory(), owner=pracownik, stage=stage)
        DealFactory(customer=CustomerFactory(), owner=szef, stage=stage)

    response = _post(
        api_pracownik, "/api/v1/deals/bulk/", {"filter": {"stage": stage.pk}, "action": "stage", "stage": target.pk}
    )

    assert response.status_code == 403
    with in_a():
        assert not Deal.objects.filter(stage=target).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"filter": {"stauts": 1}, "action": "tag_add", "tag": "x"},  # a typo must not mean "everything"
        {"filter": {"page": 2}, "action": "tag_add", "tag": "x"},
        {"filter": {"status": "abc"}, "action": "tag_add", "tag": "x"},
        {"filter": {"ordering": "shoe_size"}, "action": "tag_add", "tag": "x"},
        {"filter": {"cf_nope": "1"}, "action": "tag_add", "tag": "x"},
        {"filter": {"search": {"nested": 1}}, "action": "tag_add", "tag": "x"},
        {"filter": {"search": "a\x00b"}, "action": "tag_add", "tag": "x"},
        {"filter": "status=1", "action": "tag_add", "tag": "x"},
        {"filter": {}, "ids": [1], "action": "tag_add", "tag": "x"},
        {"filter": {}, "action": "explode"},
    ],
)
def test_a_bad_filter_is_a_clear_400_and_nothing_changes(api_szef, in_a, body):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]

    response = _post(api_szef, "/api/v1/customers/bulk/", body)

    assert response.status_code == 400, response.content
    assert set(response.json()) <= {"filter", "action"}
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, tags__contains=["x"]).exists()


def test_the_ids_contract_is_unchanged(api_szef, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
    assert _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, "action": "tag_add", "tag": "x"}).json() == {
        "updated": 2
    }
    refused = _post(api_szef, "/api/v1/customers/bulk/", {"action": "tag_add", "tag": "x"})
    assert refused.status_code == 400 and "ids" in refused.json()


# --- the list pages' action bar ---------------------------------------------------------


def test_the_bar_offers_every_matching_customer_when_the_list_has_more_than_a_page(client_a, szef, in_a):
    with in_a():
        status = CustomerStatusFactory()
        for _ in range(27):
            CustomerFactory(status=status)
        CustomerFactory()
    client_a.login_as(szef)

    html = client_a.get(f"/customers/?status={status.pk}").content.decode()
    assert 'data-testid="bulk-select-matching"' in html
    assert "Zaznacz wszystkie pasujące: 27" in html
    assert f'name="query" value="status={status.pk}"' in html

    html = client_a.get(f"/customers/?status={status.pk}&per_page=50").content.decode()
    assert 'data-testid="bulk-select-matching"' not in html  # every row is on the page


def test_the_bar_says_when_more_rows_match_than_one_action_may_change(client_a, szef, in_a, monkeypatch):
    monkeypatch.setattr("crm.bulk.templatetags.bulk_tags.MAX_MATCHING", 26)
    with in_a():
        for _ in range(27):
            CustomerFactory()
    client_a.login_as(szef)
    html = client_a.get("/customers/").content.decode()
    assert 'data-testid="bulk-select-matching"' not in html
    assert "Pasujących rekordów: 27; jednorazowo najwyżej 26. Zawęź filtry." in html


@pytest.mark.parametrize(("key", "path"), [("lead", "/leads/"), ("deal", "/deals/list/"), ("task", "/tasks/?view=all")])
def test_every_bulk_list_offers_all_matching_rows(client_a, szef, in_a, key, path):
    with in_a():
        for n in range(51):
            if key == "lead":
                lead_make(actor=szef, name=f"Lead {n}", email="")
            elif key == "deal":
                DealFactory(customer=CustomerFactory())
            else:
                TaskFactory()
    client_a.login_as(szef)
    assert "Zaznacz wszystkie pasujące: 51" in client_a.get(path).content.decode()


def test_all_matching_from_the_page_applies_to_every_page_of_the_filtered_list(client_a, szef, pracownik, in_a):
    with in_a():
        status = CustomerStatusFactory()
        matching = [CustomerFactory(status=status).pk for _ in range(30)]
        other = CustomerFactory().pk
    client_a.login_as(szef)

    response = client_a.post(
        "/bulk/customer/",
        {
            "ids": matching[:25],  # the ticked page goes along; the list's query decides
            "matching": "1",
            "query": f"status={status.pk}&page=2",
            "action": "assign",
            "owner": pracownik.pk,
            "next": f"/customers/?status={status.pk}",
        },
        follow=True,
    )

    assert "Zmieniono rekordów: 30." in response.content.decode()
    with in_a():
        assert set(Customer.objects.filter(owner=pracownik).values_list("pk", flat=True)) == set(matching)
        assert Customer.objects.get(pk=other).owner_id != pracownik.pk
        assert ActivityEntry.objects.get(code="bulk.assign").params["count"] == 30


def test_all_matching_leads_follow_the_lists_search(client_a, szef, in_a):
    with in_a():
        for name in ("Jan Kowalski", "Anna Kowalska"):
            lead_make(actor=szef, name=name, company_name="", email="")
        nowak = lead_make(actor=szef, name="Piotr Nowak", company_name="", email="")
    client_a.login_as(szef)
    client_a.post("/bulk/lead/", {"matching": "1", "query": "q=kowalsk", "action": "delete"})
    with in_a():
        assert list(Lead.objects.values_list("pk", flat=True)) == [nowak.pk]


def test_a_restricted_pracownik_all_matching_leaves_colleagues_records_alone(
    client_a, restricted_pracownik, szef, in_a
):
    with in_a():
        own = [TaskFactory(assignee=restricted_pracownik, created_by=restricted_pracownik).pk for _ in range(2)]
        theirs = TaskFactory(assignee=szef, created_by=szef, visibility="owner")
    client_a.login_as(restricted_pracownik)
    response = client_a.post(
        "/bulk/task/", {"matching": "1", "query": "view=all", "action": "done", "done": "true"}, follow=True
    )
    assert "Zmieniono rekordów: 2." in response.content.decode()
    with in_a():
        assert set(Task.objects.filter(done=True).values_list("pk", flat=True)) == set(own)
        assert not Task.objects.get(pk=theirs.pk).done


def test_a_nul_in_the_lists_query_is_refused_and_nothing_changes(client_a, szef, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
    client_a.login_as(szef)
    response = client_a.post(
        "/bulk/customer/", {"matching": "1", "query": "q=%00", "action": "tag_add", "tag": "x"}, follow=True
    )
    assert "Nieprawidłowe filtry listy" in response.content.decode()
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, tags__contains=["x"]).exists()


def test_outsider_cannot_use_all_matching_on_another_company(client_b, outsider, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
    client_b.login_as(outsider)
    response = client_b.post(
        "/bulk/customer/", {"matching": "1", "query": "", "action": "tag_add", "tag": "x"}, follow=True
    )
    assert "Żaden rekord nie pasuje" in response.content.decode()
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, tags__contains=["x"]).exists()
