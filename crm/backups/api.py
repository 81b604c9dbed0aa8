"""/api/v1/settings/backups/: Szef only. POST queues a backup ({"id", "status"}, 201);
GET lists them; GET <id>/ gives `status`, `progress`, `size`, `created_at`, `download_url`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import IsSzef
from crm.accounts.models import User
from crm.backups.models import Backup, BackupStatus
from crm.backups.selectors import backup_list
from crm.backups.services import backup_request


class BackupSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    created_by = serializers.PrimaryKeyRelatedField[User](read_only=True)

    class Meta:
        model = Backup
        fields = [
            "id",
            "status",
            "kind",
            "progress",
            "size",
            "created_at",
            "finished_at",
            "created_by",
            "error",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, backup: Backup) -> str | None:
        if backup.status != BackupStatus.DONE:
            return None
        request = self.context.get("request")
        path = reverse("backups:download", args=[backup.pk])
        return request.build_absolute_uri(path) if request is not None else path


class BackupCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)


class BackupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsSzef]
    serializer_class = BackupSerializer

    def get_queryset(self) -> QuerySet[Backup]:
        return backup_list()

    @extend_schema(request=None, responses={201: BackupCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        backup = backup_request(actor=request.user)  # type: ignore[arg-type]
        backup.refresh_from_db()
        return Response({"id": backup.pk, "status": backup.status}, status=status.HTTP_201_CREATED)
