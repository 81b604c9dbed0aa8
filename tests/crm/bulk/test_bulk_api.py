"""POST /api/v1/{customers,leads,deals,tasks}/bulk/: one action on many records, all or
nothing, by the rules of the single record (visibility, rank, delete permission)."""

from __future__ import annotations

from crm.activity.models import ActivityEntry
from crm.contacts.models import Customer
from crm.leads.models import Lead, LeadStatus, LeadStatusCode
from crm.notifications.models import Notification, NotificationKind
from crm.sales.models import Deal
from crm.tasks.models import Task
from crm.trash.models import TrashEntry
from tests.crm.categories.factories import ContactGroupFactory, CustomerStatusFactory, DealStageFactory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.leads.factories import lead_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_szef_assigns_many_customers_to_a_pracownik_in_one_request_logged_once(api_szef, pracownik, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(3)]
    response = _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, "action": "assign", "owner": pracownik.pk})
    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 3}
    with in_a():
        assert set(Customer.objects.filter(pk__in=ids).values_list("owner_id", flat=True)) == {pracownik.pk}
        entries = ActivityEntry.objects.filter(code="bulk.assign")
        assert entries.count() == 1
        assert entries.get().params["count"] == 3


def test_bulk_deal_assignment_notifies_the_new_owner_per_deal(api_szef, kierownik, in_a):
    with in_a():
        deals = [DealFactory(customer=CustomerFactory()) for _ in range(2)]
    response = _post(
        api_szef, "/api/v1/deals/bulk/", {"ids": [d.pk for d in deals], "action": "assign", "owner": kierownik.pk}
    )
    assert response.json() == {"updated": 2}
    with in_a():
        assert Notification.objects.filter(recipient=kierownik, kind=NotificationKind.DEAL_ASSIGNED).count() == 2


def test_bulk_task_assignment_notifies_like_a_single_one(api_szef, pracownik, in_a):
    with in_a():
        tasks = [TaskFactory() for _ in range(2)]
    response = _post(
        api_szef, "/api/v1/tasks/bulk/", {"ids": [t.pk for t in tasks], "action": "assign", "owner": pracownik.pk}
    )
    assert response.json() == {"updated": 2}
    with in_a():
        assert set(Task.objects.values_list("assignee_id", flat=True)) == {pracownik.pk}
        assert Notification.objects.filter(recipient=pracownik, kind=NotificationKind.TASK_ASSIGNED).count() == 2


def test_customers_get_a_status_a_group_and_a_tag_and_lose_them_again(api_szef, in_a):
    with in_a():
        status, group = CustomerStatusFactory(), ContactGroupFactory()
        ids = [CustomerFactory(tags=["stary"]).pk for _ in range(2)]
    for body in (
        {"action": "status", "status": status.pk},
        {"action": "group_add", "group": group.pk},
        {"action": "tag_add", "tag": "VIP"},
        {"action": "tag_remove", "tag": "stary"},
    ):
        assert _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, **body}).json() == {"updated": 2}
    with in_a():
        for customer in Customer.objects.filter(pk__in=ids):
            assert customer.status_id == status.pk
            assert list(customer.groups.all()) == [group]
            assert customer.tags == ["vip"]
    assert _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, "action": "group_remove", "group": group.pk}).json()
    with in_a():
        assert not Customer.objects.filter(pk__in=ids, groups=group).exists()


def test_deals_move_to_a_stage_and_tasks_are_marked_done(api_szef, in_a):
    with in_a():
        stage = DealStageFactory()
        deals = [DealFactory(customer=CustomerFactory()).pk for _ in range(2)]
        tasks = [TaskFactory().pk for _ in range(2)]
    assert (
        _post(api_szef, "/api/v1/deals/bulk/", {"ids": deals, "action": "stage", "stage": stage.pk}).status_code == 200
    )
    assert _post(api_szef, "/api/v1/tasks/bulk/", {"ids": tasks, "action": "done", "done": True}).status_code == 200
    with in_a():
        assert set(Deal.objects.filter(pk__in=deals).values_list("stage_id", flat=True)) == {stage.pk}
        assert all(t.done and t.completed_at for t in Task.objects.filter(pk__in=tasks))


def test_leads_change_status_but_not_to_converted(api_szef, szef, in_a):
    with in_a():
        leads = [lead_make(actor=szef).pk for _ in range(2)]
        other = LeadStatus.objects.filter(code="").exclude(leads__pk__in=leads).first() or LeadStatus.objects.create(
            name="Kontakt nawiązany"
        )
        converted = LeadStatus.objects.get(code=LeadStatusCode.CONVERTED)
    refused = _post(api_szef, "/api/v1/leads/bulk/", {"ids": leads, "action": "status", "status": converted.pk})
    assert refused.status_code == 400
    ok = _post(api_szef, "/api/v1/leads/bulk/", {"ids": leads, "action": "status", "status": other.pk})
    assert ok.json() == {"updated": 2}
    with in_a():
        assert set(Lead.objects.filter(pk__in=leads).values_list("status_id", flat=True)) == {other.pk}


