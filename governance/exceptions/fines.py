"""The error codes of the fines endpoints (the services' own are finance.exceptions.FineError)."""

from core.exceptions import ErrorCode


class FinesApiError(ErrorCode):
    # A rule across fields, not one field's own "required": the body may take either shape.
    PAYMENT_TERMS_REQUIRED = (
        "invalid_payment",
        "Give the amount and the method, or pay from your savings with from_savings: true.",
    )
    SAVINGS_TAKES_NO_TERMS = (
        "invalid_payment",
        "A payment from savings pays all that is left of the fine: give no amount or method.",
    )
