"""chamas/{id}/documents/: upload with the type read from the bytes, size limits, who sees
what, download and delete."""

import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings

from governance.api.uploads import UploadParser
from governance.models import Document
from tests.governance.meetings_fixtures import (
    DOCX_BYTES,
    ELF_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    upload,
)

pytestmark = pytest.mark.django_db


def post(club, role="secretary", **data):
    data.setdefault("kind", "constitution")
    return club.clients[role].post(f"{club.base}/documents/", data, format="multipart")


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_official_uploads_a_pdf_and_a_member_downloads_it(club):
    response = post(
        club,
        file=upload("Katiba.pdf", PDF_BYTES, "text/plain"),  # the client's type is ignored
        title="Constitution 2026",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("kind", "visibility", "title", "original_name", "size")} == {
        "kind": "constitution",
        "visibility": "members",
        "title": "Constitution 2026",
        "original_name": "Katiba.pdf",
        "size": len(PDF_BYTES),
    }
    assert body["content_type"] == "application/pdf"
    assert body["uploaded_by"]["member_id"] == str(club.secretary.pk)
    document = Document.objects.get()
    assert document.file.name.startswith(f"documents/{club.chama.pk}/")
    assert document.file.name.endswith(".pdf")

    download = club.clients["member"].get(f"{club.base}/documents/{body['id']}/download/")

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Katiba.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_docx_named_pdf_is_stored_as_what_it_is(club):
    response = post(club, kind="other", file=upload("notes.pdf", DOCX_BYTES))

    assert response.status_code == 201
    assert response.json()["content_type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert Document.objects.get().file.name.endswith(".docx")


@pytest.mark.parametrize("content", [EXE_BYTES, ELF_BYTES])
def test_an_executable_named_pdf_is_refused_and_nothing_is_written(club, content):
    response = post(club, file=upload("receipt.pdf", content))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "file_executable",
            "detail": "This file is a program, not a document: it is refused whatever its name.",
            "attr": "file",
        }
    ]
    assert not Document.objects.exists()
    assert stored_files() == []


def test_a_50_mb_upload_is_refused_before_it_is_read(club):
    big = upload("big.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024))

    response = post(club, file=big)

    assert response.status_code == 413
    assert response.json()["errors"] == [
        {
            "code": "payload_too_large",
            "detail": "The request body is larger than the API accepts. At most 10,485,760 bytes.",
            "attr": None,
        }
    ]
    assert not Document.objects.exists()
    assert stored_files() == []


def test_the_parser_refuses_by_the_declared_length_without_reading(rf):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = rf.post("/", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)

    with pytest.raises(Exception, match="At most 10,485,760 bytes") as refused:
        UploadParser().parse(Unreadable(), "multipart/form-data; boundary=x", {"request": request})

    assert refused.value.status_code == 413


def test_a_file_just_over_the_limit_is_refused_by_its_size(club, settings):
    settings.DOCUMENT_MAX_BYTES = 1000

    response = post(club, file=upload("a.pdf", b"%PDF-" + b"0" * 1000))

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "file_too_large",
        "detail": "A document is at most 1,000 bytes.",
        "attr": "file",
    }
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("data", "attr", "code"),
    [
        ({"file": upload("a.bin", b"\x00\x01\x02garbage")}, "file", "file_type_unsupported"),
        ({"file": upload("a.pdf", b"")}, "file", "empty"),
        ({}, "file", "required"),
        ({"file": "not a file"}, "file", "invalid"),
        ({"file": upload("a.pdf", PDF_BYTES), "kind": "passport"}, "kind", "invalid_choice"),
        (
            {"file": upload("id.png", PNG_BYTES), "kind": "kyc", "visibility": "members"},
            "visibility",
            "kyc_officials_only",
        ),
    ],
)
def test_bad_uploads_write_nothing(club, data, attr, code):
    response = post(club, **data)

    assert response.status_code == 400, response.json()
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert not Document.objects.exists()
    assert stored_files() == []


def test_kyc_and_officials_only_documents_are_hidden_from_a_member(club):
    kyc = post(club, kind="kyc", file=upload("id.png", PNG_BYTES)).json()
    private = post(
        club, kind="receipt", visibility="officials", file=upload("r.pdf", PDF_BYTES)
    ).json()
    public = post(club, kind="receipt", file=upload("p.pdf", PDF_BYTES)).json()
    member, auditor = club.clients["member"], club.clients["auditor"]

    assert kyc["visibility"] == "officials"
    listed = member.get(f"{club.base}/documents/").json()["results"]
    assert [d["id"] for d in listed] == [public["id"]]
    for hidden in (kyc, private):
        assert member.get(f"{club.base}/documents/{hidden['id']}/").status_code == 404
        assert member.get(f"{club.base}/documents/{hidden['id']}/download/").status_code == 404
    everything = auditor.get(f"{club.base}/documents/").json()["results"]
    assert {d["id"] for d in everything} == {kyc["id"], private["id"], public["id"]}


def test_an_official_deletes_a_document_which_is_then_gone_but_kept(club):
    document = post(club, file=upload("old.pdf", PDF_BYTES)).json()
    url = f"{club.base}/documents/{document['id']}/"

    assert club.clients["member"].delete(url).status_code == 403
    response = club.clients["treasurer"].delete(url)

    assert response.status_code == 204
    assert club.clients["chair"].get(url).status_code == 404
    assert club.clients["chair"].get(f"{url}download/").status_code == 404
    assert club.clients["chair"].get(f"{club.base}/documents/").json()["results"] == []
    row = Document.objects.get()
    assert row.deleted_by == club.treasurer
    assert row.file.read() == PDF_BYTES  # kept for the audit trail


def test_the_audit_log_records_the_upload_but_never_the_bytes(club):
    post(club, file=upload("k.pdf", PDF_BYTES))

    (entry,) = LogEntry.objects.get_for_object(Document.objects.get())
    assert "file" not in entry.changes
    assert entry.changes["content_type"] == ["None", "application/pdf"]
    assert PDF_BYTES.decode() not in str(entry.changes)
