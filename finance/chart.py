"""The chart of accounts every chama gets (DESIGN.md §3.2)."""

from dataclasses import dataclass

from finance.choices import AccountScope, AccountType, PaymentMethod


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    type: AccountType
    scope: AccountScope = AccountScope.CHAMA


MPESA_PAYBILL = "1010"
BANK = "1020"
CASH = "1030"
PAYOUTS_IN_FLIGHT = "1090"
LOANS_RECEIVABLE = "1100"
FINES_RECEIVABLE = "1120"
INVESTMENTS = "1200"
MEMBER_SAVINGS = "2100"
POT_PAYABLE = "2200"
PROFIT_PAYABLE = "2300"
EXPENSES_PAYABLE = "2400"
MEMBER_CREDIT = "2500"
SUSPENSE = "2600"
SHARE_CAPITAL = "3100"
WELFARE_FUND = "3200"
UNDISTRIBUTED_SURPLUS = "3300"
INTEREST_INCOME = "4100"
FINES_INCOME = "4200"
INVESTMENT_INCOME = "4300"
OPERATING_EXPENSES = "5100"
CHARGES = "5300"
WITHHOLDING_TAX = "5400"
WRITE_OFFS = "5500"

ASSET, LIABILITY, EQUITY = AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY
INCOME, EXPENSE = AccountType.INCOME, AccountType.EXPENSE
PER_MEMBER, PER_ROUND = AccountScope.MEMBER, AccountScope.ROUND

CHART = [
    AccountSpec(MPESA_PAYBILL, "M-Pesa paybill", ASSET),
    AccountSpec(BANK, "Bank account", ASSET),
    AccountSpec(CASH, "Cash at hand (treasurer)", ASSET),
    AccountSpec(PAYOUTS_IN_FLIGHT, "Payouts in flight (B2C clearing)", ASSET),
    AccountSpec(LOANS_RECEIVABLE, "Loans receivable, principal", ASSET, PER_MEMBER),
    AccountSpec(FINES_RECEIVABLE, "Fines receivable", ASSET, PER_MEMBER),
    AccountSpec(INVESTMENTS, "Investments at cost", ASSET),
    AccountSpec(MEMBER_SAVINGS, "Member savings", LIABILITY, PER_MEMBER),
    AccountSpec(POT_PAYABLE, "Merry-go-round pot payable", LIABILITY, PER_ROUND),
    AccountSpec(PROFIT_PAYABLE, "Profit payable to member", LIABILITY, PER_MEMBER),
    AccountSpec(EXPENSES_PAYABLE, "Approved expenses payable", LIABILITY),
    AccountSpec(MEMBER_CREDIT, "Member credit (overpayments)", LIABILITY, PER_MEMBER),
    AccountSpec(SUSPENSE, "Unidentified receipts (suspense)", LIABILITY),
    AccountSpec(SHARE_CAPITAL, "Share capital", EQUITY, PER_MEMBER),
    AccountSpec(WELFARE_FUND, "Welfare fund", EQUITY),
    AccountSpec(UNDISTRIBUTED_SURPLUS, "Undistributed surplus", EQUITY),
    AccountSpec(INTEREST_INCOME, "Loan interest income", INCOME),
    AccountSpec(FINES_INCOME, "Fines and penalties income", INCOME),
    AccountSpec(INVESTMENT_INCOME, "Investment income", INCOME),
    AccountSpec(OPERATING_EXPENSES, "Operating expenses", EXPENSE),
    AccountSpec(CHARGES, "M-Pesa and bank charges", EXPENSE),
    AccountSpec(WITHHOLDING_TAX, "Withholding tax", EXPENSE),
    AccountSpec(WRITE_OFFS, "Loans written off", EXPENSE),
]
SPECS = {spec.code: spec for spec in CHART}

# Where money arrives or leaves for each payment method (cards settle into the bank).
CASH_ACCOUNT_FOR_METHOD = {
    PaymentMethod.MPESA: MPESA_PAYBILL,
    PaymentMethod.BANK: BANK,
    PaymentMethod.CASH: CASH,
    PaymentMethod.CARD: BANK,
}
