"""chamas/{chama_id}/documents/: the chama's documents, uploaded by the officials, read by
every member or by the officials only (KYC always), downloaded through the API."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from finance.api.views.statements import QueryFormatIsOurs
from governance.api.serializers.documents import (
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
)
from governance.api.uploads import UploadParser
from governance.models import Document, DocumentKind
from governance.selectors.documents import document_list
from governance.services.documents import document_delete, document_upload
from governance.services.sniffing import DOCX, JPEG, PDF, PNG, TEXT, XLSX
from groups.api.scoping import ChamaScopedViewSet

DOWNLOAD_TYPES = [t.content_type.split(";")[0] for t in (PDF, PNG, JPEG, DOCX, XLSX, TEXT)]


class DocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)

    class Meta:
        model = Document
        fields = ["kind"]


class DocumentViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """A member sees the member-visible documents; the officials and the auditor see all.
    One a member may not see is 404 to them, as if it did not exist."""

    lookup_url_kwarg = "document_id"
    target_name = "document"
    serializer_class = DocumentOutputSerializer
    filterset_class = DocumentFilter
    parser_classes = [UploadParser]
    # The file answers in its own type, whatever the client asked for.
    content_negotiation_class = QueryFormatIsOurs
    action_roles = {"download": ChamaScopedViewSet.read_roles}

    def get_queryset(self) -> QuerySet[Document]:
        if self.is_schema_generation:
            return QuerySet(Document).none()
        return document_list(viewer=self.membership)

    @extend_schema(
        summary="Documents you may read, newest first",
        responses={200: DocumentOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A document's details", responses={200: DocumentOutputSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a document (an official); its type is read from its bytes",
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(document_upload, input_serializer=DocumentUploadInputSerializer)

    @extend_schema(
        summary="Delete a document (an official): hidden from lists and downloads, kept for "
        "the audit trail",
        responses={204: None},
    )
    def destroy(self, request: Request, chama_id: str, document_id: str) -> Response:
        document_delete(document=self.get_object(), acting=self.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download the file, as an attachment in its own type",
        responses={(200, media): OpenApiTypes.BINARY for media in DOWNLOAD_TYPES},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, chama_id: str, document_id: str) -> FileResponse:
        document = self.get_object()
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
