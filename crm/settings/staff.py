"""Settings > Użytkownicy as services: each staff change and its activity-log entry
in one transaction, shared by the pages and /api/v1/settings/users/.

All or nothing: a change the rules refuse (the last active Szef, a hand-over to the
person leaving, the seat limit) raises StaffError and leaves every row as it was,
including the parts of the same request that came before the refused one
(a new name sent together with a refused rank is not saved either).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from crm.accounts.models import Invitation, User
from crm.accounts.services import (
    Handover,
    InvitationCreated,
    handover_summary,
    handover_types,
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
    invitation = created.invitation
    activity_record(
        actor=invited_by,
        kind=ActivityKind.STAFF,
        obj=invitation,
        code="staff.invited",
        params={"email": invitation.email, "role": invitation.role},
    )
    return created


@transaction.atomic
def staff_invitation_revoke(*, actor: User | None, invitation: Invitation) -> None:
    invitation_revoke(invitation=invitation)
    activity_record(actor=actor, kind=ActivityKind.STAFF, obj=invitation, code="staff.invitation_revoked")


@transaction.atomic
def staff_role_change(*, actor: User | None, person: User, role: str) -> User:
    old = person.role
    changed = user_role_change(user=person, role=role)
    if old != changed.role:
        params = {"from": old, "to": changed.role}
        activity_record(actor=actor, kind=ActivityKind.STAFF, obj=changed, code="staff.role_changed", params=params)
    return changed


@transaction.atomic
def staff_deactivate(*, actor: User | None, person: User, handover: Mapping[str, User | None]) -> Handover:
    """Deactivate `person`, hand their records over ({"customers": someone, ...}) and log it."""
    moved = user_deactivate(user=person, handover=handover)
    activity_record(
        actor=actor,
        kind=ActivityKind.STAFF,
        obj=person,
        code="staff.deactivated",
        params={"moved": handover_summary(moved, handover)},
    )
    return moved


@transaction.atomic
def staff_reactivate(*, actor: User | None, person: User) -> User:
    was_active = User.objects.filter(pk=person.pk, is_active=True).exists()
    user = user_reactivate(user=person)
    if not was_active:
        activity_record(actor=actor, kind=ActivityKind.STAFF, obj=user, code="staff.reactivated")
    return user


@transaction.atomic
def staff_update(
    *,
    actor: User | None,
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
        person = staff_role_change(actor=actor, person=person, role=role)
    if is_active is False and person.is_active:
        staff_deactivate(actor=actor, person=person, handover={t.key_plural: reassign_to for t in handover_types()})
    elif is_active is True and not person.is_active:
        staff_reactivate(actor=actor, person=person)
    return User.objects.get(pk=person.pk)
