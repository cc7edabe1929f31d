"""Attachments and built exports in object storage (the S3 API), as several app servers
and workers share them: a local S3 emulator (the moto server) holds the bucket; an office
uploads an attachment through its form, which lands in the bucket as a private object and
is served back only through the permission-checked view; a file under exports/ is
written and streamed back through Django's default storage."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse

from surveys.management.commands.load_test import stop
from surveys.models import Attachment
from tests.surveys.web_helpers import edit_url, form_data, logged_in

boto3 = pytest.importorskip("boto3")

BUCKET = "wipostad-test"
REGION = "us-east-1"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


def _moto_command() -> list[str] | None:
    beside = Path(sys.executable).with_name("moto_server")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    return [found] if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A moto server on a free loopback port, with an empty bucket; stopped after the module."""
    command = _moto_command()
    if command is None:
        pytest.skip("moto_server (moto[server]) is not installed: no S3 emulator to test object storage with")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        server = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                pytest.fail(f"moto_server stopped at start:\n{log.read_text(errors='replace')[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("moto_server did not answer within 30 seconds")
                time.sleep(0.1)
        _client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        stop(server)


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture(scope="module")
def s3_options(s3_endpoint):
    return _s3_options_from_settings(s3_endpoint)


@pytest.fixture
def s3_storage(s3_endpoint, s3_options, settings, tmp_path):
    """Django's default storage in the emulator's bucket, configured as the settings do it
    from WIPOSTAD_S3_* (see test_settings_choose_s3_storage); MEDIA_ROOT stays empty."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options},
    }
    settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
    yield _client(s3_endpoint)
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


def _s3_options_from_settings(endpoint: str) -> dict:
    """The S3 options wipostad/settings.py builds from the environment for this endpoint."""
    import json
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "WIPOSTAD_", "REDIS_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, wipostad.settings as s; print(json.dumps(s.STORAGES['default']))",
        ],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env={
            **base,
            "DJANGO_DEBUG": "1",
            "WIPOSTAD_S3_BUCKET": BUCKET,
            "WIPOSTAD_S3_ENDPOINT_URL": endpoint,
            "WIPOSTAD_S3_REGION": REGION,
            "WIPOSTAD_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "WIPOSTAD_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "WIPOSTAD_S3_ADDRESSING_STYLE": "path",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    configured = json.loads(result.stdout)
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    return configured["OPTIONS"]


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _is_private(client, key: str) -> bool:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers


def test_settings_choose_s3_storage_only_when_a_bucket_is_named(s3_endpoint, s3_options):
    options = s3_options
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == s3_endpoint
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["addressing_style"] == "path"
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_attachment_is_stored_in_the_bucket_and_served_through_the_checked_view(
    s3_storage,
    edition,
    office_a_respondent,
    office_b_respondent,
    secretariat_reviewer,
    make_response,
    moldova_answers,
    django_capture_on_commit_callbacks,
):
    client_s3 = s3_storage
    response = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    office = logged_in(office_a_respondent)
    body = b"%PDF-1.4 numbering rules, stored in object storage " + bytes(range(256)) * 40
    data = form_data(edition, moldova_answers, version=response.version)
    data["attachment"] = SimpleUploadedFile("Rules 2012.pdf", body, "application/pdf")
    assert office.post(edit_url(response), data).status_code == 302

    attachment = Attachment.objects.get(response=response)
    key = f"attachments/{response.pk}/{attachment.token}"
    assert attachment.file.name == key
    assert key in _keys(client_s3)
    assert client_s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == body
    assert _is_private(client_s3, key)

    url = reverse("surveys:attachment_download", args=[response.pk, attachment.token])
    for reader in (office, logged_in(secretariat_reviewer)):
        download = reader.get(url)
        assert download.status_code == 200
        assert isinstance(download, FileResponse)
        assert download["Content-Type"] == "application/pdf"
        assert "Rules 2012.pdf" in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == body
    # Another office, and anyone not signed in, get nothing.
    assert logged_in(office_b_respondent).get(url).status_code == 404
    anonymous = office.__class__().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))

    # Gone from the bucket: the view says so instead of failing.
    client_s3.delete_object(Bucket=BUCKET, Key=key)
    missing = office.get(url)
    assert missing.status_code == 404
    assert "is missing from the server" in missing.content.decode()

    # Removing the attachment removes its object, once the removal is committed.
    client_s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    with django_capture_on_commit_callbacks(execute=True):
        removed = office.post(reverse("surveys:attachment_remove", args=[response.pk, attachment.token]))
    assert removed.status_code == 302
    assert key not in _keys(client_s3)


def test_a_built_export_is_written_and_streamed_back_through_the_default_storage(s3_storage):
    from django.core.files.storage import default_storage

    client_s3 = s3_storage
    # A file as large as a big export, written in pieces as an export builder would.
    rows = [f"{n};MD;application-numbering-2012;réponse {n}\n".encode() for n in range(60_000)]
    content = b"".join(rows)
    name = default_storage.save("exports/round-2012/report.csv", ContentFile(content))
    assert name.startswith("exports/round-2012/report")
    assert name in _keys(client_s3)
    assert _is_private(client_s3, name)
    assert default_storage.exists(name)
    assert default_storage.size(name) == len(content)

    # A second export under the same name does not replace the first.
    second = default_storage.save("exports/round-2012/report.csv", ContentFile(b"newer"))
    assert second != name
    assert {name, second} <= _keys(client_s3)

    # Streamed back as a download would be: in blocks, never read whole by the view.
    with default_storage.open(name, "rb") as stored:
        streamed = FileResponse(stored, as_attachment=True, filename="report.csv")
        assert int(streamed["Content-Length"]) == len(content)
        blocks = list(streamed.streaming_content)
    assert len(blocks) > 1
    assert b"".join(blocks) == content

    default_storage.delete(name)
    default_storage.delete(second)
    assert not default_storage.exists(name)
    assert not {name, second} & _keys(client_s3)
