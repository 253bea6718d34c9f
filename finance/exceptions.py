"""The error codes of the books, contributions, payouts, welfare and loans, with their
messages (tests assert them exactly)."""

from core.exceptions import ErrorCode

_NOT_CONFIRMED = "Only a confirmed contribution can be reversed; this one is {status}."


class FinanceError(ErrorCode):
    UNBALANCED_ENTRY = (
        "unbalanced_entry",
        "A journal entry must balance: debits {debits} ≠ credits {credits}.",
    )
    TOO_FEW_POSTINGS = "unbalanced_entry", "A journal entry needs at least two postings."
    FOREIGN_ACCOUNT = (
        "foreign_account",
        "A journal entry may only post to its own chama's accounts.",
    )
    NON_POSITIVE_AMOUNT = (
        "invalid_amount",
        "Posting amounts must be positive and have at most two decimal places.",
    )
    INSUFFICIENT_FUNDS = (
        "insufficient_funds",
        "{account} holds {currency} {balance}: it cannot pay out {currency} {amount}.",
    )
    ALREADY_REVERSED = "already_reversed", "This entry has already been reversed."
    CANNOT_REVERSE_REVERSAL = (
        "cannot_reverse_reversal",
        "A reversal cannot itself be reversed: record a new entry instead.",
    )
    IDEMPOTENCY_MISMATCH = (
        "idempotency_mismatch",
        "This idempotency key was already used for a different request.",
    )
    CYCLE_ACTIVE = (
        "cycle_active",
        "This chama already has an active cycle: finish it before starting another.",
    )
    TOO_FEW_MEMBERS = "too_few_members", "A cycle needs at least two active members."
    NO_CONTRIBUTION = (
        "no_contribution",
        "Set the chama's contribution amount before starting a cycle.",
    )
    MEMBER_NOT_ACTIVE = "member_not_active", "Only active members can contribute."
    DUPLICATE_RECEIPT = "duplicate_receipt", "M-Pesa receipt {receipt} has already been recorded."
    RECEIPT_REQUIRED = "receipt_required", "An M-Pesa contribution needs its M-Pesa receipt number."
    RECEIPT_NOT_MPESA = (
        "receipt_not_mpesa",
        "Only M-Pesa contributions carry an M-Pesa receipt number.",
    )
    INVALID_RECEIPT = (
        "invalid_receipt",
        "An M-Pesa receipt number is 10 letters and digits, e.g. QKJ7X8Y9Z0.",
    )
    PENDING_MPESA = (
        "pending_mpesa",
        "M-Pesa payments are confirmed by M-Pesa itself: record them as confirmed.",
    )
    NOT_PENDING = (
        "not_pending",
        "Only a pending contribution can be confirmed; this one is {status}.",
    )
    NOT_CONFIRMED = "not_confirmed", _NOT_CONFIRMED
    # A reversed contribution asked to be reversed again: its own code, the same message.
    CONTRIBUTION_REVERSED = "already_reversed", _NOT_CONFIRMED
    ROUND_PAID_OUT = (
        "round_paid_out",
        "Round {round} has already been paid out with this money: it cannot be reversed.",
    )
    CREDIT_CONSUMED = (
        "credit_consumed",
        "This contribution's overpayment has since been applied to later dues: reverse those "
        "first.",
    )
    NOT_DISBURSABLE = (
        "not_disbursable",
        "Round {round} is not disbursable: {count} member(s) still owe. Only the chair can pay "
        "out early, with a reason.",
    )
    OVERRIDE_CHAIR_ONLY = (
        "override_chair_only",
        "Only the chair can pay out a round before every due is settled.",
    )
    PAYOUT_EXISTS = "payout_exists", "This round already has a payout {status}."
    NOTHING_TO_PAY = "nothing_to_pay", "Nothing has been collected for this round yet."
    ROUND_NOT_PAID = (
        "round_not_paid",
        "Round {round} has not been paid out yet: a top-up pays on money that reaches a pot after"
        " its payout.",
    )
    POT_EMPTY = (
        "pot_empty",
        "Round {round}'s pot holds nothing to pay out.",
    )
    METHOD_UNAVAILABLE = "method_unavailable", "Payouts by {method} are not available."
    SAME_OFFICIAL = (
        "same_official",
        "The official who requested a payout cannot approve it: another official must.",
    )
    PAYOUT_NOT_REQUESTED = (
        "payout_not_requested",
        "Only a requested payout can be approved or rejected; this one is {status}.",
    )
    PAYOUT_NOT_IN_FLIGHT = (
        "payout_not_in_flight",
        "Only a payout in flight can be settled or failed; this one is {status}.",
    )
    WELFARE_INVALID_AMOUNT = (
        "invalid_amount",
        "A welfare claim is a positive amount with at most two decimal places, up to {maximum}.",
    )
    WELFARE_INVALID_TYPE = (
        "invalid_claim_type",
        "A welfare claim is for a bereavement, a hospital bill or an emergency.",
    )
    WELFARE_MEMBER_NOT_ACTIVE = (
        "member_not_active",
        "Only active members can claim from the welfare fund.",
    )
    WELFARE_OWN_CLAIMS_ONLY = (
        "own_claims_only",
        "Members submit welfare claims for themselves; an official can submit one for a member.",
    )
    WELFARE_OFFICIALS_ONLY = (
        "officials_only",
        "Only the chama's officials (chair, treasurer, secretary) decide and pay welfare claims.",
    )
    WELFARE_SAME_OFFICIAL = (
        "same_official",
        "A welfare claim cannot be decided by its claimant or by the official who submitted it: "
        "another official must.",
    )
    WELFARE_NOTE_REQUIRED = "note_required", "Say why the welfare claim is rejected."
    WELFARE_NOT_SUBMITTED = (
        "claim_not_submitted",
        "Only a submitted welfare claim can be approved or rejected; this one is {status}.",
    )
    WELFARE_NOT_APPROVED = (
        "claim_not_approved",
        "Only an approved welfare claim can be paid; this one is {status}.",
    )
    WELFARE_NOT_IN_FLIGHT = (
        "claim_not_in_flight",
        "Only a welfare claim in flight can be settled or failed; this one is {status}.",
    )
    WELFARE_INSUFFICIENT_FUNDS = (
        "insufficient_funds",
        "The welfare fund has {currency} {available} available but this claim needs {currency} "
        "{requested}: the fund may not go negative.",
    )
    WELFARE_TEXT_TOO_LONG = "max_length", "At most {limit} characters."
    WELFARE_AMOUNT_FIXED = (
        "welfare_amount_fixed",
        "The constitution pays {currency} {fixed} for a {claim_type} claim, not {currency} "
        "{requested}: claim {fixed}, or leave the amount out.",
    )
    WELFARE_AMOUNT_REQUIRED = (
        "welfare_amount_required",
        "Name the amount: the constitution fixes none for a {claim_type} claim.",
    )
    WELFARE_BUFFER = (
        "welfare_buffer",
        "The constitution keeps {currency} {buffer} of the welfare fund back from claims: "
        "claims can use {currency} {claimable} of its {currency} {available}, and this claim "
        "needs {currency} {requested}.",
    )
    WELFARE_PART_SPENT = (
        "insufficient_funds",
        "The welfare fund no longer holds this contribution's {amount} welfare part: it has been "
        "paid out in claims, so the contribution cannot be reversed.",
    )
    ACTIVE_LOAN_EXISTS = (
        "active_loan_exists",
        "This member already has a loan that is applied, approved or being repaid.",
    )
    TERM_OUT_OF_POLICY = "term_out_of_policy", "The chama lends for 1 to {max_term} months."
    EXCEEDS_SAVINGS_MULTIPLE = (
        "exceeds_savings_multiple",
        "A loan may be at most {multiple} times the member's savings and credit ({savings}): at "
        "most {limit}.",
    )
    RATE_OUTSIDE_POLICY = (
        "terms_outside_policy",
        "The chama lends at {rate} {period}; a loan may not name another rate.",
    )
    RATE_OUTSIDE_RANGE = (
        "terms_outside_policy",
        "The chama lends at {low} to {high} {period}; {rate} is outside that.",
    )
    TERM_FIXED_BY_POLICY = (
        "terms_outside_policy",
        "The chama's policy sets the {name} ({value}); a loan may not name another.",
    )
    EXCEEDS_CASH = (
        "exceeds_cash",
        "The chama holds {cash} in its paybill, bank and cash: the loan can be paid out once it "
        "holds the principal.",
    )
    GUARANTOR_IS_BORROWER = "guarantor_is_borrower", "A member cannot guarantee their own loan."
    GUARANTOR_NOT_MEMBER = (
        "guarantor_not_member",
        "Every guarantor must be an active member of this chama.",
    )
    GUARANTOR_TWICE = "guarantor_twice", "Each guarantor may be named once."
    NOT_THE_GUARANTOR = (
        "not_the_guarantor",
        "Only the named guarantor can accept or decline this guarantee.",
    )
    LOAN_NOT_APPLIED = (
        "loan_not_applied",
        "Only a loan awaiting its decision can be {action}; this one is {status}.",
    )
    APPLICANT_CANNOT_APPROVE = (
        "applicant_cannot_approve",
        "The borrower, or the official who applied for them, cannot approve the loan: another "
        "official must.",
    )
    GUARANTEES_INSUFFICIENT = (
        "guarantees_insufficient",
        "The accepted guarantees ({count} covering {covered}) do not meet the policy: {required} "
        "guarantor(s) covering {cover}.",
    )
    LOAN_NOT_APPROVED = (
        "loan_not_approved",
        "Only an approved loan can be disbursed; this one is {status}.",
    )
    LOAN_CLOSED = "loan_closed", "This loan is {status}: it takes no more repayments."
    LOAN_NOT_DEFAULTED = (
        "loan_not_defaulted",
        "Only a defaulted loan can be {action}; this one is {status}.",
    )
    NOTHING_TO_RECOVER = (
        "nothing_to_recover",
        "Nothing is left to recover from this loan's guarantors: {principal} of principal is "
        "outstanding and their guarantees have {cover} left to cover.",
    )
    GUARANTORS_WITHOUT_SAVINGS = (
        "nothing_to_recover",
        "The guarantors left to cover this loan have no savings to recover from.",
    )
    LOAN_NOT_IN_FLIGHT = (
        "loan_not_in_flight",
        "Only a loan in flight can be settled or failed; this one is {status}.",
    )
    TRANSFER_NOT_FOUND = "transfer_not_found", "There is no {kind} {object_id} to settle or fail."
    SUSPENSE_ALREADY_ASSIGNED = (
        "already_assigned",
        "M-Pesa receipt {receipt} has already been assigned to a member.",
    )
    SUSPENSE_RECONCILERS_ONLY = (
        "permission_denied",
        "Only the chair and the treasurer assign unidentified receipts.",
    )
    CONTRIBUTIONS_RECONCILERS_ONLY = (
        "permission_denied",
        "Only the chair and the treasurer confirm or reverse contributions.",
    )
    SUSPENSE_INVALID_PURPOSE = (
        "invalid_purpose",
        "A receipt is assigned as a contribution or a loan repayment.",
    )
    NO_LOAN_TO_REPAY = (
        "no_loan_to_repay",
        "This member has no loan being repaid: assign the receipt as a contribution instead.",
    )
    PRINCIPAL_BELOW_MINIMUM = (
        "principal_below_minimum",
        "The chama lends at least {minimum}; got {principal}.",
    )
    INSTALLMENT_TOO_SMALL = (
        "installment_too_small",
        "{principal} over {term} months leaves installment {number} repaying 0.00 of the "
        "principal: borrow more or over fewer months.",
    )
    PAYOFF_NOT_REPAYING = (
        "loan_not_repaying",
        "Only a loan being repaid has a payoff amount; this one is {status}.",
    )
    PAYOFF_BEFORE_DISBURSEMENT = (
        "payoff_before_disbursement",
        "The loan was disbursed on {disbursed}: a payoff date cannot be earlier; got {date}.",
    )
    TRANSFER_REQUESTERS_ONLY = (
        "treasurer_or_chair_only",
        "Only the chama's treasurer or chair records a transfer between its accounts.",
    )
    TRANSFER_OFFICIALS_ONLY = (
        "officials_only",
        "Only the chama's officials (chair, treasurer, secretary) decide transfers between its "
        "accounts.",
    )
    TRANSFER_SAME_ACCOUNT = "same_account", "A transfer moves money between two different accounts."
    TRANSFER_INVALID_ACCOUNT = (
        "invalid_account",
        "A transfer moves money between the paybill, the bank and cash.",
    )
    TRANSFER_INVALID_AMOUNT = (
        "invalid_amount",
        "A transfer is a positive amount with at most two decimal places, up to {maximum}.",
    )
    TRANSFER_MEMO_TOO_LONG = "max_length", "At most {limit} characters."
    TRANSFER_SAME_OFFICIAL = (
        "same_official",
        "The official who requested a transfer cannot approve it: another official must.",
    )
    TRANSFER_NOT_REQUESTED = (
        "transfer_not_requested",
        "Only a requested transfer can be approved or rejected; this one is {status}.",
    )
    TRANSFER_REASON_REQUIRED = "reason_required", "Say why the transfer is rejected."
    DATE_OUT_OF_RANGE = (
        "date_out_of_range",
        "{name} must fall between {earliest} (a year before the chama joined Hazina, for a paper"
        " history) and now.",
    )
    CYCLE_START_OUT_OF_RANGE = (
        "date_out_of_range",
        "A cycle starts between {earliest} (a year before the chama joined Hazina) and {latest}.",
    )
    LOAN_NOT_FOUND = "not_found", "No Loan matches the given query."
    POSITION_NOT_PERMITTED = (
        "not_permitted",
        "Only the member, the chama's officials and the auditor may read a member's position.",
    )

    INVALID_TERMS = "invalid_terms", "{reason}"  # the reason is finance.loan_math's message
    # The back office: the platform admin holds no office in a chama and decides nothing.
    NOT_OFFICIAL_PAYOUTS = "not_official", "Only an official of the chama can approve its payouts."
    NOT_OFFICIAL_LOANS = "not_official", "Only an official of the chama can decide its loans."
    OFFICIALS_DECIDE_LOANS = "not_official", "Only officials decide loans."
    # Refusals of the API's own views, under DRF's generic codes.
    OWN_LOANS_ONLY = "permission_denied", "Members apply for their own loans."
    REPAYMENTS_OFFICIALS_ONLY = "permission_denied", "Only officials record repayments."
    OTHER_MEMBER_DENIED = (
        "permission_denied",
        "Only officials and the auditor may read another member's statement.",
    )
    MEMBER_NOT_FOUND = "not_found", "No such member in this chama."
    PERIOD_REVERSED = (
        "invalid_period",
        "The period ends before it starts: `to` must be on or after `from`.",
    )


