"""Paying a round's pot to its recipient: request, approval by another official, settlement,
and top-ups of what reaches a pot after it was paid (DESIGN §3.3)."""

from finance.services.payouts.decisions import (
    payout_approve,
    payout_fail,
    payout_reject,
    payout_settle,
)
from finance.services.payouts.pots import pot_top_ups_watch
from finance.services.payouts.requests import payout_request

__all__ = [
    "payout_approve",
    "payout_fail",
    "payout_reject",
    "payout_request",
    "payout_settle",
    "pot_top_ups_watch",
]
