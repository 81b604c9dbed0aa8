"""A local S3-compatible server for the tests (moto's server mode), so the object-storage
path runs against a real HTTP endpoint through boto3 and django-storages, never AWS.

`s3_storage` (a fixture) starts one server per test on a free port, creates a bucket and
switches the settings to `STORAGE_BACKEND=s3` with it; the fixture returns the boto3
client to look inside the bucket and the endpoint URL (for anonymous requests)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

BUCKET = "imcrm-test-files"
KEY_ID = "testing-key-id"
SECRET = "testing-secret-key"  # moto accepts any
REGION = "eu-central-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FakeS3:
    endpoint: str
    client: Any

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read())


@pytest.fixture
def s3_storage(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeS3]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)):
        monkeypatch.setenv(name, value)
    try:
        # moto keeps its buckets in this process, not in the server: start from none.
        httpx.post(f"{endpoint}/moto-api/reset").raise_for_status()
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGE_BACKEND = "s3"
        settings.AWS_STORAGE_BUCKET_NAME = BUCKET
        settings.AWS_S3_ENDPOINT_URL = endpoint
        settings.AWS_S3_REGION_NAME = REGION
        settings.AWS_ACCESS_KEY_ID = KEY_ID
        settings.AWS_SECRET_ACCESS_KEY = SECRET
        settings.AWS_S3_ADDRESSING_STYLE = "path"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "tenants.storage.TenantS3Storage"},
        }
        assert type(storages["default"]).__name__ == "TenantS3Storage"
        yield FakeS3(endpoint=endpoint, client=client)
    finally:
        server.stop()
