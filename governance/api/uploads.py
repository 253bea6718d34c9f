"""Reading an upload: refused by its declared length before a byte of it is read."""

from typing import Any

from django.conf import settings
from rest_framework import parsers

from core.api.errors import PayloadTooLarge
from core.exceptions import CoreError

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadParser(parsers.MultiPartParser):
    """multipart/form-data whose body is at most DOCUMENT_MAX_BYTES (plus the form around
    it): a larger Content-Length is 413 ``payload_too_large`` before the body is read, so a
    50 MB upload costs neither memory nor a temporary file. (The file's own size is checked
    again by the service, 400 ``file_too_large``.)"""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit: int = settings.DOCUMENT_MAX_BYTES
        request = (parser_context or {}).get("request")
        meta = getattr(request, "META", {})
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + FORM_OVERHEAD:
            raise PayloadTooLarge(CoreError.PAYLOAD_TOO_LARGE.render(limit=f"{limit:,}"))
        return super().parse(stream, media_type, parser_context)
