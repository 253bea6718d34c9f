"""The chart of accounts every chama gets (DESIGN.md §3.2)."""

from dataclasses import dataclass

from finance.choices import (
    DEBIT_NORMAL_TYPES,
    AccountScope,
    AccountType,
    BalanceRule,
    PaymentMethod,
    TransferAccount,
)


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    type: AccountType
    scope: AccountScope = AccountScope.CHAMA
    # Whether the balance may never go below zero in its normal direction (DESIGN §3.1).
    floored: bool = True

    @property
    def balance_rule(self) -> BalanceRule:
        if not self.floored:
            return BalanceRule.NONE
        if self.type in DEBIT_NORMAL_TYPES:
            return BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS
        return BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS


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
BAD_DEBTS_RECOVERED = "4400"
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
    # A surplus can turn into a loss, and a reversal may debit income: these carry no rule.
    AccountSpec(UNDISTRIBUTED_SURPLUS, "Undistributed surplus", EQUITY, floored=False),
    AccountSpec(INTEREST_INCOME, "Loan interest income", INCOME, floored=False),
    AccountSpec(FINES_INCOME, "Fines and penalties income", INCOME, floored=False),
    AccountSpec(INVESTMENT_INCOME, "Investment income", INCOME, floored=False),
    # What a borrower pays on a loan already written off: the loss comes back as income.
    AccountSpec(BAD_DEBTS_RECOVERED, "Bad debts recovered", INCOME, floored=False),
    AccountSpec(OPERATING_EXPENSES, "Operating expenses", EXPENSE, floored=False),
    AccountSpec(CHARGES, "M-Pesa and bank charges", EXPENSE, floored=False),
    AccountSpec(WITHHOLDING_TAX, "Withholding tax", EXPENSE, floored=False),
    AccountSpec(WRITE_OFFS, "Loans written off", EXPENSE, floored=False),
]
SPECS = {spec.code: spec for spec in CHART}

# Where money arrives or leaves for each payment method (cards settle into the bank).
CASH_ACCOUNT_FOR_METHOD = {
    PaymentMethod.MPESA: MPESA_PAYBILL,
    PaymentMethod.BANK: BANK,
    PaymentMethod.CASH: CASH,
    PaymentMethod.CARD: BANK,
}

# The accounts a transfer between the chama's own accounts moves money between (DESIGN §3.1).
TRANSFER_ACCOUNT_CODES = {
    TransferAccount.PAYBILL: MPESA_PAYBILL,
    TransferAccount.BANK: BANK,
    TransferAccount.CASH: CASH,
}