class FineError(ErrorCode):
    """Fines: issued, paid and waived through finance.services.fines."""

    INVALID_AMOUNT = (
        "invalid_amount",
        "A fine is a positive amount with at most two decimal places, up to {maximum}.",
    )
    REASON_REQUIRED = "reason_required", "Say why the member is fined."
    WAIVE_REASON_REQUIRED = "reason_required", "Say why the fine is waived."
    TEXT_TOO_LONG = "max_length", "At most {limit} characters."
    MEMBER_NOT_ACTIVE = "member_not_active", "Only an active member of the chama can be fined."
    OFFICIALS_ISSUE = "permission_denied", "Only officials issue fines."
    OFFICIALS_RECORD = "permission_denied", "Only officials record the payment of a fine."
    OFFICIALS_WAIVE = "permission_denied", "Only officials waive fines."
    OWN_FINE_WAIVER = (
        "same_official",
        "A fine is waived by an official other than the fined member and the one who issued it.",
    )
    OWN_SAVINGS_ONLY = (
        "permission_denied",
        "Only the fined member can pay a fine from their own savings.",
    )
    SETTLED = "fine_settled", "This fine is {status}: nothing is left to pay or waive."
    OVERPAID = (
        "fine_overpaid",
        "This fine has {currency} {unpaid} left to pay: {currency} {amount} is more than that.",
    )
    NONE_OWED = "no_fines_owed", "{member} owes no fines."
    SAVINGS_SHORT = (
        "insufficient_funds",
        "Savings hold {currency} {savings}: they cannot pay the {currency} {unpaid} fine.",
    )
    METHOD_INVALID = "invalid_method", "A fine is paid by mpesa, bank, cash or card."
