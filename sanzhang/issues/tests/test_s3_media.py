"""Media on S3-compatible storage (MEDIA_STORAGE=s3): a photo sent with a report lands in the
private bucket of a real S3 server (moto's, in server mode, over HTTP on a free port), nothing is
written to the local media folder, and the photo view streams it back to its reporter and
refuses it to a leader of another grid."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.test import Client, override_settings
from moto.server import ThreadedMotoServer
from PIL import Image

from sanzhang.issues.models import IssuePhoto

pytestmark = pytest.mark.django_db

BUCKET = "sanzhang-media-test"
KEYS = {"access_key": "testing", "secret_key": "testing"}  # moto takes any


@pytest.fixture
def s3_endpoint(monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    # The local server only: a proxy or an AWS profile in the environment must not take part
    # (boto3 reads both, and the nodes' subprocesses copy the environment).
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
                 "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _bucket_client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def _storage_from_environment(endpoint: str) -> dict:  # type: ignore[type-arg]
    """The default storage that settings.py makes of the environment a node is given."""
    env = {
        **os.environ,
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": KEYS["access_key"],
        "AWS_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "DJANGO_SETTINGS_MODULE": "sanzhang.settings",
    }
    code = "import json; from django.conf import settings as s; print(json.dumps(s.STORAGES))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)["default"]


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG")
    out.seek(0)
    out.name = "photo.jpg"
    return out


def test_a_reported_photo_is_kept_in_the_bucket_and_served_only_to_who_may_see_it(
    loop, resident, outsider, s3_endpoint, tmp_path: Path
) -> None:
    bucket = _bucket_client(s3_endpoint)
    bucket.create_bucket(Bucket=BUCKET)
    default = _storage_from_environment(s3_endpoint)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["default_acl"] is None  # private: the bucket's own policy
    storages = {**settings.STORAGES, "default": default}
    local = tmp_path / "media"
    with override_settings(STORAGES=storages, MEDIA_ROOT=local):
        me = Client()
        me.force_login(resident)
        created = me.post(
            "/api/issues/", {"place": loop.unit_a1_1.code, "text": "路灯坏了", "photos": [_jpeg()]}
        )
        assert created.status_code == 201, created.content
        photo = IssuePhoto.objects.get(issue__number=created.json()["number"])

        keys = [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
        assert keys == [photo.image.name]
        stored = bucket.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
        assert stored[:2] == b"\xff\xd8" and len(stored) == photo.size
        assert not local.exists() or not any(local.rglob("*"))

        url = created.json()["photos"][0]
        shown = me.get(url)
        assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
        assert b"".join(shown.streaming_content) == stored

        stranger = Client()
        stranger.force_login(outsider)
        assert stranger.get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the log-in page

        # A row whose object is gone answers 404, as a lost file on disk does.
        bucket.delete_object(Bucket=BUCKET, Key=photo.image.name)
        assert me.get(url).status_code == 404
