"""Loans: application with guarantors, maker-checker approval with a stored schedule,
disbursement, repayments allocated oldest installment first, penalties, default, recovery
from guarantors and write-off. Every movement of money posts through ``ledger_post``.

Penalties are booked when charged, as fines are (Dr 1120-M fines receivable, Cr 4200
penalties income), so the penalty job posts; a repayment's penalty part then settles 1120-M.
"""

from finance.services.loans.applications import (
    guarantee_decide,
    loan_apply,
    loan_approve,
    loan_reject,
)
from finance.services.loans.collections import (
    loan_defaults_run,
    loan_penalties_run,
    loan_recover_from_guarantors,
    loan_write_off,
)
from finance.services.loans.disbursements import (
    loan_disburse,
    loan_disbursement_fail,
    loan_disbursement_settle,
)
from finance.services.loans.policy import LOAN_POLICY_TERMS, loan_policy_set
from finance.services.loans.quotes import (
    Eligibility,
    LoanQuote,
    LoanTerms,
    credit_discount_percent,
    loan_eligibility_get,
    loan_policy_get,
    loan_quote,
    loan_quote_for,
)
from finance.services.loans.repayments import loan_repay, loan_repayment_post

__all__ = [
    "LOAN_POLICY_TERMS",
    "Eligibility",
    "LoanQuote",
    "LoanTerms",
    "credit_discount_percent",
    "guarantee_decide",
    "loan_apply",
    "loan_approve",
    "loan_defaults_run",
    "loan_disburse",
    "loan_disbursement_fail",
    "loan_disbursement_settle",
    "loan_eligibility_get",
    "loan_penalties_run",
    "loan_policy_get",
    "loan_policy_set",
    "loan_quote",
    "loan_quote_for",
    "loan_recover_from_guarantors",
    "loan_reject",
    "loan_repay",
    "loan_repayment_post",
    "loan_write_off",
]
