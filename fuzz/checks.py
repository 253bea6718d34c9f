"""A schemathesis check for ``make fuzz`` (loaded through SCHEMATHESIS_HOOKS; runs in
schemathesis's own environment, so it imports nothing of Hazina's).

The schema states each value's shape: its type, pattern, range, length, the fields a body
takes. It cannot state the rules of the books — a member who is not in the chama, a date
outside the chama's history, amounts that must add up, the chama's loan policy, a password
Django's validators find weak, a token that has expired. So a well-formed request may be
refused with 400 for such a rule (``positive_data_acceptance`` is told so in
schemathesis.toml), but never with a code by which a field refuses a value's shape: that
would be the schema admitting what the API does not.
"""

import json
from typing import Any

import schemathesis

# The codes with which Django REST framework's fields (and Hazina's own field classes) refuse
# a value for its shape, and the parser a body for its syntax.
SHAPE_CODES = frozenset(
    {
        "blank",
        "date",
        "datetime",
        "does_not_exist",
        "empty",
        "incorrect_type",
        "invalid",
        "invalid_choice",
        "invalid_phone",
        "make_aware",
        "malformed_json",
        "max_decimal_places",
        "max_digits",
        "max_length",
        "max_string_length",
        "max_value",
        "max_whole_digits",
        "min_length",
        "min_value",
        "no_name",
        "not_a_dict",
        "not_a_list",
        "null",
        "null_characters_not_allowed",
        "overflow",
        "phone_not_kenyan",
        "phone_not_mobile",
        "required",
        "surrogate_characters_not_allowed",
        "unknown_field",
    }
)


def _errors(text: str) -> list[dict[str, Any]]:
    try:
        body = json.loads(text)
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors or [] if isinstance(e, dict)]


@schemathesis.check  # type: ignore[untyped-decorator]  # schemathesis: its own environment
def well_formed_values_are_read(ctx: Any, response: Any, case: Any) -> None:
    """A request the schema admits is never refused for the shape of one of its values."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return
    refused = [e for e in _errors(response.text) if e.get("code") in SHAPE_CODES]
    if refused:
        found = ", ".join(f"{e.get('attr')}: {e.get('code')} ({e.get('detail')})" for e in refused)
        raise AssertionError(f"A value the schema admits was refused for its shape: {found}")
