"""The API's one request parser: JSON, read whole or refused.

- Numbers become ``Decimal``, never ``float``: ``100.1`` is exactly 100.10, and a number with
  more places than its field allows is refused by the field, never rounded through binary.
- A body deeper than ``API_MAX_JSON_DEPTH``, not UTF-8 or not JSON is ``400 malformed_json``;
  one larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is ``413 payload_too_large``
  (``core.api.errors``).
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions, parsers

from core.exceptions import CoreError
from core.jsontext import JSONUnreadable, json_text_load


class MalformedJSON(exceptions.ParseError):
    default_detail = CoreError.MALFORMED_JSON.message
    default_code = CoreError.MALFORMED_JSON


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # always set (config.settings)
        raw = b"" if stream is None else stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestDataTooBig("The request body is larger than the API accepts.")
        try:
            return json_text_load(raw, max_depth=settings.API_MAX_JSON_DEPTH, parse_float=Decimal)
        except JSONUnreadable as error:
            raise MalformedJSON(str(error)) from None
