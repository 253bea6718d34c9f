"""Messages of finance's domain errors; tests assert them exactly."""

from groups.services import UNKNOWN_MEMBER

UNBALANCED_ENTRY = "A journal entry must balance: debits {debits} ≠ credits {credits}."
TOO_FEW_POSTINGS = "A journal entry needs at least two postings."
FOREIGN_ACCOUNT = "A journal entry may only post to its own chama's accounts."
NON_POSITIVE_AMOUNT = "Posting amounts must be positive and have at most two decimal places."
INSUFFICIENT_FUNDS = "{account} holds {currency} {balance}: it cannot pay out {currency} {amount}."
ALREADY_REVERSED = "This entry has already been reversed."
CANNOT_REVERSE_REVERSAL = "A reversal cannot itself be reversed: record a new entry instead."
IDEMPOTENCY_MISMATCH = "This idempotency key was already used for a different request."
CYCLE_ACTIVE = "This chama already has an active cycle: finish it before starting another."
TOO_FEW_MEMBERS = "A cycle needs at least two active members."
NO_CONTRIBUTION = "Set the chama's contribution amount before starting a cycle."
MEMBER_NOT_ACTIVE = "Only active members can contribute."
DUPLICATE_RECEIPT = "M-Pesa receipt {receipt} has already been recorded."
RECEIPT_REQUIRED = "An M-Pesa contribution needs its M-Pesa receipt number."
RECEIPT_NOT_MPESA = "Only M-Pesa contributions carry an M-Pesa receipt number."
INVALID_RECEIPT = "An M-Pesa receipt number is 10 letters and digits, e.g. QKJ7X8Y9Z0."
PENDING_MPESA = "M-Pesa payments are confirmed by M-Pesa itself: record them as confirmed."
NOT_PENDING = "Only a pending contribution can be confirmed; this one is {status}."
NOT_CONFIRMED = "Only a confirmed contribution can be reversed; this one is {status}."
ROUND_PAID_OUT = "Round {round} has already been paid out with this money: it cannot be reversed."
CREDIT_CONSUMED = (
    "This contribution's overpayment has since been applied to later dues: reverse those first."
)
NOT_DISBURSABLE = (
    "Round {round} is not disbursable: {count} member(s) still owe. "
    "Only the chair can pay out early, with a reason."
)
OVERRIDE_CHAIR_ONLY = "Only the chair can pay out a round before every due is settled."
PAYOUT_EXISTS = "This round already has a payout {status}."
NOTHING_TO_PAY = "Nothing has been collected for this round yet."
ROUND_NOT_PAID = (
    "Round {round} has not been paid out yet: a top-up pays on money that reaches a pot after "
    "its payout."
)
POT_EMPTY = "Round {round}'s pot holds nothing to pay out."
METHOD_UNAVAILABLE = "Payouts by {method} are not available."
SAME_OFFICIAL = "The official who requested a payout cannot approve it: another official must."
PAYOUT_NOT_REQUESTED = "Only a requested payout can be approved or rejected; this one is {status}."
PAYOUT_NOT_IN_FLIGHT = "Only a payout in flight can be settled or failed; this one is {status}."
WELFARE_INVALID_AMOUNT = (
    "A welfare claim is a positive amount with at most two decimal places, up to {maximum}."
)
WELFARE_INVALID_TYPE = "A welfare claim is for a bereavement, a hospital bill or an emergency."
WELFARE_MEMBER_NOT_ACTIVE = "Only active members can claim from the welfare fund."
WELFARE_OWN_CLAIMS_ONLY = (
    "Members submit welfare claims for themselves; an official can submit one for a member."
)
WELFARE_OFFICIALS_ONLY = (
    "Only the chama's officials (chair, treasurer, secretary) decide and pay welfare claims."
)
WELFARE_SAME_OFFICIAL = (
    "A welfare claim cannot be decided by its claimant or by the official who submitted it: "
    "another official must."
)
WELFARE_NOTE_REQUIRED = "Say why the welfare claim is rejected."
WELFARE_NOT_SUBMITTED = (
    "Only a submitted welfare claim can be approved or rejected; this one is {status}."
)
WELFARE_NOT_APPROVED = "Only an approved welfare claim can be paid; this one is {status}."
WELFARE_NOT_IN_FLIGHT = (
    "Only a welfare claim in flight can be settled or failed; this one is {status}."
)
WELFARE_INSUFFICIENT_FUNDS = (
    "The welfare fund has {currency} {available} available but this claim needs {currency} "
    "{requested}: the fund may not go negative."
)
WELFARE_TEXT_TOO_LONG = "At most {limit} characters."
WELFARE_PART_SPENT = (
    "The welfare fund no longer holds this contribution's {amount} welfare part: it has been "
    "paid out in claims, so the contribution cannot be reversed."
)
ACTIVE_LOAN_EXISTS = "This member already has a loan that is applied, approved or being repaid."
TERM_OUT_OF_POLICY = "The chama lends for 1 to {max_term} months."
EXCEEDS_SAVINGS_MULTIPLE = (
    "A loan may be at most {multiple} times the member's savings and credit ({savings}): at "
    "most {limit}."
)
RATE_OUTSIDE_POLICY = "The chama lends at {rate} {period}; a loan may not name another rate."
RATE_OUTSIDE_RANGE = "The chama lends at {low} to {high} {period}; {rate} is outside that."
TERM_FIXED_BY_POLICY = "The chama's policy sets the {field} ({value}); a loan may not name another."
EXCEEDS_CASH = (
    "The chama holds {cash} in its paybill, bank and cash: the loan can be paid out once it "
    "holds the principal."
)
GUARANTOR_IS_BORROWER = "A member cannot guarantee their own loan."
GUARANTOR_NOT_MEMBER = "Every guarantor must be an active member of this chama."
GUARANTOR_TWICE = "Each guarantor may be named once."
NOT_THE_GUARANTOR = "Only the named guarantor can accept or decline this guarantee."
LOAN_NOT_APPLIED = "Only a loan awaiting its decision can be {action}; this one is {status}."
APPLICANT_CANNOT_APPROVE = (
    "The borrower, or the official who applied for them, cannot approve the loan: another "
    "official must."
)
GUARANTEES_INSUFFICIENT = (
    "The accepted guarantees ({count} covering {covered}) do not meet the policy: "
    "{required} guarantor(s) covering {cover}."
)
LOAN_NOT_APPROVED = "Only an approved loan can be disbursed; this one is {status}."
LOAN_CLOSED = "This loan is {status}: it takes no more repayments."
LOAN_NOT_DEFAULTED = "Only a defaulted loan can be {action}; this one is {status}."
NOTHING_TO_RECOVER = (
    "Nothing is left to recover from this loan's guarantors: {principal} of principal is "
    "outstanding and their guarantees have {cover} left to cover."
)
GUARANTORS_WITHOUT_SAVINGS = (
    "The guarantors left to cover this loan have no savings to recover from."
)
LOAN_NOT_IN_FLIGHT = "Only a loan in flight can be settled or failed; this one is {status}."
TRANSFER_NOT_FOUND = "There is no {kind} {object_id} to settle or fail."
SUSPENSE_ALREADY_ASSIGNED = "M-Pesa receipt {receipt} has already been assigned to a member."
SUSPENSE_INVALID_PURPOSE = "A receipt is assigned as a contribution or a loan repayment."
NO_LOAN_TO_REPAY = (
    "This member has no loan being repaid: assign the receipt as a contribution instead."
)
PRINCIPAL_BELOW_MINIMUM = "The chama lends at least {minimum}; got {principal}."
INSTALLMENT_TOO_SMALL = (
    "{principal} over {term} months leaves installment {number} repaying 0.00 of the principal: "
    "borrow more or over fewer months."
)
PAYOFF_NOT_REPAYING = "Only a loan being repaid has a payoff amount; this one is {status}."
PAYOFF_BEFORE_DISBURSEMENT = (
    "The loan was disbursed on {disbursed}: a payoff date cannot be earlier; got {date}."
)

