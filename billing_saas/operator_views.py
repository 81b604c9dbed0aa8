"""The operator console on the public host: companies, totals, actions, audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from billing_saas import operator_services as ops
from billing_saas.exports import export_open
from billing_saas.lifecycle import account_for, plan_for, status_effective, trial_days_left
from billing_saas.maintenance import ANALYZE, VACUUM, company_storage, schema_maintenance_request
from billing_saas.manual_payments import manual_payment_record
from billing_saas.models import (
    CompanyExport,
    DeletionSchedule,
    OperatorAction,
    OperatorAuditEntry,
    Plan,
    ServiceEmailKind,
    ServiceEmailTemplate,
)
from billing_saas.operator_access import operator_required
from billing_saas.selectors import company_list, company_mrr, company_usage, totals
from billing_saas.service_mail import FIELDS, LANGUAGES, builtin_text
from crm.accounts.models import User
from crm.common.errors import form_apply_error
from crm.common.types import AuthedRequest
from crm.company.mail_templates import placeholders_check
from tenants.models import Company, CompanyStatus
from tenants.urls_helpers import company_url

STATUS_FILTERS = [s for s in CompanyStatus.choices if s[0] != CompanyStatus.POOL]


class ReasonForm(forms.Form):
    small = True  # compact fields in the console's side panels (crm.common.forms)
    reason = forms.CharField(
        label=gettext_lazy("Powód (trafi do dziennika)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Podaj powód: trafi do dziennika operatora.")},
    )


class ExtendTrialForm(ReasonForm):
    days = forms.IntegerField(
        label=gettext_lazy("O ile dni"),
        min_value=1,
        max_value=ops.MAX_TRIAL_EXTENSION_DAYS,
        initial=7,
    )
    field_order = ["days", "reason"]


class ChangePlanForm(ReasonForm):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        label=gettext_lazy("Nowy plan"),
        empty_label=gettext_lazy("Wybierz plan…"),
        error_messages={"required": gettext_lazy("Wybierz plan.")},
    )
    field_order = ["plan", "reason"]


class ManualPaymentForm(ChangePlanForm):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        label=gettext_lazy("Opłacony plan"),
        empty_label=gettext_lazy("Wybierz plan…"),
        error_messages={"required": gettext_lazy("Wybierz plan.")},
    )
    paid_until = forms.DateField(
        label=gettext_lazy("Opłacone do (włącznie)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Podaj, do kiedy okres jest opłacony.")},
    )
    reference = forms.CharField(label=gettext_lazy("Numer faktury pro forma"), max_length=100, required=False)
    field_order = ["plan", "paid_until", "reference", "reason"]


def _company(pk: int) -> Company:
    return get_object_or_404(Company.objects.real(), pk=pk)


@operator_required
def console(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    plan = request.GET.get("plan", "")
    page = Paginator(company_list(q=q, status=status, plan=plan), 50).get_page(request.GET.get("page"))
    plans = {p.pk: p for p in Plan.objects.all()}
    usage = company_usage(c.schema_name for c in page.object_list)
    rows = [
        {
            "company": c,
            "status": status_effective(c),
            "plan": plans.get(c.plan_id) if c.plan_id else None,
            "mrr": company_mrr(c, plans),
            "usage": usage.get(c.schema_name),
        }
        for c in page.object_list
    ]
    summary = totals()
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "status": status,
        "plan_filter": plan,
        "plans": plans.values(),
        "statuses": [(value, label, summary.by_status.get(value, 0)) for value, label in STATUS_FILTERS],
        "totals": summary,
    }
    return render(request, "billing_saas/operator/console.html", context)


@operator_required
def company_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    company = _company(pk)
    return render(request, "billing_saas/operator/company.html", _detail_context(company))


def _detail_context(company: Company, **forms_: Any) -> dict[str, Any]:
    return {
        "company": company,
        "status": status_effective(company),
        "days_left": trial_days_left(company),
        "account": account_for(company),
        "plan": plan_for(company),
        "usage": company_usage([company.schema_name]).get(company.schema_name),
        "storage": company_storage(company),
        "url": company_url(company.subdomain or ""),
        "deletion": DeletionSchedule.objects.filter(company=company, cancelled_at=None, done_at=None).first(),
        "exports": CompanyExport.objects.filter(company=company)[:10],
        "audit": OperatorAuditEntry.objects.filter(company=company)[:50],
        "extend_form": forms_.get("extend_form") or ExtendTrialForm(),
        "plan_form": forms_.get("plan_form") or ChangePlanForm(initial={"plan": company.plan_id}),
        "paid_form": forms_.get("paid_form") or ManualPaymentForm(initial={"plan": company.plan_id}),
        "reason_form": forms_.get("reason_form") or ReasonForm(),
        "failed_action": forms_.get("failed_action", ""),
    }


def _action(
    form_class: type[ReasonForm], form_key: str, run: Callable[[Company, Any, dict[str, Any]], str]
) -> Callable[..., HttpResponseBase]:
    """A POST action on a company: validate, run, message, back to the company page."""

    @require_POST
    @operator_required
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        company = _company(pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                messages.success(request, run(company, request.user, form.cleaned_data))
                return redirect("operator:company", pk=company.pk)
            except ops.OperatorError as exc:
                form_apply_error(form, exc)
        context = _detail_context(company, **{form_key: form, "failed_action": request.resolver_match.url_name})  # type: ignore[union-attr]
        return render(request, "billing_saas/operator/company.html", context, status=400)

    return view


def _extend(company: Company, operator: User, data: dict[str, Any]) -> str:
    end = ops.trial_extend(company=company, operator=operator, days=data["days"], reason=data["reason"])
    return _("Okres próbny przedłużony do %(date)s.") % {"date": date_format(localtime(end), "SHORT_DATETIME_FORMAT")}


def _plan(company: Company, operator: User, data: dict[str, Any]) -> str:
    ops.plan_change(company=company, operator=operator, plan=data["plan"], reason=data["reason"])
    return _("Plan zmieniony na %(plan)s.") % {"plan": data["plan"].name}


def _paid(company: Company, operator: User, data: dict[str, Any]) -> str:
    manual_payment_record(
        company=company,
        operator=operator,
        plan=data["plan"],
        paid_until=data["paid_until"],
        reference=data["reference"],
        reason=data["reason"],
    )
    return _("Płatność zapisana: plan %(plan)s opłacony do %(date)s.") % {
        "plan": data["plan"].name,
        "date": data["paid_until"].isoformat(),
    }


def _suspend(company: Company, operator: User, data: dict[str, Any]) -> str:
    ops.company_suspend(company=company, operator=operator, reason=data["reason"])
    return _("Firma zawieszona.")


def _reactivate(company: Company, operator: User, data: dict[str, Any]) -> str:
    status = ops.company_reactivate(company=company, operator=operator, reason=data["reason"])
    return _("Zawieszenie zdjęte. Status firmy: %(status)s.") % {"status": CompanyStatus(status).label}


def _export(company: Company, operator: User, data: dict[str, Any]) -> str:
    ops.export_request(company=company, operator=operator, reason=data["reason"])
    return _("Eksport zlecony. Plik pojawi się na liście, gdy będzie gotowy.")


def _schedule(company: Company, operator: User, data: dict[str, Any]) -> str:
    schedule = ops.deletion_schedule(company=company, operator=operator, reason=data["reason"])
    return _("Usunięcie zaplanowane na %(date)s. Firma jest zawieszona, eksport jest przygotowywany.") % {
        "date": date_format(localtime(schedule.delete_after), "SHORT_DATE_FORMAT")
    }


def _cancel(company: Company, operator: User, data: dict[str, Any]) -> str:
    schedule = DeletionSchedule.objects.filter(company=company, cancelled_at=None, done_at=None).first()
    if schedule is None:
        raise ops.OperatorError(_("Ta firma nie ma zaplanowanego usunięcia."))
    status = ops.deletion_cancel(schedule=schedule, operator=operator, reason=data["reason"])
    return _("Usunięcie anulowane. Status firmy: %(status)s.") % {"status": CompanyStatus(status).label}


def _analyze(company: Company, operator: User, data: dict[str, Any]) -> str:
    schema_maintenance_request(company=company, operator=operator, mode=ANALYZE, reason=data["reason"])
    return _("ANALYZE schematu zlecone. Wynik pojawi się w dzienniku operatora.")


def _vacuum(company: Company, operator: User, data: dict[str, Any]) -> str:
    schema_maintenance_request(company=company, operator=operator, mode=VACUUM, reason=data["reason"])
    return _("VACUUM (ANALYZE) schematu zlecone. Wynik pojawi się w dzienniku operatora.")


extend_trial = _action(ExtendTrialForm, "extend_form", _extend)
change_plan = _action(ChangePlanForm, "plan_form", _plan)
mark_paid = _action(ManualPaymentForm, "paid_form", _paid)
suspend = _action(ReasonForm, "reason_form", _suspend)
reactivate = _action(ReasonForm, "reason_form", _reactivate)
export = _action(ReasonForm, "reason_form", _export)
schedule_deletion = _action(ReasonForm, "reason_form", _schedule)
cancel_deletion = _action(ReasonForm, "reason_form", _cancel)
analyze_schema = _action(ReasonForm, "reason_form", _analyze)
vacuum_schema = _action(ReasonForm, "reason_form", _vacuum)


@operator_required
def export_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    export = get_object_or_404(CompanyExport, pk=pk, status=CompanyExport.Status.READY)
    handle = export_open(export)
    if handle is None:
        raise Http404
    ops.audit(
        operator=request.user,
        company=export.company,
        company_name=export.company_name,
        schema_name=export.schema_name,
        action=OperatorAction.EXPORT_DOWNLOAD,
        reason=_("pobranie pliku eksportu"),
        details={"export_id": export.pk, "file": export.file_name},
    )
    name = export.file_name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


@operator_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    entries = OperatorAuditEntry.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(company_name__icontains=q) | entries.filter(operator_email__icontains=q)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "billing_saas/operator/audit.html", {"page": page, "q": q})


class ServiceEmailForm(forms.ModelForm):
    class Meta:
        model = ServiceEmailTemplate
        fields = ("subject_pl", "body_pl", "subject_en", "body_en")
        widgets = {"body_pl": forms.Textarea(attrs={"rows": 14}), "body_en": forms.Textarea(attrs={"rows": 14})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in self.Meta.fields:
            try:
                placeholders_check(str(data.get(field) or ""), FIELDS, field=field)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


def _service_kind(kind: str) -> ServiceEmailKind:
    try:
        return ServiceEmailKind(kind)
    except ValueError:
        raise Http404 from None


@operator_required
def service_emails(request: AuthedRequest) -> HttpResponse:
    edited = {t.kind: t for t in ServiceEmailTemplate.objects.all()}
    rows = [{"kind": kind, "label": label, "edited": edited.get(kind)} for kind, label in ServiceEmailKind.choices]
    return render(request, "billing_saas/operator/service_emails.html", {"rows": rows})


@operator_required
def service_email_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    """The operator's text of one service e-mail; the form starts from the built-in text."""
    service_kind = _service_kind(kind)
    template = ServiceEmailTemplate.objects.filter(kind=service_kind).first()
    initial: dict[str, str] = {}
    if template is None:
        for language in LANGUAGES:
            initial[f"subject_{language}"], initial[f"body_{language}"] = builtin_text(service_kind, language)
    form = ServiceEmailForm(request.POST or None, instance=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.kind = service_kind
        saved.updated_by_email = request.user.email
        saved.save()
        ops.audit(
            operator=request.user,
            company=None,
            action=OperatorAction.SERVICE_EMAIL,
            reason=_("zapisano tekst e-maila: %(kind)s") % {"kind": service_kind.label},
            details={"kind": service_kind.value},
        )
        messages.success(request, _("Zapisano. Kolejne e-maile tego rodzaju pójdą z tym tekstem."))
        return redirect("operator:service_emails")
    context = {
        "kind": service_kind,
        "form": form,
        "template": template,
        "fields": FIELDS,
    }
    return render(request, "billing_saas/operator/service_email_edit.html", context, status=400 if form.errors else 200)


@require_POST
@operator_required
def service_email_reset(request: AuthedRequest, kind: str) -> HttpResponse:
    service_kind = _service_kind(kind)
    deleted, _rows = ServiceEmailTemplate.objects.filter(kind=service_kind).delete()
    if deleted:
        ops.audit(
            operator=request.user,
            company=None,
            action=OperatorAction.SERVICE_EMAIL,
            reason=_("przywrócono wbudowany tekst e-maila: %(kind)s") % {"kind": service_kind.label},
            details={"kind": service_kind.value, "reset": True},
        )
    messages.success(request, _("Przywrócono wbudowany tekst."))
    return redirect("operator:service_emails")