def test_bulk_delete_puts_every_record_in_the_trash(api_szef, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(3)]
    assert _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, "action": "delete"}).json() == {"updated": 3}
    with in_a():
        assert not Customer.objects.filter(pk__in=ids).exists()
        assert TrashEntry.objects.count() == 3
        assert ActivityEntry.objects.filter(code="bulk.delete").count() == 1


def test_one_customer_with_a_deal_refuses_the_whole_delete(api_szef, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
        DealFactory(customer_id=ids[1])
    response = _post(api_szef, "/api/v1/customers/bulk/", {"ids": ids, "action": "delete"})
    assert response.status_code == 400
    with in_a():
        assert Customer.objects.filter(pk__in=ids).count() == 2
        assert not TrashEntry.objects.exists()


def test_one_invisible_id_refuses_everything_and_changes_nothing(
    api_restricted_pracownik, restricted_pracownik, szef, in_a
):
    with in_a():
        own = [CustomerFactory(owner=restricted_pracownik).pk for _ in range(2)]
        hidden = CustomerFactory(owner=szef).pk
    response = _post(
        api_restricted_pracownik,
        "/api/v1/customers/bulk/",
        {"ids": [*own, hidden], "action": "tag_add", "tag": "vip"},
    )
    assert response.status_code == 400
    assert "Niczego nie zmieniono" in response.json()["ids"][0]
    with in_a():
        assert not Customer.objects.filter(tags__contains=["vip"]).exists()
        assert not ActivityEntry.objects.filter(code__startswith="bulk.").exists()


def test_another_companys_ids_are_refused(api_outsider, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
    response = _post(api_outsider, "/api/v1/customers/bulk/", {"ids": ids, "action": "tag_add", "tag": "x"})
    assert response.status_code == 400
    with in_a():
        assert not Customer.objects.filter(tags__contains=["x"]).exists()


def test_restricted_pracownik_may_assign_only_to_himself(api_restricted_pracownik, restricted_pracownik, szef, in_a):
    with in_a():
        ids = [CustomerFactory(owner=restricted_pracownik).pk]
    response = _post(
        api_restricted_pracownik, "/api/v1/customers/bulk/", {"ids": ids, "action": "assign", "owner": szef.pk}
    )
    assert response.status_code == 400
    with in_a():
        assert Customer.objects.get(pk=ids[0]).owner_id == restricted_pracownik.pk


def test_pracownik_cannot_change_a_colleagues_deal_so_nothing_changes(api_pracownik, pracownik, szef, in_a):
    with in_a():
        stage = DealStageFactory()
        mine = DealFactory(customer=CustomerFactory(), owner=pracownik)
        theirs = DealFactory(customer=CustomerFactory(), owner=szef)
    response = _post(
        api_pracownik, "/api/v1/deals/bulk/", {"ids": [mine.pk, theirs.pk], "action": "stage", "stage": stage.pk}
    )
    assert response.status_code == 403
    assert theirs.name in response.json()["detail"]
    with in_a():
        assert not Deal.objects.filter(stage=stage).exists()


def test_pracownik_deletes_customers_only_when_szef_allows_it(api_pracownik, pracownik, company_settings_a, in_a):
    with in_a():
        ids = [CustomerFactory(owner=pracownik).pk]
    company_settings_a(pracownik_may_delete=False)
    assert _post(api_pracownik, "/api/v1/customers/bulk/", {"ids": ids, "action": "delete"}).status_code == 403
    with in_a():
        assert Customer.objects.filter(pk__in=ids).exists()
    company_settings_a(pracownik_may_delete=True)
    assert _post(api_pracownik, "/api/v1/customers/bulk/", {"ids": ids, "action": "delete"}).json() == {"updated": 1}


def test_more_than_a_thousand_ids_are_refused_with_a_message(api_szef):
    response = _post(api_szef, "/api/v1/customers/bulk/", {"ids": list(range(1, 1002)), "action": "delete"})
    assert response.status_code == 400
    assert "1000" in response.json()["ids"][0]


def test_bad_input_is_a_clear_400(api_szef, in_a):
    with in_a():
        ids = [CustomerFactory().pk]
    for body in (
        {"ids": [], "action": "delete"},
        {"ids": ["abc"], "action": "delete"},
        {"ids": ids, "action": "explode"},
        {"ids": ids, "action": "assign", "owner": 999999},
        {"ids": ids, "action": "status", "status": "x"},
        {"ids": "1,2", "action": "delete"},
    ):
        response = _post(api_szef, "/api/v1/customers/bulk/", body)
        assert response.status_code == 400, body
    assert _post(api_szef, "/api/v1/customers/bulk/", [1, 2]).status_code == 400
    with in_a():
        assert Customer.objects.filter(pk__in=ids).exists()


def test_the_endpoint_needs_a_signed_in_person(client_a):
    assert client_a.post("/api/v1/customers/bulk/", {}, content_type="application/json").status_code in (401, 403, 404)
