"""Spreadsheet imports are capped: a file larger than WIPOSTAD_IMPORT_MAX_BYTES or with
more data rows than WIPOSTAD_IMPORT_MAX_ROWS is refused with a message before it is read
whole, and nothing of it is kept. The file a preview keeps for its confirmation lives in
WIPOSTAD_IMPORT_PREVIEW_DIR: removed once imported or refused, and swept when older than
WIPOSTAD_IMPORT_PREVIEW_MAX_AGE."""

from __future__ import annotations

import io
import os
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from import_export.formats import base_formats

from standards.models import Office
from standards.sheet_uploads import SheetRefused, check_sheet

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"
IMPORTS = ["standards_office", "surveys_numberingsystem", "surveys_surveyresponse"]


@pytest.fixture
def previews(settings, tmp_path):
    folder = tmp_path / "previews"
    settings.WIPOSTAD_IMPORT_PREVIEW_DIR = str(folder)
    settings.WIPOSTAD_IMPORT_MAX_ROWS = 3
    settings.WIPOSTAD_IMPORT_MAX_BYTES = 64 * 1024
    settings.WIPOSTAD_IMPORT_PREVIEW_MAX_AGE = 3600
    return folder


def kept(folder):
    return sorted(os.listdir(folder)) if folder.exists() else []


def office_rows(n):
    return [[f"Q{chr(65 + i)}", f"Office {i}", "entity"] for i in range(n)]


