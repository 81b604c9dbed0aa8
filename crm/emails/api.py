"""REST API: /api/v1/emails/ (a customer's e-mails; POST writes and sends one, JSON or
multipart with `attachments` files) and /api/v1/settings/email-templates/ (Szef only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import FormParser, MultiPartParser

from crm.accounts.access import IsSzef
from crm.common.api import AuthedApiRequest, JSONParser, ModelSerializer, query_param
from crm.company.mail_defaults import mail_template_defaults
from crm.company.models import EmailTemplate, EmailTemplateKind
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.selectors import customers_visible_to
from crm.emails import services
from crm.emails.models import CustomerEmail
from crm.emails.selectors import emails_visible_to


class _VisibleCustomers(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Customer]:
        return customers_visible_to(self.context["request"].user)


class EmailSerializer(ModelSerializer):
    """An e-mail to (or, logged from the BCC address, about) a customer. Writing one sends
    it: `status` is `queued` until the worker has handed it to the company's SMTP server,
    then `sent`, or `failed` with the server's answer in `error`."""

    customer = _VisibleCustomers(queryset=Customer.objects.all())  # the queryset names the model in the schema
    contact = serializers.PrimaryKeyRelatedField(queryset=ContactPerson.objects.all(), required=False, allow_null=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=EmailTemplate.objects.filter(kind=EmailTemplateKind.CUSTOM), required=False, allow_null=True
    )
    to = serializers.CharField(max_length=3000, help_text="addresses separated by commas")
    cc = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body = serializers.CharField(max_length=services.BODY_MAX, required=False, allow_blank=True)
    attachments = serializers.SerializerMethodField()

    openapi_rules = {
        "contact": "A contact person of `customer`.",
        "template": "A template of kind `custom`; with it, an empty subject or body is filled from the template.",
        "to": "At most 10 valid addresses.",
        "cc": "Valid addresses (or blank); with `to`, at most 10.",
        "subject": "Required (not blank) unless `template` fills it.",
        "body": "Required (not blank) unless `template` fills it.",
    }

    class Meta:
        model = CustomerEmail
        fields = (
            "id",
            "customer",
            "contact",
            "sender",
            "template",
            "direction",
            "from_address",
            "to",
            "cc",
            "subject",
            "body",
            "status",
            "error",
            "attachments",
            "created_at",
            "sent_at",
        )
        read_only_fields = ("sender", "direction", "from_address", "status", "error", "created_at", "sent_at")

    def get_attachments(self, obj: CustomerEmail) -> list[dict[str, Any]]:
        return [{"id": a.pk, "name": a.name, "size": a.size} for a in obj.attachments.all()]

    def create(self, validated: dict[str, Any]) -> CustomerEmail:
        request = self.context["request"]
        template = validated.get("template")
        subject, body = validated.get("subject", ""), validated.get("body", "")
        if template is not None and not (subject.strip() and body.strip()):
            filled = services.template_fill(
                template=template,
                customer=validated["customer"],
                contact=validated.get("contact"),
                user=request.user,
                language=request.query_params.get("language", "pl"),
            )
            subject, body = subject.strip() or filled[0], body.strip() or filled[1]
        return services.email_send(
            actor=request.user,
            customer=validated["customer"],
            contact=validated.get("contact"),
            template=template,
            to=validated["to"],
            cc=validated.get("cc", ""),
            subject=subject,
            body=body,
            files=request.FILES.getlist("attachments"),
        )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id.")])
)
class EmailViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """E-mails of the customers the caller may open; another company's id is a 404."""

    request: AuthedApiRequest
    serializer_class = EmailSerializer
    queryset = CustomerEmail.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[CustomerEmail]:
        if getattr(self, "swagger_fake_view", False):
            return CustomerEmail.objects.none()
        qs = emails_visible_to(self.request.user).prefetch_related("attachments").order_by("-created_at", "-id")
        customer = query_param(self.request, "customer")
        return qs.filter(customer_id=customer) if customer is not None else qs


class EmailTemplateSerializer(ModelSerializer):
    """A template: `custom` ones are offered when writing to a customer; any other `kind`
    replaces the built-in text of that e-mail of the product (one per kind)."""

    kind = serializers.ChoiceField(choices=EmailTemplateKind.choices)
    subject_pl = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body_pl = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    subject_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)

    openapi_rules = {
        "subject_pl": "Merge fields {{ object.field }} the kind offers; anything else is refused. Required for "
        "`custom`; a new template of another kind left without it starts from that e-mail's built-in text.",
        "body_pl": "As `subject_pl`.",
        "kind": "One template per kind except `custom`.",
    }

    class Meta:
        model = EmailTemplate
        fields = ("id", "kind", "name", "subject_pl", "body_pl", "subject_en", "body_en", "updated_at")
        read_only_fields = ("updated_at",)
        extra_kwargs = {"name": {"help_text": _("Nazwa szablonu")}}

    def _save(self, instance: EmailTemplate | None, validated: dict[str, Any]) -> EmailTemplate:
        if instance is not None:
            data = {f: getattr(instance, f) for f in self.Meta.fields[1:-1]}
        else:  # a product e-mail's text starts from the built-in one (custom: empty, so required)
            data = dict(mail_template_defaults(str(validated.get("kind", ""))))
        data.update(validated)
        return services.email_template_save(actor=self.context["request"].user, template=instance, **data)

    def create(self, validated: dict[str, Any]) -> EmailTemplate:
        return self._save(None, validated)

    def update(self, instance: EmailTemplate, validated: dict[str, Any]) -> EmailTemplate:
        return self._save(instance, validated)


class EmailTemplateViewSet(viewsets.ModelViewSet):
    permission_classes = [IsSzef]
    serializer_class = EmailTemplateSerializer
    queryset = EmailTemplate.objects.none()

    def get_queryset(self) -> QuerySet[EmailTemplate]:
        return EmailTemplate.objects.all()

    def perform_destroy(self, instance: EmailTemplate) -> None:
        services.email_template_delete(actor=self.request.user, template=instance)  # type: ignore[arg-type]
