"""Media in S3-compatible buckets, for several app servers (certificates/storage.py,
s3_media_storages in lms/settings/base.py).

A real S3 server (moto in server mode, on 127.0.0.1) runs for the session; the
tests point STORAGES at it exactly as production does from its environment,
and check that certificate PDFs and their images are written and read through
the storage API only: into the private bucket, out through the download view,
never onto this machine's disk.
"""

import hashlib
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates.issuing import (
    certificate_data,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import Certificate
from certificates.storage import PrivateFileStorage, PrivateS3Storage, private_storage
from lms import health
from lms.settings.base import (
    PRIVATE_MEDIA_PREFIX,
    PUBLIC_MEDIA_PREFIX,
    public_media_origins,
    s3_media_storages,
)
from tests.certificates import factories as certificate_factories
from tests.certificates.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3 server for the test run, on a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def environment(s3_endpoint, s3_client) -> dict[str, str]:
    """Production's environment naming two fresh buckets on the local server."""
    suffix = uuid.uuid4().hex[:12]
    environ = {
        "MEDIA_BUCKET": f"lms-media-{suffix}",
        "PRIVATE_MEDIA_BUCKET": f"lms-private-{suffix}",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
    }
    for bucket in (environ["MEDIA_BUCKET"], environ["PRIVATE_MEDIA_BUCKET"]):
        s3_client.create_bucket(Bucket=bucket)
    return environ


@pytest.fixture
def s3(settings, environment, private_media):
    """STORAGES as production builds it from ``environment``.

    The private storage is resolved on the file system first, as an earlier
    test in the process would have done, so the switch must really happen.
    """
    assert isinstance(private_storage(), PrivateFileStorage)
    settings.STORAGES = {**settings.STORAGES, **s3_media_storages(environment)}
    return environment


@pytest.fixture
def design_in_s3(s3):
    """A published design whose images were uploaded into the public bucket."""
    return certificate_factories.make_design()


def keys(s3_client, bucket: str) -> list[str]:
    listing = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def object_bytes(s3_client, bucket: str, key: str) -> bytes:
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


def local_files(settings) -> list[Path]:
    """Every file under this machine's media folders (the test's own)."""
    roots = (Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT))
    return [path for root in roots for path in root.rglob("*") if path.is_file()]


def download(client, certificate) -> bytes:
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


# Configuration -----------------------------------------------------------------


def test_without_buckets_media_stays_on_the_file_system(settings):
    assert s3_media_storages({**CREDENTIALS, "AWS_S3_ENDPOINT_URL": "http://s3"}) == {}
    assert public_media_origins({}) == []
    assert isinstance(private_storage(), PrivateFileStorage)


def test_the_private_storage_follows_the_storages_setting(settings, environment):
    assert isinstance(private_storage(), PrivateFileStorage)

    with override_settings(
        STORAGES={**settings.STORAGES, **s3_media_storages(environment)}
    ):
        assert isinstance(private_storage(), PrivateS3Storage)
        assert private_storage().bucket_name == environment["PRIVATE_MEDIA_BUCKET"]

    assert isinstance(private_storage(), PrivateFileStorage)


