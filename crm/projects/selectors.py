"""Reads of projects: who sees and changes which project, the list, the card's figures.

`projects_visible_to(user)` is the one visibility rule (pages, API, tasks, notes, search,
time tracking): Szef and Kierownik see every project; a Pracownik the projects he owns or
is a member of, and when Szef restricted Pracownik to their own customers, only those of
them whose customer he sees too. Szef, Kierownik and the project's owner change a project;
its Pracownik members may add tasks to it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager, sees_everything
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.contacts.selectors import customers_visible_to
from crm.projects.models import Milestone, Project


def projects_visible_to(user: User | AnonymousUser) -> QuerySet[Project]:
    projects = Project.objects.all()
    if not isinstance(user, User) or not user.is_authenticated:
        return projects.none()
    if is_manager(user):
        return projects
    membership = Project.members.through.objects.filter(project_id=OuterRef("pk"), user_id=user.pk)
    projects = projects.filter(Q(owner_id=user.pk) | Exists(membership))
    if not sees_everything(user):
        projects = projects.filter(customer__in=customers_visible_to(user, everything=False))
    return projects


def milestones_visible_to(user: User | AnonymousUser) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project__in=projects_visible_to(user))


def project_may_change(user: User | AnonymousUser, project: Project) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_manager(user) or (project.owner_id is not None and project.owner_id == user.pk)


def project_change_check(user: User | AnonymousUser, project: Project) -> None:
    if not project_may_change(user, project):
        raise PermissionDenied(_("Zmieniać projekt może jego opiekun, Kierownik albo Szef."))


def project_may_add_tasks(user: User | AnonymousUser, project: Project) -> bool:
    """Whoever changes the project, and its members."""
    if project_may_change(user, project):
        return True
    return bool(getattr(user, "is_authenticated", False)) and project.members.filter(pk=user.pk).exists()


def project_list(
    *,
    user: User,
    query: str = "",
    status: str = "",
    customer_id: int | None = None,
    member_id: int | None = None,
) -> QuerySet[Project]:
    projects = projects_visible_to(user)
    terms = fold_terms(query or "")
    if terms:
        projects = projects.annotate(_fold=SearchFold("name", "customer__name"))
        for term in terms:
            projects = projects.filter(_fold__contains=term)
    if status:
        projects = projects.filter(status=status)
    if customer_id:
        projects = projects.filter(customer_id=customer_id)
    if member_id:
        projects = projects.filter(Q(members__id=member_id) | Q(owner_id=member_id)).distinct()
    return with_progress(projects).select_related("customer", "owner").order_by("name", "id")


def with_progress(projects: QuerySet[Project]) -> QuerySet[Project]:
    """`tasks_total` and `tasks_done` on each project."""
    return projects.annotate(
        tasks_total=Count("tasks", distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__done=True), distinct=True),
    )


def progress_percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0
