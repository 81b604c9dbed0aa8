"""The JSON endpoint behind "Pobierz dane z GUS" on the customer and lead forms:
`GET /customers/registry/?nip=...` (signed-in staff) answers the company's data from the
configured register (crm.contacts.registers), 404 when none is configured. What the
forms have no field for (REGON-14, legal form, start date, main PKD) comes as `details`
(label, value) shown under the button; `warning` says the GUS full report failed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.common.ratelimit import window_hit
from crm.common.types import AuthedRequest
from crm.contacts.registers import (
    FULL_REPORT_FAILED,
    CompanyData,
    RegistryError,
    registry_client,
    registry_nip_clean,
)

LIMIT = (30, 60)  # lookups per person a minute: the register is a shared public service


@login_required
@require_GET
def registry_lookup(request: AuthedRequest) -> JsonResponse:
    client = registry_client()
    if client is None:
        raise Http404
    nip = registry_nip_clean(request.GET.get("nip", ""))
    if nip is None:
        return JsonResponse({"ok": False, "error": _("Podaj poprawny NIP (10 cyfr).")}, status=400)
    if not window_hit("registry_lookup", str(request.user.pk), LIMIT):
        return JsonResponse({"ok": False, "error": _("Zbyt wiele zapytań. Spróbuj za minutę.")}, status=429)
    try:
        found = client.lookup(nip)
    except RegistryError:
        return JsonResponse({"ok": False, "error": _("Rejestr nie odpowiada. Spróbuj później.")}, status=502)
    if found is None:
        return JsonResponse({"ok": False, "error": _("Nie znaleziono firmy o tym NIP.")}, status=404)
    company = found.as_dict()
    company.pop("warning")  # a code; what people read is below
    if found.warning == FULL_REPORT_FAILED:
        company["warning"] = _("Pełny raport GUS jest niedostępny — uzupełniono tylko podstawowe dane.")
    return JsonResponse({"ok": True, "company": company, "details": _details(found)})


def _details(found: CompanyData) -> list[list[str]]:
    pkd = " ".join(part for part in (found.pkd_code, found.pkd_name) if part)
    rows = [
        (_("REGON"), found.regon14 or found.regon),
        (_("Forma prawna"), found.legal_form),
        (_("Data rozpoczęcia działalności"), found.start_date),
        (_("Główny PKD"), pkd),
    ]
    return [[str(label), value] for label, value in rows if value]
