"""Error codes come from each app's ``ErrorCode`` enum, never from a string typed at the raise
site: the enums are what the tests assert and what the schema lists per endpoint."""

import ast
import pickle
import re
from pathlib import Path
from string import Formatter

import pytest
from django.conf import settings

from core.api.error_codes import error_enums, hazina_packages
from core.exceptions import ConflictError, CoreError, ValidationFailed
from finance.exceptions import FinanceError

# Call arguments that carry a wire code, by the callee's name: (position, keyword).
CODE_ARGUMENTS = {"error_response": (1, "code")}
DOMAIN_ERRORS = {
    "DomainError",
    "ValidationFailed",
    "NotAuthenticatedError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UpstreamUnavailable",
}
WIRE_CODE = re.compile(r"[a-z][a-z0-9_]*")
RESERVED = {"field", "detail"}  # DomainError's own keywords: not a message's placeholders


def _app_sources() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted(
        path
        for package in hazina_packages()
        for path in (base / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant | ast.JoinedStr) and not (
        isinstance(node, ast.Constant) and not isinstance(node.value, str)
    )


def _literal_codes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            if any(k.arg == "code" and _is_text(k.value) for k in node.keywords):
                found.append((node.lineno, f"{name}(code=<string>)"))
            if name in DOMAIN_ERRORS and node.args and _is_text(node.args[0]):
                found.append((node.lineno, f"{name}(<string>)"))
            if name in CODE_ARGUMENTS:
                position, _keyword = CODE_ARGUMENTS[name]
                if len(node.args) > position and _is_text(node.args[position]):
                    found.append((node.lineno, f"{name}(..., <string code>)"))
        elif (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "default_code" for t in node.targets)
            and _is_text(node.value)
        ):
            found.append((node.lineno, "default_code = <string>"))
    return found


def test_the_apps_raise_no_error_code_typed_as_a_string():
    assert len(_app_sources()) > 100  # every app's modules are read
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}"
        for path in _app_sources()
        for line, what in _literal_codes(ast.parse(path.read_text()))
    ]

    assert offenders == [], "use a member of the app's ErrorCode enum:\n" + "\n".join(offenders)


def test_the_check_finds_each_way_of_typing_a_code():
    source = """
raise ConflictError("Refused.", code="refused")
raise ValidationFailed("Refused.")
error_response(403, "forbidden_source", "No.")
class Refused(APIException):
    default_code = "refused"
ErrorDetail("No.", code=f"{kind}_refused")
"""

    assert [line for line, _ in _literal_codes(ast.parse(source))] == [2, 2, 3, 4, 6, 7]


def test_each_app_with_codes_has_its_enum():
    names = {enum.__name__ for enum in error_enums()}

    assert {"CoreError", "AccountsError", "GroupsError", "FinanceError", "MpesaError"} <= names


@pytest.mark.parametrize("enum", error_enums(), ids=lambda enum: enum.__name__)
def test_every_member_is_a_wire_code_with_a_message_template(enum):
    for member in enum:
        placeholders = {name for _, name, _, _ in Formatter().parse(member.message) if name}
        assert WIRE_CODE.fullmatch(member.value), member
        assert member.message.strip(), member
        assert not placeholders & RESERVED, member


def test_members_that_share_a_wire_code_keep_their_own_messages():
    ledger, welfare = FinanceError.INSUFFICIENT_FUNDS, FinanceError.WELFARE_INSUFFICIENT_FUNDS

    assert ledger is not welfare
    assert (ledger.value, welfare.value) == ("insufficient_funds", "insufficient_funds")
    assert ledger.message != welfare.message
    assert (str(ledger), f"{ledger}", ledger) == ("insufficient_funds",) * 3
    assert pickle.loads(pickle.dumps(welfare)) is welfare  # noqa: S301 - our own bytes


def test_a_domain_error_renders_its_member_message():
    error = ConflictError(FinanceError.PAYOUT_EXISTS, status="requested")

    assert (error.code, error.message, error.field, error.status_code) == (
        FinanceError.PAYOUT_EXISTS,
        "This round already has a payout requested.",
        None,
        409,
    )


def test_a_domain_error_keeps_a_message_written_elsewhere():
    error = ValidationFailed(CoreError.INVALID_PHONE, field="phone", detail="Written elsewhere.")

    assert (error.code, error.message, error.field) == (
        "invalid_phone",
        "Written elsewhere.",
        "phone",
    )
