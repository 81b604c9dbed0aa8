"""Settings > Użytkownicy as services: each staff change and its activity-log entry
in one transaction, shared by the pages and /api/v1/settings/users/.

All or nothing: a change the rules refuse (the last active Szef, a hand-over to the
person leaving, the seat limit) raises StaffError and leaves every row as it was,
including the parts of the same request that came before the refused one
(a new name sent together with a refused rank is not saved either).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import Invitation, User
from crm.accounts.services import (
    Handover,
    InvitationCreated,
    invitation_create,
    invitation_revoke,
    user_deactivate,
    user_name_change,
    user_reactivate,
    user_role_change,
)
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record


@transaction.atomic
def staff_invite(*, email: str, role: str, name: str, invited_by: User | None) -> InvitationCreated:
    created = invitation_create(email=email, role=role, name=name, invited_by=invited_by)
    activity_record(
        kind=ActivityKind.STAFF,
        obj=created.invitation,
        message=_("Zaproszono %(email)s (ranga: %(role)s).")
        % {"email": created.invitation.email, "role": created.invitation.get_role_display()},
    )
    return created


@transaction.atomic
def staff_invitation_revoke(*, invitation: Invitation) -> None:
    invitation_revoke(invitation=invitation)
    activity_record(kind=ActivityKind.STAFF, obj=invitation, message=_("Anulowano zaproszenie."))


@transaction.atomic
def staff_role_change(*, person: User, role: str) -> User:
    old = person.get_role_display()
    changed = user_role_change(user=person, role=role)
    if old != changed.get_role_display():
        activity_record(
            kind=ActivityKind.STAFF,
            obj=changed,
            message=_("Zmieniono rangę z %(old)s na %(new)s.") % {"old": old, "new": changed.get_role_display()},
        )
    return changed


@transaction.atomic
def staff_deactivate(
    *, person: User, customers_to: User | None, tasks_to: User | None, deals_to: User | None
) -> Handover:
    moved = user_deactivate(user=person, customers_to=customers_to, tasks_to=tasks_to, deals_to=deals_to)
    activity_record(
        kind=ActivityKind.STAFF,
        obj=person,
        message=_(
            "Dezaktywowano konto. Przeniesiono klientów: %(c)s (do %(cu)s), zadania: %(t)s (do %(tu)s), "
            "szanse: %(d)s (do %(du)s)."
        )
        % {
            "c": moved.customers,
            "cu": customers_to,
            "t": moved.tasks,
            "tu": tasks_to,
            "d": moved.deals,
            "du": deals_to,
        },
    )
    return moved


@transaction.atomic
def staff_reactivate(*, person: User) -> User:
    was_active = User.objects.filter(pk=person.pk, is_active=True).exists()
    user = user_reactivate(user=person)
    if not was_active:
        activity_record(kind=ActivityKind.STAFF, obj=user, message=_("Przywrócono konto."))
    return user


@transaction.atomic
def staff_update(
    *,
    person: User,
    name: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    reassign_to: User | None = None,
) -> User:
    """Change any of name, rank and active state at once (the API's PUT/PATCH); the
    work of a deactivated person goes to `reassign_to`. Nothing is saved unless every
    part is allowed."""
    if name is not None and name != person.name:
        user_name_change(user=person, name=name)
    if role is not None and role != person.role:
        person = staff_role_change(person=person, role=role)
    if is_active is False and person.is_active:
        staff_deactivate(person=person, customers_to=reassign_to, tasks_to=reassign_to, deals_to=reassign_to)
    elif is_active is True and not person.is_active:
        staff_reactivate(person=person)
    return User.objects.get(pk=person.pk)
