"""Documents: uploaded by an official, typed from their bytes, stored through the documents
storage, visible to every member or to the officials only (KYC always), soft-deleted."""

import hashlib
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.exceptions import ValidationFailed
from governance.exceptions import DocumentError
from governance.models import Document, DocumentKind, DocumentVisibility
from governance.services.sniffing import CHUNK, file_type_sniff
from groups.models import Chama, Membership
from groups.rules import official_check

TITLE_MAX = 200
NAME_MAX = 255


def document_size_check(size: int) -> None:
    limit: int = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationFailed(DocumentError.TOO_LARGE, limit=f"{limit:,}", field="file")
    if size <= 0:
        raise ValidationFailed(DocumentError.EMPTY, field="file")


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _visibility(kind: str, visibility: str | None) -> str:
    if kind == DocumentKind.KYC:
        if visibility not in (None, DocumentVisibility.OFFICIALS):
            raise ValidationFailed(DocumentError.KYC_OFFICIALS_ONLY, field="visibility")
        return DocumentVisibility.OFFICIALS
    return visibility or DocumentVisibility.MEMBERS


@transaction.atomic
def document_upload(
    *,
    chama: Chama,
    acting: Membership,
    file: File,
    kind: str,
    title: str = "",
    visibility: str | None = None,
) -> Document:
    """Store ``file`` as a document of the chama. Its size and type are checked before
    anything is written; the type is what its bytes say (an executable named .pdf is
    refused). Without a title, the file's name is the title."""
    official_check(acting, chama_id=chama.pk, refused=DocumentError.NOT_OFFICIAL)
    size = int(file.size or 0)
    document_size_check(size)
    file_type = file_type_sniff(file)
    visibility = _visibility(kind, visibility)
    name = (file.name or "document").rsplit("/", 1)[-1][:NAME_MAX]
    document = Document(
        chama=chama,
        kind=kind,
        visibility=visibility,
        title=(title.strip() or name)[:TITLE_MAX],
        original_name=name,
        content_type=file_type.content_type,
        extension=file_type.extension,
        size=size,
        sha256=_sha256(file),
        uploaded_by=acting,
    )
    # The bytes are written first; if the row then fails, the file is removed with it.
    document.file.save(name, file, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_delete(*, document: Document, acting: Membership) -> Document:
    """Hide a document from lists and downloads (an official). The row and its bytes stay,
    for the audit trail; deleting again changes nothing."""
    official_check(acting, chama_id=document.chama_id, refused=DocumentError.NOT_OFFICIAL)
    if document.deleted_at is None:
        document.deleted_at = timezone.now()
        document.deleted_by = acting
        document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return document
