"""Splitting a sum exactly: the largest-remainder method (reference/money.md)."""

from decimal import ROUND_FLOOR, Decimal

from core.money import CENT


def largest_remainder_split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so the parts sum to it exactly.

    Work in cents: floor each exact share, then hand the leftover cents one each to the largest
    fractional parts, ties going to the larger weight, then the earlier position (seat order).
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    cents = int(total / CENT)
    whole = sum(weights)
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    leftover = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), -weights[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]
