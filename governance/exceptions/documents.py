"""The error codes of documents, with their messages."""

from core.exceptions import ErrorCode


class DocumentError(ErrorCode):
    EXECUTABLE = (
        "file_executable",
        "This file is a program, not a document: it is refused whatever its name.",
    )
    UNSUPPORTED_TYPE = (
        "file_type_unsupported",
        "Upload a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or plain-text file.",
    )
    TOO_LARGE = "file_too_large", "A document is at most {limit} bytes."
    EMPTY = "file_empty", "The file is empty."
    KYC_OFFICIALS_ONLY = (
        "kyc_officials_only",
        "KYC documents are visible to the officials only.",
    )
    NOT_OFFICIAL = "permission_denied", "Only the chama's officials upload and delete documents."
