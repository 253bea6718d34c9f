"""The error codes of expenses, with their messages (tests assert them exactly)."""

from core.exceptions import ErrorCode


class ExpenseError(ErrorCode):
    TREASURER_ONLY = "permission_denied", "Only the treasurer records and pays expenses."
    OFFICIALS_ONLY = (
        "permission_denied",
        "Only the chama's officials (chair, treasurer, secretary) approve or reject expenses.",
    )
    SAME_OFFICIAL = (
        "same_official",
        "The official who recorded an expense cannot sign it: another official must.",
    )
    NOT_PENDING = (
        "expense_not_pending",
        "Only an expense awaiting signatures can be approved or rejected; this one is {status}.",
    )
    DISPUTED = (
        "expense_disputed",
        "This expense is before the members in a dispute vote: its result decides it.",
    )
    NOT_APPROVED = (
        "expense_not_approved",
        "Only an approved expense can be paid; this one is {status}.",
    )
    INVALID_AMOUNT = (
        "invalid_amount",
        "An expense is a positive amount with at most two decimal places, up to {maximum}.",
    )
    INVALID_CATEGORY = "invalid_category", "Choose one of the expense categories."
    INVALID_ACCOUNT = "invalid_account", "An expense is paid from the paybill, the bank or cash."
    PAYEE_REQUIRED = "payee_required", "Name who is paid."
    TEXT_TOO_LONG = "max_length", "At most {limit} characters."
    REASON_REQUIRED = "reason_required", "Say why the expense is rejected."
    RECEIPT_REQUIRED = (
        "receipt_required",
        "Attach the receipt once: upload it (receipt) or name a receipt document (receipt_id).",
    )
    UNKNOWN_RECEIPT = (
        "unknown_receipt",
        "This chama has no receipt document with this id.",
    )
    RECEIPT_IN_USE = "receipt_in_use", "This receipt already backs another expense."
