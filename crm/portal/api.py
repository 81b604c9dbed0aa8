"""REST API of a project's discussion with the customer's portal users and of the
project's files as the customer sees them (crm/portal/discussion.py):
/api/v1/projects/<id>/messages/ and /api/v1/projects/<id>/files/.

The rules of the project card: whoever sees the project reads the discussion and writes
in it; a message is deleted by its author or Szef (a customer's message: Szef only).
Files are added by whoever sees the project, deleted by the person who added them,
Kierownik or Szef, and shown to the customer (or hidden) by whoever changes the project.
Another company's project, or one the caller does not see, is a 404."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import may_change_owned
from crm.common.api import AuthedApiRequest, JSONParser, ModelSerializer
from crm.notes import services as notes_services
from crm.notes.models import Attachment
from crm.portal import discussion
from crm.portal.files import file_response
from crm.portal.models import ProjectMessage
from crm.projects.models import Project
from crm.projects.selectors import project_change_check, projects_visible_to

PROJECT_PARAMETER = OpenApiParameter(
    "project_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Project id (GET /api/v1/projects/)."
)


class ProjectMessageSerializer(ModelSerializer):
    """A message of the project's discussion with the customer: from staff (`author`, a
    user id) or from one of the customer's portal users (`contact`, a contact person id;
    `from_customer` is true). A staff message is e-mailed to the customer's portal users
    with the projects permission. A deleted message keeps its place in the thread with
    `deleted` true and neither `body` nor file. `file_url`: the attachment's content."""

    body = serializers.CharField(max_length=discussion.BODY_MAX)
    from_customer = serializers.BooleanField(read_only=True)
    deleted = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    openapi_rules = {"body": "Must contain more than whitespace."}

    class Meta:
        model = ProjectMessage
        fields: tuple[str, ...] = (
            "id",
            "project",
            "author",
            "contact",
            "author_name",
            "from_customer",
            "body",
            "file_name",
            "file_url",
            "deleted",
            "created_at",
        )
        read_only_fields = ("id", "project", "author", "contact", "author_name", "file_name", "created_at")

    def get_deleted(self, message: ProjectMessage) -> bool:
        return message.is_deleted

    def get_file_url(self, message: ProjectMessage) -> str | None:
        if not message.file:
            return None
        return reverse("project-message-file", args=[message.project_id, message.pk])


class ProjectMessageUploadSerializer(ProjectMessageSerializer):
    """A message with an optional attached file (multipart/form-data)."""

    file = serializers.FileField(write_only=True, required=False, help_text=_("Załącznik (opcjonalnie)."))

    class Meta(ProjectMessageSerializer.Meta):
        fields = (*ProjectMessageSerializer.Meta.fields, "file")


