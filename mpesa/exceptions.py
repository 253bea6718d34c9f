"""Messages the M-Pesa integration shows to members and treasurers (tests assert them): the
error codes it answers with, and the reasons it records on payments and transfers."""

from core.exceptions import ErrorCode


class MpesaError(ErrorCode):
    STK_NO_LIVE_LOAN = "no_live_loan", "This member has no loan being repaid."
    STK_NO_FINES = "no_fines_owed", "This member owes no fines."
    C2B_NO_FINES = (
        "no_fines_owed",
        "Account {account} asks to pay fines but the member owes none.",
    )
    C2B_NO_LIVE_LOAN = (
        "no_live_loan",
        "Account {account} asks for a loan repayment but the member has no live loan.",
    )
    STK_TOO_SOON = (
        "stk_too_soon",
        "A prompt for {amount} was sent to this phone less than two minutes ago, and M-Pesa "
        "refuses a repeat of the same amount. Try again after {after}.",
    )
    STK_AMOUNT_WHOLE = "invalid_amount", "M-Pesa takes whole shillings from 1 to 250,000."
    STK_NO_PHONE = "no_phone", "This member has no M-Pesa phone number; give one."
    STK_NOT_SENT = "mpesa_unavailable", "M-Pesa did not accept the payment request: {reason}"
    # Daraja could not be reached or did not answer: what went wrong (an address, a timeout)
    # is for the log, not for the member.
    STK_NOT_ANSWERING = (
        "mpesa_unavailable",
        "M-Pesa is not answering right now. Try again in a minute.",
    )
    STK_OTHERS_ONLY_OFFICIALS = (
        "permission_denied",
        "Only officials can request a payment from another member.",
    )
    NOT_A_STATEMENT = (
        "invalid_statement",
        "This is not an M-Pesa statement export: it needs the columns Receipt No., Completion "
        "Time, Paid In and Withdrawn.",
    )
    BAD_ROW = "invalid_statement", "Row {row} of the statement cannot be read: {reason}"
    TOO_MANY_ROWS = "invalid_statement", "A statement may have at most {limit} rows."
    INVALID_CALLBACK = "invalid_callback", "The callback could not be read: {reason}"
    CALLBACK_FORBIDDEN = "forbidden_source", "Callbacks are not accepted from this address."


# What a member reads when their STK prompt did not end in a payment, by Daraja ResultCode.
STK_FAILURE_REASONS = {
    1: "Your M-Pesa balance was not enough for this payment.",
    17: "M-Pesa refused a repeat of the same amount within two minutes. Try again shortly.",
    1019: "The payment prompt expired before it was answered. Try again.",
    1025: "M-Pesa could not show the payment prompt. Try again.",
    1032: "You cancelled the payment on your phone.",
    1037: "Your phone could not be reached. Check that it is on and has signal, then try again.",
    2001: "The M-Pesa PIN entered was wrong.",
}
STK_FAILED_OTHER = "M-Pesa could not complete the payment: {desc} (code {code})."
STK_AMOUNT_MISMATCH = (
    "M-Pesa reported {paid} paid against {asked} requested: held for the treasurer."
)
STK_PHONE_MISMATCH = "M-Pesa reported payment from {paid}, not {asked}: held for the treasurer."
STK_LATE_SUCCESS = (
    "M-Pesa reported success after the request was marked {status}: held for the treasurer."
)
STK_UNKNOWN = "No payment request with this CheckoutRequestID."

C2B_UNKNOWN_ACCOUNT = "No member with account number {account}."
C2B_UNKNOWN_CHAMA = "No chama with account number {account}: kept for the platform staff."

B2C_UNKNOWN = "No transfer with this OriginatorConversationID."
B2C_AMOUNT_MISMATCH = "M-Pesa reported {paid} sent against {asked}: held for the treasurer."
B2C_LATE_SUCCESS = (
    "M-Pesa reports this transfer paid after it was failed and its money returned to the "
    "books: held for the treasurer."
)
B2C_NOT_SENT = "M-Pesa did not accept the transfer: {detail}"
