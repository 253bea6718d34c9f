"""Reading JSON a stranger sent: bounded nesting, no NaN or Infinity, and a readable reason
when it cannot be read. The API's parser and the Daraja callbacks both read through this."""

import json
from collections.abc import Callable
from typing import Any


class JSONUnreadable(ValueError):
    pass


def _nesting_exceeds(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than ``limit`` (strings skipped): checked before decoding,
    so a hostile body never reaches the decoder's recursion."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def json_text_load(
    raw: bytes, *, max_depth: int, parse_float: Callable[[str], Any] | None = None
) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JSONUnreadable(f"The body is not UTF-8 text ({error.reason}).") from None
    if _nesting_exceeds(text, max_depth):
        raise JSONUnreadable(f"JSON nested deeper than {max_depth} levels.")
    try:
        return json.loads(text, parse_float=parse_float, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise JSONUnreadable(f"The body is not valid JSON: {error}") from None
