"""The error codes of profit declarations and wealth reports, with their messages."""

from core.exceptions import ErrorCode


class ProfitError(ErrorCode):
    DECLARERS_ONLY = "permission_denied", "Only the chair or the treasurer declares profit."
    TREASURER_ONLY = "permission_denied", "Only the treasurer settles profit shares."
    NOT_YOURS = (
        "permission_denied",
        "A member chooses for their own share; an official may choose for any member.",
    )
    INVALID_NET = (
        "invalid_amount",
        "Profit is a positive amount with at most two decimal places, up to {maximum}.",
    )
    INVALID_TAX = (
        "invalid_amount",
        "Tax is zero or a positive amount with at most two decimal places, up to {maximum}.",
    )
    INVALID_PERIOD = (
        "invalid_period",
        "The period starts on or before the day it ends, and ends no later than today.",
    )
    SOURCE_REQUIRED = (
        "source_required",
        'Name where the income came from (such as "91-day T-bill"), in at most {limit} characters.',
    )
    EXCEEDS_INCOME = (
        "profit_exceeds_income",
        "Only {currency} {available} of investment income (net of withholding tax) is realised "
        "and not yet declared; {requested} cannot be declared.",
    )
    EXCEEDS_TAX = (
        "profit_exceeds_income",
        "Only {currency} {available} of withholding tax is booked and not yet declared; "
        "{requested} cannot be declared with this income.",
    )
    ALREADY_DECLARED = (
        "profit_already_declared",
        "This income has already been declared to the members.",
    )
    NO_WEIGHT = (
        "no_profit_weight",
        "No active member held savings in the period: there is no one to share profit with.",
    )
    CHOICE_NOT_OFFERED = (
        "choice_not_offered",
        "The constitution decides how this profit reaches the members ({payout}): members "
        "do not choose.",
    )
    ALREADY_CHOSEN = (
        "share_already_chosen",
        "This share has already been chosen ({choice}): the choice is made once.",
    )
    NOTHING_DUE = "share_nothing_due", "This share is nothing: there is nothing to choose."
    INVALID_CHOICE = "invalid_choice", "Choose paid_out or savings."
    INVALID_ACCOUNT = "invalid_account", "Profit is paid out from the paybill, the bank or cash."
    ACCOUNT_REQUIRED = (
        "account_required",
        "Shares are to be paid out: name the account they leave from (paybill, bank or cash).",
    )
    NOTHING_TO_SETTLE = "nothing_to_settle", "Every share of this declaration is settled."
