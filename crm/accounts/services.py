"""Staff of a company: invitations, ranks, deactivation with hand-over.

Rules kept here (the UI and the API both call these functions):
- a company always keeps at least one active Szef;
- an invitation link works once and expires after `INVITATION_VALID_DAYS`;
- deactivating someone moves their customers, tasks and deals to the people Szef chose.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import INVITATION_VALID_DAYS, Invitation, Role, User
from crm.accounts.tokens import api_tokens_revoke_all
from crm.common.errors import AppError
from crm.common.records import RecordType, record_types
from tenants.limits import limit_problem


class StaffError(AppError):
    """A refusal about staff accounts; `field` names the form field to blame."""


@dataclass(frozen=True)
class InvitationCreated:
    invitation: Invitation
    token: str


# What a deactivated person hands over: {record type's key_plural: count}, for every
# registered record type with an owner (crm.common.records), e.g. {"customers": 3, ...}.
Handover = dict[str, int]


def handover_types() -> list[RecordType]:
    return [t for t in record_types() if t.owner_field]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _last_szef_guard(user: User) -> None:
    """Refuse when `user` is the only active Szef (rows locked against a concurrent change)."""
    if user.role != Role.SZEF or not user.is_active:
        return
    active_szefs = list(
        User.objects.select_for_update().filter(role=Role.SZEF, is_active=True).values_list("pk", flat=True)
    )
    if [pk for pk in active_szefs if pk != user.pk]:
        return
    raise StaffError(
        _(
            "%(name)s jest jedynym aktywnym Szefem firmy. Najpierw nadaj rangę Szef innej osobie — "
            "firma zawsze musi mieć co najmniej jednego aktywnego Szefa."
        )
        % {"name": user}
    )


# --- invitations ------------------------------------------------------------------


def invitation_create(*, email: str, role: str, invited_by: User | None, name: str = "") -> InvitationCreated:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise StaffError(_("Podaj poprawny adres e-mail."), field="email") from exc
    if role not in Role.values:
        raise StaffError(_("Wybierz rangę z listy."), field="role")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.is_active:
            raise StaffError(_("Ta osoba ma już konto w firmie."), field="email")
        raise StaffError(
            _("Ta osoba ma nieaktywne konto w firmie — przywróć je na liście użytkowników zamiast zapraszać."),
            field="email",
        )
    problem = limit_problem("seats")
    if problem:
        raise StaffError(problem)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # A new invitation replaces any pending one for the same address.
        Invitation.objects.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            name=(name or "").strip()[:150],
            role=role,
            token_hash=token_hash(token),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        )
    return InvitationCreated(invitation=invitation, token=token)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a link (pending, used or expired), or None for an unknown link."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.filter(token_hash=token_hash(token)).first()


def invitation_problem(invitation: Invitation) -> str | None:
    """Why the link cannot be used any more, or None."""
    if invitation.accepted_at is not None:
        return _("To zaproszenie zostało już wykorzystane. Zaloguj się albo poproś Szefa o nowe.")
    if invitation.revoked_at is not None:
        return _("To zaproszenie zostało anulowane. Poproś Szefa o nowe.")
    if invitation.expires_at <= timezone.now():
        return _("To zaproszenie wygasło. Poproś Szefa o nowe.")
    return None


def invitation_accept(*, token: str, password: str, name: str = "") -> User:
    """Create the invited person's account; the link cannot be used again."""
    with transaction.atomic():
        found = invitation_for_token(token)
        if found is None:
            raise StaffError(_("Nieprawidłowy link zaproszenia."))
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        problem = invitation_problem(invitation)
        if problem:
            raise StaffError(problem)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise StaffError(_("Konto z tym adresem e-mail już istnieje. Zaloguj się."))
        user = User(email=invitation.email, name=(name or invitation.name).strip()[:150], role=invitation.role)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise StaffError(" ".join(exc.messages), field="password1") from exc
        user.set_password(password)
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    return user


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


# --- ranks and deactivation ---------------------------------------------------------


def user_role_change(*, user: User, role: str) -> User:
    if role not in Role.values:
        raise StaffError(_("Wybierz rangę z listy."), field="role")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.role == role:
            return user
        if role != Role.SZEF:
            _last_szef_guard(user)
        user.role = role
        user.save(update_fields=["role"])
    return user


def user_handover_counts(*, user: User) -> Handover:
    return {
        t.key_plural: t.model._default_manager.filter(**{t.owner_field or "": user}).count() for t in handover_types()
    }


def handover_summary(moved: Handover, targets: Mapping[str, User | None]) -> str:
    """ "Klienci: 3 (do Anna), Zadania: 1 (do Piotr)" for the activity log."""
    return ", ".join(
        f"{t.label_plural}: {moved.get(t.key_plural, 0)} ({_('do')} {targets.get(t.key_plural) or '—'})"
        for t in handover_types()
    )


def _handover_target(target: User | None, user: User, what: str) -> User:
    if target is None:
        raise StaffError(_("Wskaż osobę, która przejmie: %(what)s.") % {"what": what})
    if target.pk == user.pk or not target.is_active:
        raise StaffError(_("Przejąć (%(what)s) może tylko inna, aktywna osoba.") % {"what": what})
    return target


def user_deactivate(*, user: User, handover: Mapping[str, User | None]) -> Handover:
    """Deactivate `user` and move their records to the people named in `handover`
    ({"customers": person, "deals": person, ...}, one per type from `handover_types()`
    of which the person has records); returns how many of each moved."""

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise StaffError(_("To konto jest już nieaktywne."))
        _last_szef_guard(user)
        counts = user_handover_counts(user=user)
        # A taker is needed only for the kinds of records the person has.
        targets = {
            t.key_plural: _handover_target(handover.get(t.key_plural), user, str(t.handover_label))
            for t in handover_types()
            if counts[t.key_plural] or handover.get(t.key_plural) is not None
        }
        moved: Handover = {
            t.key_plural: t.model._default_manager.filter(**{t.owner_field or "": user}).update(
                **{t.owner_field or "": targets[t.key_plural]}
            )
            if t.key_plural in targets
            else 0
            for t in handover_types()
        }
        user.is_active = False
        user.save(update_fields=["is_active"])
        api_tokens_revoke_all(user=user)
    return moved


def user_reactivate(*, user: User) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return user
        problem = limit_problem("seats")
        if problem:
            raise StaffError(problem)
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def user_name_change(*, user: User, name: str) -> User:
    user.name = (name or "").strip()[:150]
    user.save(update_fields=["name"])
    return user
