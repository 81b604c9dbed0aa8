"""Settings writes are all or nothing: a change the rules refuse, or whose later step
fails in the database, leaves every row as it was (staff, invitations, categories,
company data), and its activity-log entry is part of the same transaction."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django_tenants.utils import schema_context
from PIL import Image

from crm.accounts.models import Invitation, Role, User
from crm.accounts.services import handover_types, invitation_accept, invitation_create
from crm.activity.models import ActivityEntry, ActivityKind
from crm.categories.models import CustomerStatus
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.settings.categories import category_delete
from crm.settings.services import company_info_save, company_settings_fresh
from crm.settings.staff import staff_deactivate
from tenants.models import Company
from tests.crm.contacts.factories import CustomerFactory
from tests.support.refuse import db_refuses


def _staff_entries(company) -> int:
    with schema_context(company.schema_name):
        return ActivityEntry.objects.filter(kind=ActivityKind.STAFF).count()


def _put(client, user, data):
    return client.put(f"/api/v1/settings/users/{user.pk}/", json.dumps(data), content_type="application/json")


def _patch(client, user, data):
    return client.patch(f"/api/v1/settings/users/{user.pk}/", json.dumps(data), content_type="application/json")


# --- staff -------------------------------------------------------------------------------


def test_api_put_of_a_new_name_with_a_refused_rank_for_the_only_szef_saves_neither(client_a, szef, company_a):
    response = _put(client_a.login_as(szef), szef, {"name": "Zupełnie Nowe Imię", "role": "pracownik"})

    assert response.status_code == 400
    assert "jedynym aktywnym Szefem" in response.content.decode()
    with schema_context(company_a.schema_name):
        stored = User.objects.get(pk=szef.pk)
        assert (stored.name, stored.role) == ("Anna Szef", Role.SZEF)
    assert _staff_entries(company_a) == 0


def test_api_patch_renaming_and_deactivating_the_only_szef_changes_nothing(client_a, szef, pracownik, company_a):
    response = _patch(
        client_a.login_as(szef), szef, {"name": "Inne Imię", "is_active": False, "reassign_to": pracownik.pk}
    )

    assert response.status_code == 400
    with schema_context(company_a.schema_name):
        stored = User.objects.get(pk=szef.pk)
        assert (stored.name, stored.is_active) == ("Anna Szef", True)


def test_api_rank_change_is_undone_when_the_hand_over_in_the_same_request_is_refused(
    client_a, szef, pracownik, company_a
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Klient Piotra", owner=pracownik)

    response = _patch(
        client_a.login_as(szef),
        pracownik,
        {"name": "Piotr P.", "role": "kierownik", "is_active": False, "reassign_to": pracownik.pk},
    )

    assert response.status_code == 400
    assert "inna, aktywna osoba" in response.content.decode()
    with schema_context(company_a.schema_name):
        stored = User.objects.get(pk=pracownik.pk)
        assert (stored.name, stored.role, stored.is_active) == ("Piotr Pracownik", Role.PRACOWNIK, True)
        assert Customer.objects.get(pk=customer.pk).owner_id == pracownik.pk
    assert _staff_entries(company_a) == 0


def test_api_change_of_name_rank_and_state_together_is_saved_and_logged(client_a, szef, pracownik, company_a):
    response = _patch(client_a.login_as(szef), pracownik, {"name": "Piotr P.", "role": "kierownik"})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["role"]) == ("Piotr P.", "kierownik")
    assert _staff_entries(company_a) == 1


def test_deactivation_moves_no_work_when_its_log_entry_cannot_be_written(szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Klient Piotra", owner=pracownik)
        db_refuses(company_a.schema_name, "activity_activityentry")

        with pytest.raises(DatabaseError):
            staff_deactivate(actor=szef, person=pracownik, handover={t.key_plural: szef for t in handover_types()})

        assert Customer.objects.get(pk=customer.pk).owner_id == pracownik.pk
        assert User.objects.get(pk=pracownik.pk).is_active


# --- invitations -------------------------------------------------------------------------


def test_a_new_invitation_that_cannot_be_stored_leaves_the_pending_one_usable(szef, company_a):
    with schema_context(company_a.schema_name):
        first = invitation_create(email="nowa@alfa.test", role=Role.PRACOWNIK, invited_by=szef)
        db_refuses(company_a.schema_name, "accounts_invitation", "INSERT")

        with pytest.raises(DatabaseError):
            invitation_create(email="nowa@alfa.test", role=Role.KIEROWNIK, invited_by=szef)

        assert Invitation.objects.get(pk=first.invitation.pk).is_pending


def test_accepting_an_invitation_creates_no_account_when_the_link_cannot_be_marked_used(szef, company_a):
    with schema_context(company_a.schema_name):
        created = invitation_create(email="nowa@alfa.test", role=Role.PRACOWNIK, invited_by=szef)
        db_refuses(company_a.schema_name, "accounts_invitation", "UPDATE")

        with pytest.raises(DatabaseError):
            invitation_accept(token=created.token, password="Dobre-haslo-2024", name="Nowa Osoba")

        assert not User.objects.filter(email="nowa@alfa.test").exists()


# --- categories --------------------------------------------------------------------------


def test_deleting_a_category_in_use_moves_no_record_when_the_deletion_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        old, new = CustomerStatus.objects.order_by("locked", "position")[:2]
        customers = [CustomerFactory(name=f"Klient {i}", status=old) for i in range(3)]
        db_refuses(company_a.schema_name, "categories_customerstatus", "DELETE")

        with pytest.raises(DatabaseError):
            category_delete(actor=szef, category=old, move_to=new)

        assert CustomerStatus.objects.filter(pk=old.pk).exists()
        assert set(Customer.objects.filter(pk__in=[c.pk for c in customers]).values_list("status", flat=True)) == {
            old.pk
        }


def test_api_delete_of_a_category_in_use_without_a_target_is_refused_and_changes_nothing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        status = CustomerStatus.objects.order_by("locked", "position").first()
        CustomerFactory(name="Klient", status=status)

    response = client_a.login_as(szef).delete(f"/api/v1/settings/customer-statuses/{status.pk}/")

    assert response.status_code == 409
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(name="Klient").status_id == status.pk
        assert not ActivityEntry.objects.filter(kind=ActivityKind.DELETE).exists()


def test_category_deletion_and_its_log_entry_are_written_together(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        old, new = CustomerStatus.objects.order_by("locked", "position")[:2]
        CustomerFactory(name="Klient", status=old)

    response = client_a.login_as(szef).delete(f"/api/v1/settings/customer-statuses/{old.pk}/?move_to={new.pk}")

    assert response.status_code == 204
    with schema_context(company_a.schema_name):
        entry = ActivityEntry.objects.get(kind=ActivityKind.DELETE, object_id=str(old.pk))
        assert new.name in entry.message


# --- company data ------------------------------------------------------------------------


def _png(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_company_data_and_logo_stay_as_they_were_when_the_company_name_cannot_be_saved(company_a):
    with schema_context(company_a.schema_name):
        obj = company_settings_fresh()
        company_info_save(
            actor=None, obj=obj, fields=["city"], name="Alfa Sp. z o.o.", upload=_png("red"), remove=False
        )
        before = CompanySettings.objects.get(pk=1)
        db_refuses("public", "tenants_company", "UPDATE")

        obj = company_settings_fresh()
        obj.city = "Gdańsk"
        with pytest.raises(DatabaseError):
            company_info_save(
                actor=None, obj=obj, fields=["city"], name="Nowa Nazwa", upload=_png("blue"), remove=False
            )

        stored = CompanySettings.objects.get(pk=1)
        assert stored.city == before.city
        assert stored.logo.name == before.logo.name
        with stored.logo.open("rb") as handle:  # the old file was not removed
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert Company.objects.get(pk=company_a.pk).name == "Alfa Sp. z o.o."
