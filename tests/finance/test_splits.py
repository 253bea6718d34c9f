from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.splits import largest_remainder_split


def test_the_worked_example_of_money_md():
    weights = [Decimal(w) for w in ("36000", "36000", "27000", "46500", "18000", "36000", "10500")]

    parts = largest_remainder_split(Decimal("10000.00"), weights)

    assert parts == [
        Decimal(p)
        for p in ("1714.29", "1714.29", "1285.71", "2214.29", "857.14", "1714.28", "500.00")
    ]
    assert sum(parts) == Decimal("10000.00")


@pytest.mark.parametrize("weights", [[], [Decimal("0")], [Decimal("-1"), Decimal("2")]])
def test_weights_must_be_usable(weights):
    with pytest.raises(ValueError, match="weights"):
        largest_remainder_split(Decimal("1.00"), weights)


@given(
    total=st.decimals(min_value=0, max_value=10_000_000, places=2),
    weights=st.lists(
        st.decimals(min_value=0, max_value=1_000_000, places=2), min_size=1, max_size=30
    ).filter(lambda ws: sum(ws) > 0),
)
def test_the_parts_always_sum_to_the_total_and_stay_within_a_cent_of_fair(total, weights):
    parts = largest_remainder_split(total, weights)

    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < Decimal("0.01")
