from rest_framework import serializers

from core.api.serializers import InputSerializer
from governance.api.serializers.meetings import MemberRefOutputSerializer
from governance.models import Document, DocumentKind, DocumentVisibility
from governance.services.documents import TITLE_MAX


class DocumentOutputSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    visibility = serializers.ChoiceField(choices=DocumentVisibility.choices)
    uploaded_by = MemberRefOutputSerializer()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "visibility",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields


class DocumentUploadInputSerializer(InputSerializer):
    file = serializers.FileField(
        help_text="The document; its type is read from its bytes (PDF, PNG, JPEG, .docx, "
        ".xlsx or UTF-8 text), never from its name."
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(
        max_length=TITLE_MAX, allow_blank=True, default="", help_text="Defaults to the file name."
    )
    visibility = serializers.ChoiceField(
        choices=DocumentVisibility.choices,
        required=False,
        help_text="Default: members (KYC documents: officials, always).",
    )
