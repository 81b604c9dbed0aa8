"""REST API of tickets: /api/v1/tickets/ (+ <id>/replies/), and the read-only lists
/api/v1/ticket-priorities/, /api/v1/ticket-statuses/, /api/v1/ticket-departments/ (Szef
keeps them in Settings > Zgłoszenia). Same rules as the pages (crm/tickets/services.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, JSONParser, ModelSerializer, query_param, related_field
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.selectors import contacts_visible_to, customers_visible_to
from crm.customfields.api import CUSTOM_FIELDS_RULE, CustomFieldsField, CustomFieldsFilterMixin
from crm.tickets import services
from crm.tickets.models import Department, Ticket, TicketAttachment, TicketPriority, TicketReply, TicketStatus
from crm.tickets.selectors import TicketFilters, ticket_list


class TicketPrioritySerializer(ModelSerializer):
    class Meta:
        model = TicketPriority
        fields = ("id", "name", "color", "position")
        read_only_fields = fields


class TicketStatusSerializer(ModelSerializer):
    class Meta:
        model = TicketStatus
        fields = ("id", "name", "color", "position", "code", "locked")
        read_only_fields = fields


class DepartmentSerializer(ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name", "email", "members")
        read_only_fields = fields


class TicketSerializer(ModelSerializer):
    """A support ticket. `number` is given by the company's counter; `body` (write-only)
    is the first message of the thread (the customer's request). Moving the ticket to the
    closed status sets `closed_at`, moving it out clears it; `first_response_at` is the
    time of the first staff reply that is not an internal note."""

    custom_fields = CustomFieldsField(model="ticket")

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), required=False, allow_null=True)
    contact = serializers.PrimaryKeyRelatedField(queryset=ContactPerson.objects.none(), required=False, allow_null=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    priority = serializers.PrimaryKeyRelatedField(
        queryset=TicketPriority.objects.all(), required=False, allow_null=True
    )
    status = serializers.PrimaryKeyRelatedField(queryset=TicketStatus.objects.all(), required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    subject = serializers.CharField(max_length=services.SUBJECT_MAX)
    body = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=services.BODY_MAX,
        help_text=_("Treść zgłoszenia."),
    )
    reference = serializers.CharField(read_only=True)

    openapi_rules = {
        **CUSTOM_FIELDS_RULE,
        "subject": "Must contain more than whitespace.",
        "contact": "Must be a contact person of `customer` (a contact alone gives the customer).",
    }

    class Meta:
        model = Ticket
        fields = (
            "custom_fields",
            "id",
            "number",
            "subject",
            "customer",
            "contact",
            "requester_email",
            "department",
            "priority",
            "status",
            "assignee",
            "reference",
            "body",
            "created_at",
            "updated_at",
            "first_response_at",
            "closed_at",
        )
        read_only_fields = (
            "number",
            "requester_email",
            "reference",
            "created_at",
            "updated_at",
            "first_response_at",
            "closed_at",
        )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
            related_field(fields, "contact").queryset = contacts_visible_to(request.user)
        return fields

    def create(self, validated: dict[str, Any]) -> Ticket:
        return services.ticket_create(actor=self.context["request"].user, **validated)

    def update(self, instance: Ticket, validated: dict[str, Any]) -> Ticket:
        validated.pop("body", None)
        return services.ticket_update(ticket=instance, actor=self.context["request"].user, **validated)


class TicketAttachmentSerializer(ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = TicketAttachment
        fields = ("id", "name", "content_type", "size", "url")
        read_only_fields = fields

    def get_url(self, item: TicketAttachment) -> str:
        return reverse("tickets:attachment_download", args=[item.reply.ticket_id, item.pk])


class TicketReplySerializer(ModelSerializer):
    """A message of the thread: from staff (`author`), from the contact (`contact`) or from
    an address nobody matched (`from_email`). `internal`: a note for staff, never e-mailed.
    Posting a reply that is not internal e-mails it to the contact. Files: post as
    multipart/form-data with up to 10 parts named `files`."""

    body = serializers.CharField(max_length=services.BODY_MAX)
    internal = serializers.BooleanField(required=False, default=False)
    attachments = TicketAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TicketReply
        fields = ("id", "body", "author", "contact", "from_email", "internal", "attachments", "created_at")
        read_only_fields = ("id", "author", "contact", "from_email", "attachments", "created_at")


TICKET_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.INT, description="Status id."),
    OpenApiParameter("priority", OpenApiTypes.INT, description="Priority id."),
    OpenApiParameter("department", OpenApiTypes.INT, description="Department id."),
    OpenApiParameter("assignee", OpenApiTypes.INT, description="Assignee (user) id."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Subject, number, customer or requester."),
]


@extend_schema_view(list=extend_schema(parameters=TICKET_FILTERS))
class TicketViewSet(CustomFieldsFilterMixin, viewsets.ModelViewSet):
    """Support tickets (zgłoszenia) the caller may see; another company's ticket id is a 404.
    Kierownik and Szef delete tickets (they go to the trash)."""

    request: AuthedApiRequest
    serializer_class = TicketSerializer
    custom_fields_model = "ticket"
    queryset = Ticket.objects.none()
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[Ticket]:
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        filters = TicketFilters()
        if self.action == "list":
            filters = TicketFilters(
                query=self.request.query_params.get("search", "")[:100],
                status_id=query_param(self.request, "status"),
                priority_id=query_param(self.request, "priority"),
                department_id=query_param(self.request, "department"),
                assignee_id=query_param(self.request, "assignee"),
                customer_id=query_param(self.request, "customer"),
            )
        return ticket_list(user=self.request.user, filters=filters)

    def perform_destroy(self, instance: Ticket) -> None:
        services.ticket_delete(ticket=instance, actor=self.request.user)

    @extend_schema(
        request=TicketReplySerializer, responses={200: TicketReplySerializer(many=True), 201: TicketReplySerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def replies(self, request: Request, pk: str | None = None) -> Response:
        """The thread, oldest first (GET); a staff reply or internal note (POST)."""
        ticket = self.get_object()
        if request.method == "GET":
            rows = ticket.replies.select_related("author", "contact").prefetch_related("attachments__reply")
            return Response(TicketReplySerializer(rows, many=True).data)
        body = TicketReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        reply = services.ticket_reply(
            ticket=ticket,
            actor=self.request.user,
            body=body.validated_data["body"],
            internal=body.validated_data.get("internal", False),
            files=files,
        )
        return Response(TicketReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class TicketPriorityViewSet(viewsets.ReadOnlyModelViewSet):
    """Ticket priorities with their colours; Szef changes them in Settings > Zgłoszenia."""

    serializer_class = TicketPrioritySerializer
    queryset = TicketPriority.objects.all()


class TicketStatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Ticket statuses with their colours; `code` "closed" marks the locked closed status."""

    serializer_class = TicketStatusSerializer
    queryset = TicketStatus.objects.all()


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Support departments, their addresses and members (Settings > Zgłoszenia)."""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.prefetch_related("members")
