"""A chama's documents: the file in the documents storage, its type read from its bytes."""

import uuid

from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from groups.models import Chama, Membership


class DocumentKind(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", "Registration certificate"
    MINUTES = "minutes", "Minutes"
    CONSTITUTION = "constitution", "Constitution"
    RECEIPT = "receipt", "Receipt"
    KYC = "kyc", "KYC (identity) document"
    OTHER = "other", "Other"


class DocumentVisibility(models.TextChoices):
    OFFICIALS = "officials", "Officials only"
    MEMBERS = "members", "Every member"


def documents_storage() -> Storage:
    """The storage named "documents" in settings.STORAGES (local disk unless configured)."""
    return storages["documents"]


def document_path(instance: "Document", filename: str) -> str:
    """Where the bytes go: by chama and a fresh id, never by the uploader's file name."""
    return f"documents/{instance.chama_id}/{uuid.uuid4().hex}{instance.extension}"


class Document(BaseModel):
    """An uploaded file. Invariants: ``content_type`` is what its bytes are (sniffed, never
    the client's word); a KYC document is visible to officials only; a deleted document
    (``deleted_at`` set) keeps its row and bytes for the audit trail but is no longer listed
    or downloadable."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    visibility = models.CharField(max_length=10, choices=DocumentVisibility.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, storage=documents_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="governance_document_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=DocumentVisibility.values),
                name="governance_document_visibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DocumentKind.KYC) | Q(visibility=DocumentVisibility.OFFICIALS),
                name="governance_document_kyc_officials_only",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="governance_document_not_empty"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(deleted_by__isnull=False),
                name="governance_document_deleted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"
