"""REST API of the automations (Szef only):

- /api/v1/settings/automations/: rules: `id`, `name`, `enabled`, `trigger` (`deal_stage`,
  `lead_source`, `invoice_overdue`), `stage`, `source`, `action` (`create_task`,
  `assign_owner`, `send_email`, `notify`), `person`, `task_title`, `task_due_days`,
  `subject`, `body` (merge fields such as `{{ customer.name }}`), `created_at`.
- /api/v1/settings/automations/runs/ (`?rule=<id>`): what each rule did to which record.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from crm.accounts.access import IsSzef
from crm.accounts.models import User
from crm.automations import services
from crm.automations.models import AutomationRule, AutomationRun


class AutomationRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AutomationRule
        fields = ("id", *services.FIELDS, "created_at")
        read_only_fields = ("id", "created_at")

    openapi_rules = {
        "stage": "Required for the trigger `deal_stage`.",
        "source": "Required for the trigger `lead_source`.",
        "person": "The task's assignee, the new owner (required for `assign_owner`) or who is notified; "
        "empty: the record's owner.",
        "subject": "Required for `send_email`; merge fields {{ customer.name }}, {{ deal.name }}, "
        "{{ invoice.number }}, {{ owner.name }}, {{ company.name }} and others.",
        "action": "`assign_owner` works for deals and leads only.",
        "name": "Must contain more than whitespace.",
        "task_title": "Required for `create_task`.",
        "body": "Required for `send_email`.",
    }


class AutomationRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = AutomationRun
        fields = ("id", "rule", "record_type", "record_id", "record_label", "ok", "result", "created_at")


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class AutomationRuleViewSet(viewsets.ModelViewSet):
    permission_classes = [IsSzef]
    serializer_class = AutomationRuleSerializer
    queryset = AutomationRule.objects.all()
    lookup_value_regex = "[0-9]+"

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = services.rule_create(actor=cast(User, self.request.user), **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = services.rule_update(
                rule=cast(AutomationRule, serializer.instance),
                actor=cast(User, self.request.user),
                **serializer.validated_data,
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def perform_destroy(self, instance: AutomationRule) -> None:
        services.rule_delete(rule=instance, actor=cast(User, self.request.user))


class AutomationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsSzef]
    serializer_class = AutomationRunSerializer
    queryset = AutomationRun.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[AutomationRun]:
        qs = AutomationRun.objects.all()
        rule = self.request.query_params.get("rule", "")
        if self.action == "list" and rule:
            if not rule.isdigit():
                raise ValidationError({"rule": "A rule id."})
            qs = qs.filter(rule_id=int(rule))
        return qs
