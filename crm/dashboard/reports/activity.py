"""User activity: tasks done, deals won, notes added per user."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.dashboard.reports.base import ACTIVITY_COLUMNS, Report, ReportFilters, ReportSection, Row
from crm.dashboard.selectors import Scope, won_q
from crm.notes.models import Note


def user_activity(scope: Scope, filters: ReportFilters) -> Report:
    """Per user: tasks done (by completion time), deals won (by close time), notes
    added (by author). A Pracownik under the visibility restriction sees only their own row."""
    user_id = filters.user_id if scope.everything else scope.user.pk
    tasks = scope.tasks.order_by().filter(done=True).filter(filters.in_range("completed_at"))
    deals = scope.deals.order_by().filter(won_q()).filter(filters.in_range("closed_at"))
    notes = Note.objects.order_by().filter(filters.in_range("created_at"))
    if not scope.everything:
        notes = notes.filter(author_id=scope.user.pk)
    if user_id:
        tasks, deals, notes = (
            tasks.filter(assignee_id=user_id),
            deals.filter(owner_id=user_id),
            notes.filter(author_id=user_id),
        )
    if filters.group_id:
        tasks = tasks.filter(customer__groups=filters.group_id)
        deals = deals.filter(customer__groups=filters.group_id)
        notes = notes.filter(customer__groups=filters.group_id)
    figures: dict[int, dict[str, int]] = {}
    for key, qs, by in (
        ("tasks_done", tasks, "assignee_id"),
        ("deals_won", deals, "owner_id"),
        ("notes_added", notes, "author_id"),
    ):
        # Count("*"): the covering indexes of migration 0003 hold no id.
        for row in qs.exclude(**{f"{by}__isnull": True}).values(by).annotate(n=Count("*")):
            figures.setdefault(row[by], {"tasks_done": 0, "deals_won": 0, "notes_added": 0})[key] = row["n"]
    people = User.objects.filter(Q(pk__in=list(figures)) | Q(is_active=True))
    if user_id:
        people = people.filter(pk=user_id)
    rows: list[Row] = [
        {
            "section": "user",
            "user_id": person.pk,
            "label": str(person),
            **figures.get(person.pk, {"tasks_done": 0, "deals_won": 0, "notes_added": 0}),
        }
        for person in people.order_by("name", "email")
    ]
    rows.sort(key=lambda r: (-(r["tasks_done"] + r["deals_won"] + r["notes_added"]), r["label"]))
    return Report(
        name="user-activity",
        title=gettext_lazy("Aktywność użytkowników"),
        columns=ACTIVITY_COLUMNS,
        sections=[ReportSection("user", _("Aktywność wg użytkownika"), rows)],
    )
