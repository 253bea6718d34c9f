"""The error codes of options, placements and maturities, with their messages."""

from core.exceptions import ErrorCode


class InvestmentError(ErrorCode):
    OFFICIALS_ONLY = (
        "permission_denied",
        "Only the chama's treasurer or chair places and matures investments.",
    )
    OPTION_INACTIVE = "option_inactive", "This investment option takes no new placements."
    UNKNOWN_OPTION = "unknown_option", "There is no active investment option with this id."
    NO_RATE = (
        "no_rate",
        "This option has no rate effective on {date}: a platform administrator must set one.",
    )
    NO_TAX_SETTING = "no_tax_setting", "No withholding-tax setting is effective on {date}."
    INVALID_RATE = (
        "invalid_rate",
        "An annual rate is a fraction above 0 and at most 1 (0.1575 for 15.75%).",
    )
    RATE_EXISTS = "rate_exists", "This option already has a rate from {date}."
    INVALID_AMOUNT = (
        "invalid_amount",
        "An amount is positive, in whole cents, and at most {maximum}.",
    )
    BELOW_MINIMUM = "below_minimum", "The least {option} takes is {currency} {minimum}."
    NOT_AN_INCREMENT = (
        "not_an_increment",
        "Above {currency} {minimum}, {option} goes up in multiples of {currency} {increment}.",
    )
    INVALID_ACCOUNT = (
        "invalid_account",
        "An investment is paid from the paybill (1010), the bank (1020) or cash (1030).",
    )
    INVALID_METHOD = "invalid_method", "A placement is recorded by hand (manual) or sent by M-Pesa."
    MPESA_FROM_PAYBILL = (
        "invalid_account",
        "An M-Pesa placement leaves the paybill (1010).",
    )
    NO_RECEIVING_PAYBILL = (
        "no_receiving_paybill",
        "This option has no paybill to send M-Pesa to: pay by bank and record it by hand.",
    )
    PAYBILL_GATEWAY_UNAVAILABLE = (
        "gateway_unavailable",
        "M-Pesa payments to a paybill are not available: pay by bank and record it by hand.",
    )
    INVALID_CONFIRMED_PRICE = (
        "invalid_confirmed_price",
        "A T-bill's confirmed price is above 0 and below its face value of {face}.",
    )
    CONFIRMED_TAX_NOT_UP_FRONT = (
        "invalid_confirmed_tax",
        "Only a T-bill's withholding tax is paid with its price; this option's is withheld at "
        "maturity.",
    )
    DATE_OUT_OF_RANGE = (
        "date_out_of_range",
        "{name} must lie between {earliest} and today ({today}).",
    )
    PROPOSAL_EXECUTED = "proposal_executed", "This proposal has already been placed."
    ALREADY_MATURED = (
        "already_matured",
        "This holding already matured on {date}: nothing was written.",
    )
    NOT_ACTIVE = "holding_not_active", "Only an active holding can mature; this one is {status}."
    NOT_DUE = "not_due", "This holding matures on {date}; it cannot mature before then."
    INVALID_PROCEEDS = (
        "invalid_proceeds",
        "The confirmed proceeds are an amount above 0, in whole cents, at most {maximum}.",
    )
    PROCEEDS_BELOW_COST = (
        "invalid_proceeds",
        "What came back ({proceeds}) is less than the holding's value ({value}): record a loss "
        "with the treasurer's correcting entry, not as a maturity.",
    )
    NOT_IN_FLIGHT = (
        "holding_not_in_flight",
        "This placement is not awaiting M-Pesa's answer; it is {status}.",
    )
