"""REST API of notes and files: /api/v1/notes/, /api/v1/files/.

A note or file belongs to exactly one of customer / deal / task / offer / invoice; the caller must be
able to see that record. Editing a note keeps its previous wording
(/api/v1/notes/{id}/history/); only the author, Kierownik or Szef change or delete.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import may_change_owned
from crm.common.api import AuthedApiRequest
from crm.common.params import id_param
from crm.notes import services
from crm.notes.models import Attachment, Note, NoteKind, NoteRevision
from crm.notes.selectors import attachments_visible_to, notes_visible_to
from crm.notes.targets import TARGET_KINDS, registered_type, target_get

TARGET_PARAMETERS = [
    OpenApiParameter(kind, OpenApiTypes.INT, description=str(_("Tylko wpisy tego rekordu."))) for kind in TARGET_KINDS
]


RELATED_MODELS = {
    "customer": "contacts.customer",
    "deal": "sales.deal",
    "task": "tasks.task",
    "offer": "offers.offer",
    "invoice": "invoicing.invoice",
    "contract": "contracts.contract",
    "ticket": "tickets.ticket",
    "project": "projects.project",
    "lead": "leads.lead",
}


def api_kinds() -> tuple[str, ...]:
    """The kinds a note or file can be added to now (types registered by their apps)."""
    return tuple(kind for kind in TARGET_KINDS if registered_type(kind) is not None)


class TargetMixin(serializers.Serializer):
    customer = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id klienta"))
    deal = serializers.IntegerField(
        required=False, allow_null=True, write_only=True, help_text=_("Id szansy sprzedaży")
    )
    task = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id zadania"))
    offer = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id oferty"))
    invoice = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id faktury"))
    contract = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id umowy"))
    ticket = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id zgłoszenia"))
    project = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id projektu"))
    lead = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text=_("Id leada"))

    # For the OpenAPI schema (crm/accounts/openapi.py): which records the ids name, one of them required.
    @property
    def openapi_related(self) -> dict[str, str]:
        return {kind: RELATED_MODELS[kind] for kind in api_kinds()}

    @property
    def openapi_exactly_one(self) -> tuple[str, ...]:
        return api_kinds()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for kind in TARGET_KINDS:
            if kind not in api_kinds():
                fields.pop(kind, None)
        return fields

    def target_validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kinds = api_kinds()
        given = [(kind, int(attrs[kind])) for kind in kinds if attrs.get(kind)]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Podaj dokładnie jedno z pól: %(fields)s.") % {"fields": ", ".join(kinds)}
            )
        kind, pk = given[0]
        try:
            attrs["target"] = target_get(user=self.context["request"].user, kind=kind, pk=pk)
        except Http404:
            raise serializers.ValidationError(
                {kind: [_("Nie ma takiego rekordu albo nie masz do niego dostępu.")]}
            ) from None
        return attrs

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        for kind in TARGET_KINDS:
            data[kind] = getattr(instance, f"{kind}_id")
        return data


class NoteSerializer(TargetMixin, serializers.ModelSerializer):
    """A note. `customer` is also filled for notes on a customer's deal or task."""

    revision_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Note
        fields = (
            "id",
            "customer",
            "deal",
            "task",
            "offer",
            "invoice",
            "contract",
            "ticket",
            "project",
            "lead",
            "body",
            "kind",
            "author",
            "created_at",
            "edited_at",
            "edited_by",
            "revision_count",
        )
        read_only_fields = ("id", "author", "created_at", "edited_at", "edited_by")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            return self.target_validate(attrs)
        for kind in TARGET_KINDS:
            attrs.pop(kind, None)  # a note does not move to another record
        return attrs

    def create(self, validated: dict[str, Any]) -> Note:
        return services.note_create(
            target=validated["target"],
            author=self.context["request"].user,
            body=validated["body"],
            kind=validated.get("kind", NoteKind.NOTE),
        )

    def update(self, instance: Note, validated: dict[str, Any]) -> Note:
        return services.note_update(
            note=instance, editor=self.context["request"].user, body=validated.get("body", instance.body)
        )


class NoteRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoteRevision
        fields = ("body", "written_by", "written_at", "replaced_at")


def _filtered(qs: QuerySet[Any], request: Request) -> QuerySet[Any]:
    for kind in TARGET_KINDS:
        try:
            target_id = id_param(request.query_params.get(kind))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({kind: exc.messages}) from None
        if target_id is not None:
            qs = qs.filter(**{f"{kind}_id": target_id})
    return qs


@extend_schema_view(list=extend_schema(parameters=TARGET_PARAMETERS))
class NoteViewSet(viewsets.ModelViewSet):
    """Notes on customers, deals, tasks and offers (and invoices) the caller may see."""

    request: AuthedApiRequest
    serializer_class = NoteSerializer
    queryset = Note.objects.none()

    def get_queryset(self) -> QuerySet[Note]:
        qs = notes_visible_to(self.request.user).annotate(revision_count=Count("revisions"))
        if self.action == "list":
            qs = _filtered(qs, self.request)
        return qs.order_by("-created_at", "-id")

    def perform_update(self, serializer: Any) -> None:
        if not may_change_owned(self.request.user, serializer.instance.author_id):
            raise PermissionDenied(_("Notatkę może zmienić jej autor, Kierownik albo Szef."))
        serializer.save()

    def perform_destroy(self, instance: Note) -> None:
        if not may_change_owned(self.request.user, instance.author_id):
            raise PermissionDenied(_("Notatkę może usunąć jej autor, Kierownik albo Szef."))
        services.note_delete(note=instance, actor=self.request.user)

    @extend_schema(responses=NoteRevisionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Earlier wordings of the note, newest first."""
        note = self.get_object()
        revisions = note.revisions.order_by("-written_at", "-id")
        return Response(NoteRevisionSerializer(revisions, many=True).data)


class AttachmentSerializer(TargetMixin, serializers.ModelSerializer):
    """A file. Upload as multipart/form-data with `file` and one of customer / deal / task / offer / invoice."""

    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = (
            "id", "customer", "deal", "task", "offer", "invoice", "contract", "ticket", "project", "lead", "file", "name", "content_type", "size", "uploaded_by", "created_at",
            "download_url",
        )  # fmt: skip
        read_only_fields = ("id", "name", "content_type", "size", "uploaded_by", "created_at")

    def get_download_url(self, obj: Attachment) -> str:
        return reverse("attachment-download", args=[obj.pk])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return self.target_validate(attrs)

    def create(self, validated: dict[str, Any]) -> Attachment:
        return services.attachment_create(
            target=validated["target"], uploaded_by=self.context["request"].user, upload=validated["file"]
        )


@extend_schema_view(list=extend_schema(parameters=TARGET_PARAMETERS))
class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files attached to customers, deals, tasks and offers (and invoices) the caller may see."""

    request: AuthedApiRequest
    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        qs = attachments_visible_to(self.request.user)
        if self.action == "list":
            qs = _filtered(qs, self.request)
        return qs.order_by("-created_at", "-id")

    def perform_destroy(self, instance: Attachment) -> None:
        if not may_change_owned(self.request.user, instance.uploaded_by_id):
            raise PermissionDenied(_("Plik może usunąć osoba, która go dodała, Kierownik albo Szef."))
        services.attachment_delete(attachment=instance, actor=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file's content (as an attachment, with its original name)."""
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