def xlsx_upload(rows, headers=("code", "name", "kind")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile("offices.xlsx", stream.getvalue())


def csv_upload(rows, headers=("code", "name", "kind")):
    lines = [",".join(headers), *(",".join(values) for values in rows)]
    return SimpleUploadedFile("offices.csv", ("\r\n".join(lines) + "\r\n").encode())


def preview(client, model, upload, fmt=XLSX_FORMAT):
    return client.post(reverse(f"admin:{model}_import"), {"resource": "0", "format": fmt, "import_file": upload})


def confirm(client, model, page):
    return client.post(reverse(f"admin:{model}_process_import"), page.context["confirm_form"].initial, follow=True)


def file_errors(page):
    return page.context["form"].errors.get("import_file", [])


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if the import reads a file as a table."""

    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(base_formats.TablibFormat, "create_dataset", refuse)
    monkeypatch.setattr(base_formats.XLSX, "create_dataset", refuse)
    monkeypatch.setattr(base_formats.TextFormat, "create_dataset", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- the shared check -----------------------------------------------------------------


def test_a_sheet_at_the_cap_passes_and_one_row_more_is_refused_naming_the_cap(previews):
    check_sheet(xlsx_upload(office_rows(3)), base_formats.XLSX)
    check_sheet(csv_upload(office_rows(3)), base_formats.CSV)
    for upload, fmt in [
        (xlsx_upload(office_rows(4)), base_formats.XLSX),
        (csv_upload(office_rows(4)), base_formats.CSV),
    ]:
        with pytest.raises(SheetRefused) as refused:
            check_sheet(upload, fmt)
        assert "more than 3 rows" in str(refused.value)


def test_rows_are_counted_while_reading_and_counting_stops_past_the_cap(previews):
    class Endless(io.RawIOBase):
        """A CSV file that never ends: only a count that stops can finish."""

        size = 100

        def __init__(self):
            self.sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = (b"code,name,kind\r\n" if self.sent == 0 else b"") + b"MD,Moldova,state\r\n" * 100
            chunk = chunk[: len(buffer)]
            buffer[: len(chunk)] = chunk
            self.sent += len(chunk)
            return len(chunk)

    stream = Endless()
    with pytest.raises(SheetRefused):
        check_sheet(stream, base_formats.CSV)
    assert stream.sent < 64 * 1024


def test_quoted_line_breaks_are_one_row(previews):
    upload = SimpleUploadedFile("o.csv", b'code,name,kind\r\nMD,"Moldova\r\nline 2\r\nline 3\r\nline 4",state\r\n')
    check_sheet(upload, base_formats.CSV)


def test_an_xlsx_that_unpacks_to_far_more_than_the_cap_is_refused_before_it_is_opened(previews, no_parsing):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (5 * 1024 * 1024))
    assert len(stream.getvalue()) < 64 * 1024
    with pytest.raises(SheetRefused) as refused:
        check_sheet(SimpleUploadedFile("bomb.xlsx", stream.getvalue()), base_formats.XLSX)
    assert "unpacks to more than" in str(refused.value)


# --- through the admin ----------------------------------------------------------------


@pytest.mark.parametrize("model", IMPORTS)
def test_an_oversized_file_is_refused_with_a_message_before_it_is_read(
    admin_client, reference_data, previews, model, no_parsing
):
    upload = SimpleUploadedFile("offices.csv", b"code,name,kind\r\n" + b"#" * (100 * 1024))
    page = preview(admin_client, model, upload, CSV_FORMAT)
    assert page.status_code == 200 and "result" not in page.context
    assert file_errors(page) == [
        "This file is 100.0\xa0KB; files to import may be at most 64.0\xa0KB. Split it into smaller files."
    ]
    assert kept(previews) == []


@pytest.mark.parametrize("model", IMPORTS)
@pytest.mark.parametrize("fmt", [XLSX_FORMAT, CSV_FORMAT])
def test_a_file_with_too_many_rows_is_refused_naming_the_cap_and_leaves_no_file(
    admin_client, reference_data, previews, model, fmt
):
    upload = xlsx_upload(office_rows(4)) if fmt == XLSX_FORMAT else csv_upload(office_rows(4))
    page = preview(admin_client, model, upload, fmt)
    assert page.status_code == 200 and "result" not in page.context
    assert file_errors(page) == ["This file has more than 3 rows besides the header; import at most 3 rows at a time."]
    assert kept(previews) == []


def test_a_file_at_the_cap_imports_and_leaves_no_file(admin_client, reference_data, previews):
    page = preview(admin_client, "standards_office", xlsx_upload(office_rows(3)))
    assert "confirm_form" in page.context
    assert len(kept(previews)) == 1  # kept for the confirmation only
    done = confirm(admin_client, "standards_office", page)
    assert done.status_code == 200
    assert Office.objects.filter(name__startswith="Office ").count() == 3
    assert kept(previews) == []


def test_a_preview_with_bad_rows_keeps_no_file(admin_client, reference_data, previews):
    page = preview(admin_client, "standards_office", xlsx_upload([["M1", "Nowhere", "state"]]))
    assert page.context["result"].invalid_rows and "confirm_form" not in page.context
    assert kept(previews) == []


def test_a_file_that_cannot_be_read_keeps_no_file(admin_client, reference_data, previews):
    page = preview(admin_client, "standards_office", SimpleUploadedFile("offices.xlsx", b"not a workbook"))
    assert file_errors(page) and "confirm_form" not in page.context
    assert kept(previews) == []


def test_stale_previews_are_swept_when_a_new_import_starts(admin_client, reference_data, previews):
    previews.mkdir(parents=True)
    stale, fresh = previews / ("a" * 32), previews / ("b" * 32)
    stale.write_bytes(b"code,name,kind\r\n")
    fresh.write_bytes(b"code,name,kind\r\n")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    page = preview(admin_client, "standards_office", xlsx_upload(office_rows(1)))
    assert "confirm_form" in page.context
    left = kept(previews)
    assert stale.name not in left and fresh.name in left and len(left) == 2


def test_the_sweep_command_removes_stale_previews_only(previews):
    previews.mkdir(parents=True)
    stale, fresh, other = previews / ("c" * 32), previews / ("d" * 32), previews / "README"
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in (stale, other):
        os.utime(path, (two_hours_ago, two_hours_ago))
    out = io.StringIO()
    call_command("clear_import_previews", stdout=out)
    assert kept(previews) == sorted([fresh.name, other.name])
    assert "1" in out.getvalue()


def test_confirming_a_swept_preview_asks_for_the_file_again(admin_client, reference_data, previews):
    page = preview(admin_client, "standards_office", xlsx_upload(office_rows(1)))
    for name in kept(previews):
        (previews / name).unlink()
    done = confirm(admin_client, "standards_office", page)
    assert done.status_code == 200
    assert [str(m) for m in done.context["messages"]] == [
        "This preview has expired or was already imported; upload the file again."
    ]
    assert not Office.objects.filter(name__startswith="Office ").exists()


def test_the_confirmation_checks_the_file_again(admin_client, reference_data, previews, settings):
    page = preview(admin_client, "standards_office", xlsx_upload(office_rows(3)))
    settings.WIPOSTAD_IMPORT_MAX_ROWS = 2
    done = confirm(admin_client, "standards_office", page)
    assert [str(m) for m in done.context["messages"]] == [
        "This file has more than 2 rows besides the header; import at most 2 rows at a time."
    ]
    assert not Office.objects.filter(name__startswith="Office ").exists()
    assert kept(previews) == []


@pytest.mark.parametrize(
    ("language", "start"), [("fr", "Ce fichier compte plus de 3 lignes"), ("es", "Este archivo tiene más de 3 filas")]
)
def test_the_refusal_speaks_the_language_of_the_page(previews, language, start):
    from django.utils import translation

    with translation.override(language), pytest.raises(SheetRefused) as refused:
        check_sheet(csv_upload(office_rows(4)), base_formats.CSV)
    assert str(refused.value).startswith(start)