__all__ = ["UNKNOWN_MEMBER"]

# Transfers between the chama's own accounts (finance.services.ledger_transfers).
TRANSFER_REQUESTERS_ONLY = (
    "Only the chama's treasurer or chair records a transfer between its accounts."
)
TRANSFER_OFFICIALS_ONLY = (
    "Only the chama's officials (chair, treasurer, secretary) decide transfers between its "
    "accounts."
)
TRANSFER_SAME_ACCOUNT = "A transfer moves money between two different accounts."
TRANSFER_INVALID_ACCOUNT = "A transfer moves money between the paybill, the bank and cash."
TRANSFER_INVALID_AMOUNT = (
    "A transfer is a positive amount with at most two decimal places, up to {maximum}."
)
TRANSFER_MEMO_TOO_LONG = "At most {limit} characters."
TRANSFER_SAME_OFFICIAL = (
    "The official who requested a transfer cannot approve it: another official must."
)
TRANSFER_NOT_REQUESTED = (
    "Only a requested transfer can be approved or rejected; this one is {status}."
)
TRANSFER_REASON_REQUIRED = "Say why the transfer is rejected."
DATE_OUT_OF_RANGE = (
    "{field} must fall between {earliest} (a year before the chama joined Hazina, for a paper "
    "history) and now."
)
CYCLE_START_OUT_OF_RANGE = (
    "A cycle starts between {earliest} (a year before the chama joined Hazina) and {latest}."
)
LOAN_NOT_FOUND = "No Loan matches the given query."
POSITION_NOT_PERMITTED = (
    "Only the member, the chama's officials and the auditor may read a member's position."
)