class ProjectFileSerializer(ModelSerializer):
    """A file of the project (also in GET /api/v1/files/?project=<id>). `shared`: the
    customer sees it in the portal. `download_url`: its content."""

    shared = serializers.SerializerMethodField()
    shared_at = serializers.DateTimeField(source="portal_share.shared_at", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = (
            "id",
            "project",
            "name",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
            "shared",
            "shared_at",
            "download_url",
        )
        read_only_fields = fields

    def get_shared(self, attachment: Attachment) -> bool:
        return getattr(attachment, "portal_share", None) is not None

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("attachment-download", args=[attachment.pk])


class ProjectFileUploadSerializer(serializers.Serializer):
    """A new file of the project (multipart/form-data); `shared` true shows it to the
    customer at once (only for whoever changes the project)."""

    file = serializers.FileField()
    shared = serializers.BooleanField(required=False, default=False)


class ProjectFileShareSerializer(serializers.Serializer):
    """Without `shared` nothing changes."""

    shared = serializers.BooleanField(required=False, help_text=_("Czy klient widzi plik w portalu."))


class _ProjectScoped(viewsets.GenericViewSet):
    request: AuthedApiRequest

    def project(self) -> Project:
        if getattr(self, "swagger_fake_view", False):
            return Project()
        found = projects_visible_to(self.request.user).filter(pk=self.kwargs["project_pk"]).first()
        if found is None:
            raise NotFound
        return found


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_PARAMETER], summary="The discussion with the customer, oldest first"),
    create=extend_schema(
        parameters=[PROJECT_PARAMETER],
        request={
            "application/json": ProjectMessageSerializer,
            "multipart/form-data": ProjectMessageUploadSerializer,
        },
        responses={201: ProjectMessageSerializer},
        summary="Write to the customer (multipart/form-data for a message with a file)",
    ),
    retrieve=extend_schema(parameters=[PROJECT_PARAMETER]),
    destroy=extend_schema(
        parameters=[PROJECT_PARAMETER],
        summary="Delete a message (its author or Szef; a customer's message: Szef only)",
    ),
)
class ProjectMessageViewSet(_ProjectScoped):
    """The discussion of a project between staff and the customer's portal users."""

    serializer_class = ProjectMessageSerializer
    queryset = ProjectMessage.objects.none()
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[ProjectMessage]:
        if getattr(self, "swagger_fake_view", False):
            return ProjectMessage.objects.none()
        return discussion.project_messages(self.project())

    def list(self, request: Request, project_pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectMessageSerializer(page, many=True).data)

    def retrieve(self, request: Request, project_pk: int, pk: int) -> Response:
        return Response(ProjectMessageSerializer(self.get_object()).data)

    def create(self, request: Request, project_pk: int) -> Response:
        project = self.project()
        multipart = (request.content_type or "").startswith("multipart/")
        # JSON carries no file: a "file" key there is an unknown field, ignored like any other.
        body = (ProjectMessageUploadSerializer if multipart else ProjectMessageSerializer)(data=request.data)
        body.is_valid(raise_exception=True)
        message = discussion.message_post(
            project=project,
            body=body.validated_data["body"],
            author=self.request.user,
            upload=body.validated_data.get("file"),
        )
        return Response(ProjectMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PROJECT_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="The message's attached file (as an attachment, with its original name)",
    )
    def attachment(self, request: Request, project_pk: int, pk: int) -> HttpResponse:
        message = self.get_object()
        if not message.file:
            raise NotFound
        return file_response(message.file, message.file_name)

    def destroy(self, request: Request, project_pk: int, pk: int) -> Response:
        message = self.get_object()
        if not message.is_deleted and not discussion.message_staff_may_delete(self.request.user, message):
            raise PermissionDenied(_("Wiadomość może usunąć jej autor albo Szef; wiadomość klienta tylko Szef."))
        discussion.message_delete(message=message, actor=self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_PARAMETER], summary="The project's files, newest first"),
    create=extend_schema(
        parameters=[PROJECT_PARAMETER],
        request={"multipart/form-data": ProjectFileUploadSerializer},
        responses={201: ProjectFileSerializer},
        summary="Add a file to the project",
    ),
    retrieve=extend_schema(parameters=[PROJECT_PARAMETER]),
    partial_update=extend_schema(
        parameters=[PROJECT_PARAMETER],
        request=ProjectFileShareSerializer,
        responses={200: ProjectFileSerializer},
        summary="Show the file to the customer in the portal, or hide it (whoever changes the project)",
    ),
    destroy=extend_schema(
        parameters=[PROJECT_PARAMETER],
        summary="Delete the file (the person who added it, Kierownik or Szef)",
    ),
)
class ProjectFileViewSet(_ProjectScoped):
    """The project's files and whether the customer sees each in the portal."""

    serializer_class = ProjectFileSerializer
    queryset = Attachment.objects.none()
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return discussion.project_files(self.project())

    def _out(self, attachment: Attachment) -> dict[str, Any]:
        fresh = discussion.project_files(attachment.project).get(pk=attachment.pk)  # type: ignore[arg-type]
        return dict(ProjectFileSerializer(fresh).data)

    def list(self, request: Request, project_pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectFileSerializer(page, many=True).data)

    def retrieve(self, request: Request, project_pk: int, pk: int) -> Response:
        return Response(ProjectFileSerializer(self.get_object()).data)

    def create(self, request: Request, project_pk: int) -> Response:
        project = self.project()
        body = ProjectFileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        shared = body.validated_data["shared"]
        if shared:
            project_change_check(self.request.user, project)
        with transaction.atomic():
            attachment = notes_services.attachment_create(
                target=project, uploaded_by=self.request.user, upload=body.validated_data["file"]
            )
            if shared:
                discussion.file_share_set(attachment=attachment, shared=True, actor=self.request.user)
        return Response(self._out(attachment), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, project_pk: int, pk: int) -> Response:
        attachment = self.get_object()
        project_change_check(self.request.user, self.project())
        body = ProjectFileShareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "shared" in body.validated_data:
            discussion.file_share_set(
                attachment=attachment, shared=body.validated_data["shared"], actor=self.request.user
            )
        return Response(self._out(attachment))

    def destroy(self, request: Request, project_pk: int, pk: int) -> Response:
        attachment = self.get_object()
        if not may_change_owned(self.request.user, attachment.uploaded_by_id):
            raise PermissionDenied(_("Plik może usunąć osoba, która go dodała, Kierownik albo Szef."))
        notes_services.attachment_delete(attachment=attachment, actor=self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