def test_production_reads_the_buckets_from_its_environment(environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MEDIA_", "PRIVATE_MEDIA_"))
    }
    env.update(
        environment,
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="k9#Lq2!vZ8rT4mW6pX1nB3cY7hJ5dF0gS-aE_uR@oK%iN^zQwV",
        DJANGO_ALLOWED_HOSTS="learn.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.STORAGES['private']['BACKEND']);"
        "print(s.CSP_PUBLIC)"
    )
    result = subprocess.run(  # noqa: S603 - the test's own fixed command
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    public, private, csp = result.stdout.splitlines()[-3:]
    assert public == "storages.backends.s3.S3Storage"
    assert private == "certificates.storage.PrivateS3Storage"
    assert f"img-src 'self' {environment['AWS_S3_ENDPOINT_URL']}" in csp


# Certificates ------------------------------------------------------------------


def test_issuing_writes_the_pdf_and_images_to_the_private_bucket_only(
    settings, s3_client, s3, design_in_s3, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)

    private_keys = keys(s3_client, s3["PRIVATE_MEDIA_BUCKET"])
    pdf_key = f"{PRIVATE_MEDIA_PREFIX}/{certificate.pdf.name}"
    assert pdf_key in private_keys
    assert f"{PRIVATE_MEDIA_PREFIX}/{certificate.logo.name}" in private_keys
    assert f"{PRIVATE_MEDIA_PREFIX}/{certificate.signature_image.name}" in private_keys
    content = object_bytes(s3_client, s3["PRIVATE_MEDIA_BUCKET"], pdf_key)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    # Nothing private in the public bucket, nothing at all on this machine.
    public_keys = keys(s3_client, s3["MEDIA_BUCKET"])
    assert not [key for key in public_keys if not key.startswith(PUBLIC_MEDIA_PREFIX)]
    assert not [key for key in public_keys if key.endswith(".pdf")]
    assert local_files(settings) == []


def test_the_download_view_sends_exactly_the_bytes_in_the_bucket(
    client, s3_client, s3, design_in_s3, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)
    stored = object_bytes(
        s3_client,
        s3["PRIVATE_MEDIA_BUCKET"],
        f"{PRIVATE_MEDIA_PREFIX}/{certificate.pdf.name}",
    )
    client.force_login(certificate.learner)

    first = download(client, certificate)
    second = download(client, certificate)

    assert first == stored
    assert second == stored


def test_a_private_file_in_the_bucket_has_no_url(
    s3, design_in_s3, completed_enrolment, confirmed_learner
):
    certificate = issue_certificate(enrolment=completed_enrolment)

    with pytest.raises(ValueError, match="no URL"):
        certificate.pdf.url  # noqa: B018


def test_reissue_and_revoke_work_in_the_bucket(
    client,
    settings,
    s3_client,
    s3,
    superuser,
    design_in_s3,
    completed_enrolment,
    confirmed_learner,
):
    old = issue_certificate(enrolment=completed_enrolment)
    client.force_login(confirmed_learner)
    old_bytes = download(client, old)

    new = reissue_certificate(
        certificate=old, by=superuser, holder_name="Іваненко Петро"
    )
    revoked = revoke_certificate(certificate=new, by=superuser, reason="Помилка")

    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    assert revoked.status == Certificate.Status.REVOKED
    private_keys = keys(s3_client, s3["PRIVATE_MEDIA_BUCKET"])
    assert f"{PRIVATE_MEDIA_PREFIX}/{old.pdf.name}" in private_keys
    assert f"{PRIVATE_MEDIA_PREFIX}/{new.pdf.name}" in private_keys
    assert old.pdf.name != new.pdf.name
    # Both stay in the register with their own files, unchanged by the other.
    assert download(client, old) == old_bytes
    new_bytes = download(client, revoked)
    assert hashlib.sha256(new_bytes).hexdigest() == new.pdf_sha256
    assert local_files(settings) == []


@pytest.mark.parametrize("backend", ["file system", "bucket"])
def test_a_snapshot_image_missing_from_storage_stops_the_build(
    request, backend, completed_enrolment, confirmed_learner
):
    if backend == "bucket":
        request.getfixturevalue("s3")
    certificate_factories.make_design()
    certificate = issue_certificate(enrolment=completed_enrolment)
    private_storage().delete(certificate.signature_image.name)

    with pytest.raises(FileNotFoundError):
        certificate_data(certificate)


def test_the_readiness_probe_writes_reads_and_deletes_in_the_bucket(
    settings, s3_client, s3
):
    health.check_storage()

    assert keys(s3_client, s3["PRIVATE_MEDIA_BUCKET"]) == []
    assert local_files(settings) == []


def test_the_readiness_probe_fails_without_the_bucket(s3_client, s3):
    s3_client.delete_bucket(Bucket=s3["PRIVATE_MEDIA_BUCKET"])

    with pytest.raises(Exception, match="NoSuchBucket"):
        health.check_storage()


# Public media --------------------------------------------------------------------


def test_an_image_uploaded_in_wagtail_lands_in_the_public_bucket(
    settings, s3_client, s3, superuser_client
):
    response = superuser_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Герб громади",
            "file": SimpleUploadedFile("coat.png", png("navy"), "image/png"),
        },
    )

    assert response.status_code == 302
    image = Image.objects.get(title="Герб громади")
    key = f"{PUBLIC_MEDIA_PREFIX}/{image.file.name}"
    assert key in keys(s3_client, s3["MEDIA_BUCKET"])
    assert object_bytes(s3_client, s3["MEDIA_BUCKET"], key) == png("navy")
    assert keys(s3_client, s3["PRIVATE_MEDIA_BUCKET"]) == []
    assert local_files(settings) == []
    # Browsers load it from the bucket at an unsigned address the content
    # security policy allows.
    url = image.get_rendition("width-40").url
    assert url.startswith(tuple(public_media_origins(s3)))
    assert "Signature" not in url


def test_an_upload_with_a_taken_name_does_not_replace_the_first(s3_client, s3):
    first = default_storage.save("original_images/logo.png", io.BytesIO(png("navy")))
    second = default_storage.save("original_images/logo.png", io.BytesIO(png("red")))

    assert first != second
    assert default_storage.open(first).read() == png("navy")
    assert default_storage.open(second).read() == png("red")
