"""Loan arithmetic against money.md's worked values, then properties over random loans and
repayments: the columns always sum exactly, nothing is negative, the balance only falls, and a
repayment clears the oldest installment (penalty, fees, interest, principal) before the next."""

import re
from datetime import date
from decimal import Decimal, localcontext

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from finance import loan_math
from finance.loan_math import (
    EARLY_REPAYMENT_RULES,
    METHODS,
    RATE_PERIODS,
    InstallmentAllocation,
    InstallmentOwed,
    InstallmentStanding,
    discounted_rate,
    loan_payoff,
    loan_schedule,
    monthly_rate,
    repayment_allocate,
)

D = Decimal
FIRST_DUE = date(2026, 1, 31)


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


def schedule(principal, rate, rate_period, method, term_months, first_due=FIRST_DUE):
    return loan_schedule(
        principal=D(principal),
        rate=D(rate),
        rate_period=rate_period,
        method=method,
        term_months=term_months,
        first_due=first_due,
    )


def column(rows, name):
    return [str(getattr(row, name)) for row in rows]


def total_of(rows, name):
    return sum((getattr(row, name) for row in rows), D("0.00"))


# --- monthly rate -----------------------------------------------------------------------------


def test_a_monthly_rate_is_used_as_quoted():
    assert monthly_rate(D("0.10"), "month") == D("0.10")


def test_a_yearly_rate_is_divided_by_twelve_without_rounding():
    assert monthly_rate(D("0.12"), "year") == D("0.01")
    assert monthly_rate(D("0.094822"), "year") == D("0.007901833333333333333333333333333333333333")


def test_a_rate_needs_a_known_period():
    with pytest.raises(
        ValueError, match=exactly(loan_math.INVALID_RATE_PERIOD.format(value="week"))
    ):
        monthly_rate(D("0.10"), "week")


# --- flat rate --------------------------------------------------------------------------------


def test_flat_15000_at_10_percent_a_month_over_3_months():
    rows = schedule("15000.00", "0.10", "month", "flat", 3)

    assert column(rows, "total") == ["6500.00", "6500.00", "6500.00"]
    assert column(rows, "principal") == ["5000.00", "5000.00", "5000.00"]
    assert column(rows, "interest") == ["1500.00", "1500.00", "1500.00"]
    assert column(rows, "balance_after") == ["10000.00", "5000.00", "0.00"]
    assert total_of(rows, "total") == D("19500.00")


def test_flat_10000_at_10_percent_over_3_months_the_last_installment_absorbs_the_cent():
    rows = schedule("10000.00", "0.10", "month", "flat", 3)

    assert column(rows, "total") == ["4333.33", "4333.33", "4333.34"]
    assert column(rows, "principal") == ["3333.33", "3333.33", "3333.34"]
    assert column(rows, "interest") == ["1000.00", "1000.00", "1000.00"]
    assert total_of(rows, "principal") == D("10000.00")
    assert total_of(rows, "interest") == D("3000.00")
    assert total_of(rows, "total") == D("13000.00")


def test_flat_10000_at_5_percent_a_month_over_12_months():
    rows = schedule("10000.00", "0.05", "month", "flat", 12)

    assert total_of(rows, "total") == D("16000.00")
    assert column(rows, "total") == ["1333.33"] * 11 + ["1333.37"]
    assert column(rows, "principal") == ["833.33"] * 11 + ["833.37"]
    assert set(column(rows, "interest")) == {"500.00"}


def test_flat_3333_33_at_10_percent_over_7_months_rounds_the_interest_to_the_cent():
    # P * r * n = 2,333.331: the loan's interest is rounded once, before it is spread.
    rows = schedule("3333.33", "0.10", "month", "flat", 7)

    assert total_of(rows, "total") == D("5666.66")
    assert column(rows, "total") == ["809.52"] * 6 + ["809.54"]
    assert column(rows, "principal") == ["476.19"] * 7
    assert column(rows, "interest") == ["333.33"] * 6 + ["333.35"]


def test_flat_interest_never_goes_negative_when_a_few_cents_are_spread():
    # 1.00 at 0.33% a month over 3 months: 0.01 interest. Totals 0.34, 0.34, 0.33 less
    # principal parts 0.33, 0.33, 0.34 would charge 0.01, 0.01 and -0.01.
    rows = schedule("1.00", "0.0033", "month", "flat", 3)

    assert column(rows, "total") == ["0.34", "0.34", "0.33"]
    assert column(rows, "interest") == ["0.01", "0.00", "0.00"]
    assert column(rows, "principal") == ["0.33", "0.34", "0.33"]


# --- reducing balance, equal installments ---------------------------------------------------


def test_reducing_balance_100_at_9_4822_percent_a_year_over_6_months():
    rows = schedule("100.00", "0.094822", "year", "reducing_balance", 6)

    assert column(rows, "total") == ["17.13"] * 6  # the last pays the balance: 17.00 + 0.13
    assert column(rows, "interest") == ["0.79", "0.66", "0.53", "0.40", "0.27", "0.13"]
    assert column(rows, "principal") == ["16.34", "16.47", "16.60", "16.73", "16.86", "17.00"]
    assert column(rows, "balance_after") == ["83.66", "67.19", "50.59", "33.86", "17.00", "0.00"]


def test_reducing_balance_100000_at_12_percent_a_year_over_12_months():
    rows = schedule("100000.00", "0.12", "year", "reducing_balance", 12)

    assert column(rows, "total") == ["8884.88"] * 11 + ["8884.85"]
    assert total_of(rows, "interest") == D("6618.53")
    assert total_of(rows, "principal") == D("100000.00")
    assert rows[0].interest == D("1000.00")
    assert rows[-1].principal == D("8796.88")
    assert rows[-1].interest == D("87.97")


def test_reducing_balance_without_interest_repays_equal_parts():
    rows = schedule("1000.00", "0", "month", "reducing_balance", 3)

    assert column(rows, "principal") == ["333.33", "333.33", "333.34"]
    assert set(column(rows, "interest")) == {"0.00"}


def test_reducing_balance_never_repays_more_than_the_balance_of_a_tiny_loan():
    # 0.15 at 0.01% a month over 10 months: the EMI rounds up to 0.02 and clears the
    # balance in the 8th month; the installments after it are empty.
    rows = schedule("0.15", "0.0001", "month", "reducing_balance", 10)

    assert column(rows, "total") == ["0.02"] * 7 + ["0.01", "0.00", "0.00"]
    assert rows[-1].balance_after == D("0.00")


def test_interest_of_exactly_half_a_cent_rounds_half_even():
    # 10,000.20 at 10% a year is 83.335 a month: half-even gives 83.34. Multiplying by a
    # rounded 0.1 / 12 would give 83.33499... and 83.33.
    rows = schedule("10000.20", "0.10", "year", "reducing_balance", 12)

    assert rows[0].interest == D("83.34")


# --- reducing balance, equal principal ------------------------------------------------------


def test_equal_principal_100000_at_12_percent_a_year_over_12_months():
    rows = schedule("100000.00", "0.12", "year", "equal_principal", 12)

    assert total_of(rows, "interest") == D("6500.00")
    assert column(rows, "principal") == ["8333.33"] * 11 + ["8333.37"]
    assert column(rows, "interest")[:3] == ["1000.00", "916.67", "833.33"]
    assert rows[-1].interest == D("83.33")  # 1% of the opening 8,333.37


def test_equal_principal_rounds_the_parts_down_when_rounding_up_would_overshoot():
    # 0.15 over 10 months: nine parts of 0.02 would leave the last one at -0.03.
    rows = schedule("0.15", "0", "month", "equal_principal", 10)

    assert column(rows, "principal") == ["0.01"] * 9 + ["0.06"]


# --- periods, dates, context ----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_the_same_loan_quoted_per_month_or_per_year_has_the_same_schedule(method):
    monthly = schedule("100000.00", "0.01", "month", method, 12)
    yearly = schedule("100000.00", "0.12", "year", method, 12)

    assert monthly == yearly


def test_due_dates_count_months_from_the_first_due_date():
    rows = schedule("6000.00", "0.10", "month", "flat", 6, first_due=date(2025, 1, 31))

    assert [row.due_date for row in rows] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
    ]


def test_due_dates_keep_a_leap_day_and_cross_the_year():
    rows = schedule("6000.00", "0.10", "month", "flat", 4, first_due=date(2023, 12, 31))

    assert [row.due_date for row in rows] == [
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]


def test_the_callers_decimal_context_does_not_change_a_schedule():
    expected = schedule("100000.00", "0.12", "year", "reducing_balance", 12)

    with localcontext() as context:
        context.prec = 6
        assert schedule("100000.00", "0.12", "year", "reducing_balance", 12) == expected


# --- refused inputs -------------------------------------------------------------------------


GOOD = {
    "principal": D("1000.00"),
    "rate": D("0.10"),
    "rate_period": "month",
    "method": "flat",
    "term_months": 12,
    "first_due": FIRST_DUE,
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("principal", D("0.00"), loan_math.INVALID_PRINCIPAL),
        ("principal", D("-100.00"), loan_math.INVALID_PRINCIPAL),
        ("principal", D("100.005"), loan_math.INVALID_PRINCIPAL),
        ("principal", D("100000000.01"), loan_math.INVALID_PRINCIPAL),
        ("principal", D("NaN"), loan_math.INVALID_PRINCIPAL),
        ("principal", 1000.0, loan_math.INVALID_PRINCIPAL),
        ("rate", D("-0.01"), loan_math.INVALID_RATE),
        ("rate", D("Infinity"), loan_math.INVALID_RATE),
        ("rate", 0.1, loan_math.INVALID_RATE),
        ("rate_period", "week", loan_math.INVALID_RATE_PERIOD),
        ("method", "simple", loan_math.INVALID_METHOD),
        ("term_months", 0, loan_math.INVALID_TERM),
        ("term_months", 61, loan_math.INVALID_TERM),
        ("term_months", True, loan_math.INVALID_TERM),
        ("first_due", "2026-01-31", loan_math.INVALID_FIRST_DUE),
    ],
)
def test_a_schedule_refuses_inputs_outside_the_rules(field, value, message):
    expected = message.format(value=value, maximum="100,000,000.00")

    with pytest.raises(ValueError, match=exactly(expected)):
        loan_schedule(**{**GOOD, field: value})


def test_the_principal_message_names_the_value_and_the_limits():
    expected = (
        "The principal must be an amount above 0.00 and at most 100,000,000.00, in whole cents; "
        "got 100.005."
    )

    with pytest.raises(ValueError, match=exactly(expected)):
        loan_schedule(**{**GOOD, "principal": D("100.005")})


@pytest.mark.parametrize("term", [1, 60])
def test_a_term_of_1_to_60_months_is_accepted(term):
    assert len(loan_schedule(**{**GOOD, "term_months": term})) == term


# --- allocating a repayment ------------------------------------------------------------------


def owed(number, *, penalty="0.00", fees="0.00", interest="0.00", principal="0.00"):
    return InstallmentOwed(
        number=number,
        penalty=D(penalty),
        fees=D(fees),
        interest=D(interest),
        principal=D(principal),
    )


def allocation(number, *, penalty="0.00", fees="0.00", interest="0.00", principal="0.00"):
    return InstallmentAllocation(
        number=number,
        penalty=D(penalty),
        fees=D(fees),
        interest=D(interest),
        principal=D(principal),
    )


# Installment 3 is overdue and carries a late penalty; installment 4 is due with a fee.
OVERDUE_AND_DUE = [
    owed(3, penalty="150.00", interest="400.00", principal="1600.00"),
    owed(4, fees="50.00", interest="380.00", principal="1620.00"),
]


def test_a_repayment_clears_the_overdue_installment_then_the_next_fees_and_interest():
    allocations, excess = repayment_allocate(amount=D("2500.00"), owed=OVERDUE_AND_DUE)

    assert allocations == [
        allocation(3, penalty="150.00", interest="400.00", principal="1600.00"),
        allocation(4, fees="50.00", interest="300.00"),
    ]
    assert [a.total for a in allocations] == [D("2150.00"), D("350.00")]
    assert excess == D("0.00")


def test_a_small_repayment_goes_to_the_penalty_first():
    allocations, excess = repayment_allocate(amount=D("100.00"), owed=OVERDUE_AND_DUE)

    assert allocations == [allocation(3, penalty="100.00")]
    assert excess == D("0.00")


def test_an_overpayment_clears_everything_and_the_rest_is_member_credit():
    allocations, excess = repayment_allocate(amount=D("5000.00"), owed=OVERDUE_AND_DUE)

    assert allocations == [
        allocation(3, penalty="150.00", interest="400.00", principal="1600.00"),
        allocation(4, fees="50.00", interest="380.00", principal="1620.00"),
    ]
    assert excess == D("800.00")


def test_a_settled_installment_receives_nothing_and_is_not_listed():
    allocations, excess = repayment_allocate(
        amount=D("10.00"), owed=[owed(1), owed(2, interest="4.00", principal="100.00")]
    )

    assert allocations == [allocation(2, interest="4.00", principal="6.00")]
    assert excess == D("0.00")


def test_a_repayment_with_nothing_owed_is_all_credit():
    assert repayment_allocate(amount=D("250.00"), owed=[]) == ([], D("250.00"))


@pytest.mark.parametrize("amount", [D("0.00"), D("-5.00"), D("10.005"), D("100000000.01"), 10.0])
def test_a_repayment_must_be_a_positive_amount_in_cents(amount):
    expected = loan_math.INVALID_AMOUNT.format(value=amount, maximum="100,000,000.00")

    with pytest.raises(ValueError, match=exactly(expected)):
        repayment_allocate(amount=amount, owed=OVERDUE_AND_DUE)


@pytest.mark.parametrize("bad", [{"penalty": "-1.00"}, {"interest": "0.001"}, {"fees": "NaN"}])
def test_what_is_owed_must_be_zero_or_more_in_cents(bad):
    with pytest.raises(ValueError, match=exactly(loan_math.INVALID_OWED.format(number=2))):
        repayment_allocate(amount=D("10.00"), owed=[owed(1, principal="5.00"), owed(2, **bad)])


@pytest.mark.parametrize("numbers", [(4, 3), (3, 3)])
def test_outstanding_installments_must_be_oldest_first(numbers):
    first, second = numbers
    expected = loan_math.OWED_OUT_OF_ORDER.format(number=second, previous=first)

    with pytest.raises(ValueError, match=exactly(expected)):
        repayment_allocate(
            amount=D("10.00"), owed=[owed(first, principal="5.00"), owed(second, principal="5.00")]
        )


# --- credit-score discount ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "percent", "expected"),
    [
        ("0.10", "20", "0.080000"),  # 10% a month less a fifth: 8%
        ("0.10", "0", "0.100000"),
        ("0.10", "100", "0.000000"),
        # 0.094822 x 0.85 = 0.0805987: rounded half-even to the six places a rate is stored with
        ("0.094822", "15", "0.080599"),
        # 0.000005 x 0.5 = 0.0000025: exactly half a unit of the sixth place, rounded to even
        ("0.000005", "50", "0.000002"),
    ],
)
def test_a_discount_takes_a_percent_off_the_rate(rate, percent, expected):
    assert str(discounted_rate(D(rate), D(percent))) == expected


@pytest.mark.parametrize("percent", [D("-0.01"), D("100.01"), D("NaN")])
def test_a_discount_is_a_percent_from_0_to_100(percent):
    message = loan_math.INVALID_PERCENT.format(value=percent)
    with pytest.raises(ValueError, match=exactly(message)):
        discounted_rate(D("0.10"), percent)


# --- early repayment ------------------------------------------------------------------------

DISBURSED = date(2026, 1, 15)


def standing(rows, *, paid_through=0, penalty=None):
    """The installments of ``rows`` with the first ``paid_through`` paid in full on time and
    ``penalty`` ({number: amount}) charged and unpaid."""
    penalty = penalty or {}
    return [
        InstallmentStanding(
            number=row.number,
            due_date=row.due_date,
            interest=row.interest,
            interest_paid=row.interest if row.number <= paid_through else D("0.00"),
            principal_owed=D("0.00") if row.number <= paid_through else row.principal,
            penalty_owed=D(penalty.get(row.number, "0.00")),
        )
        for row in rows
    ]


def payoff(rows, on, *, rule, method, principal, rate, period, rebate="0", **state):
    return loan_payoff(
        rule=rule,
        method=method,
        principal=D(principal),
        rate=D(rate),
        rate_period=period,
        rebate_percent=D(rebate),
        installments=standing(rows, **state),
        accrues_from=DISBURSED,
        on=on,
    )


REDUCING = {"method": "reducing_balance", "principal": "100000.00", "rate": "0.12"}
FLAT = {"method": "flat", "principal": "15000.00", "rate": "0.10", "period": "month"}


def reducing_rows():
    # 100,000.00 at 12% a year over 12 months, due on the 15th from February (money.md):
    # interest 1,000.00, 921.15, 841.51, 761.08, …; balance after two installments 84,151.39.
    return schedule("100000.00", "0.12", "year", "reducing_balance", 12, date(2026, 2, 15))


def flat_rows():
    # 15,000.00 flat at 10% a month over 3 months: 5,000.00 + 1,500.00 interest each month.
    return schedule("15000.00", "0.10", "month", "flat", 3, date(2026, 2, 15))


def test_interest_to_date_charges_the_running_month_by_the_day():
    # Two installments paid; paid off on 30 March, 15 days into the 31-day month that ends on
    # 15 April. Interest to date: 84,151.39 x 1% x 15/31 = 407.1841… → 407.18. Waived: the
    # rest of installment 3's 841.51 (434.33) and the 3,855.87 of installments 4 to 12
    # (6,618.53 in all less 1,000.00, 921.15 and 841.51) = 4,290.20.
    result = payoff(
        reducing_rows(),
        date(2026, 3, 30),
        rule="interest_to_date",
        period="year",
        paid_through=2,
        **REDUCING,
    )

    assert (result.penalties, result.principal, result.interest, result.interest_waived) == (
        D("0.00"),
        D("84151.39"),
        D("407.18"),
        D("4290.20"),
    )
    assert result.total == D("84558.57")
    assert result.waivers[3] == D("434.33")
    assert sorted(result.waivers) == list(range(3, 13))


def test_interest_to_date_in_the_first_month_runs_from_the_disbursement():
    # Disbursed 15 January, first due 15 February (31 days); paid off on 25 January, 10 days
    # on: 100,000.00 x 1% x 10/31 = 322.5806… → 322.58.
    result = payoff(
        reducing_rows(), date(2026, 1, 25), rule="interest_to_date", period="year", **REDUCING
    )

    assert (result.principal, result.interest, result.total) == (
        D("100000.00"),
        D("322.58"),
        D("100322.58"),
    )


def test_on_a_due_date_that_installment_is_owed_in_full_and_nothing_of_the_next():
    result = payoff(
        reducing_rows(),
        date(2026, 3, 15),
        rule="interest_to_date",
        period="year",
        paid_through=1,
        **REDUCING,
    )

    # installment 2 is due that day: its 921.15 is owed; installment 3 has run 0 days
    assert result.interest == D("921.15")
    assert result.waivers[3] == D("841.51")


def test_full_interest_owes_every_scheduled_installment_in_full():
    result = payoff(flat_rows(), date(2026, 2, 20), rule="full_interest", paid_through=1, **FLAT)

    assert (result.principal, result.interest, result.interest_waived, result.total) == (
        D("10000.00"),
        D("3000.00"),
        D("0.00"),
        D("13000.00"),
    )
    assert result.waivers == {}


def test_a_rebate_lets_go_a_percent_of_the_interest_not_yet_due():
    # Installment 1 paid; on 20 February installments 2 and 3 are not yet due: 3,000.00 of
    # interest, half of it rebated (1,500.00, 750.00 on each).
    result = payoff(
        flat_rows(), date(2026, 2, 20), rule="rebate", rebate="50", paid_through=1, **FLAT
    )

    assert (result.principal, result.interest, result.interest_waived, result.total) == (
        D("10000.00"),
        D("1500.00"),
        D("1500.00"),
        D("11500.00"),
    )
    assert result.waivers == {2: D("750.00"), 3: D("750.00")}


def test_a_rebate_is_rounded_half_even_once_then_shared_to_the_cent():
    # 7,777.77 flat at 10% a month over 3 months: interest 777.78, 777.78, 777.77 (money.md's
    # rule: the last absorbs the cent). Installment 1 paid; on 20 February 1,555.55 of interest
    # is not yet due. A 30% rebate is 466.665: rounded half-even on the total to 466.66 (half
    # up would give 466.67), then shared by largest remainder: 233.3336… and 233.3263… floor
    # to 233.33 and 233.32 and the leftover cent goes to the larger remainder, the second.
    rows = schedule("7777.77", "0.10", "month", "flat", 3, date(2026, 2, 15))
    terms = {"method": "flat", "principal": "7777.77", "rate": "0.10", "period": "month"}

    result = payoff(rows, date(2026, 2, 20), rule="rebate", rebate="30", paid_through=1, **terms)

    assert [row.interest for row in rows] == [D("777.78"), D("777.78"), D("777.77")]
    assert result.interest_waived == D("466.66")
    assert result.waivers == {2: D("233.33"), 3: D("233.33")}
    assert (result.principal, result.interest, result.total) == (
        D("5185.18"),
        D("1088.89"),
        D("6274.07"),
    )


def test_penalties_charged_are_always_owed():
    # Installment 1 (due 15 February) unpaid with a 325.00 penalty; paid off on 20 February
    # under a full rebate: the penalty, all the principal and installment 1's interest.
    result = payoff(
        flat_rows(), date(2026, 2, 20), rule="rebate", rebate="100", penalty={1: "325.00"}, **FLAT
    )

    assert (result.penalties, result.principal, result.interest, result.total) == (
        D("325.00"),
        D("15000.00"),
        D("1500.00"),
        D("16825.00"),
    )


def test_after_the_last_due_date_nothing_is_waived():
    for rule in EARLY_REPAYMENT_RULES:
        result = payoff(flat_rows(), date(2026, 6, 1), rule=rule, rebate="50", **FLAT)
        assert (result.interest, result.interest_waived) == (D("4500.00"), D("0.00"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rule", "forgive", loan_math.INVALID_RULE.format(value="forgive")),
        ("rebate_percent", D("101"), loan_math.INVALID_PERCENT.format(value=D("101"))),
        (
            "on",
            date(2026, 1, 14),
            loan_math.PAYOFF_BEFORE_ACCRUAL.format(start=DISBURSED, value=date(2026, 1, 14)),
        ),
    ],
)
def test_a_payoff_refuses_inputs_outside_the_rules(field, value, message):
    arguments = {
        "rule": "rebate",
        "method": "flat",
        "principal": D("15000.00"),
        "rate": D("0.10"),
        "rate_period": "month",
        "rebate_percent": D("50"),
        "installments": standing(flat_rows()),
        "accrues_from": DISBURSED,
        "on": date(2026, 2, 20),
        field: value,
    }
    with pytest.raises(ValueError, match=exactly(message)):
        loan_payoff(**arguments)


# --- properties -----------------------------------------------------------------------------


def cents(low, high):
    return st.integers(low, high).map(lambda n: D(n).scaleb(-2))


principals = cents(1, 1_000_000_000)  # 0.01 .. 10,000,000.00
rates = st.integers(0, 2000).map(lambda n: D(n).scaleb(-4))  # 0.0000 .. 0.2000
terms = st.integers(1, 60)


@given(
    principal=principals,
    rate=rates,
    rate_period=st.sampled_from(RATE_PERIODS),
    method=st.sampled_from(METHODS),
    term=terms,
    first_due=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
)
@example(
    principal=D("1.00"),
    rate=D("0.0033"),
    rate_period="month",
    method="flat",
    term=3,
    first_due=FIRST_DUE,
)
@example(
    principal=D("0.15"),
    rate=D("0.0001"),
    rate_period="month",
    method="reducing_balance",
    term=10,
    first_due=FIRST_DUE,
)
@example(
    principal=D("0.15"),
    rate=D("0"),
    rate_period="month",
    method="equal_principal",
    term=10,
    first_due=FIRST_DUE,
)
@example(
    principal=D("0.01"),
    rate=D("0.2"),
    rate_period="month",
    method="flat",
    term=60,
    first_due=FIRST_DUE,
)
@example(
    principal=D("10000000.00"),
    rate=D("0.2"),
    rate_period="month",
    method="reducing_balance",
    term=60,
    first_due=FIRST_DUE,
)
def test_every_schedule_repays_the_principal_exactly(
    principal, rate, rate_period, method, term, first_due
):
    rows = loan_schedule(
        principal=principal,
        rate=rate,
        rate_period=rate_period,
        method=method,
        term_months=term,
        first_due=first_due,
    )

    assert [row.number for row in rows] == list(range(1, term + 1))
    assert [row.due_date for row in rows] == [
        first_due + relativedelta(months=k) for k in range(term)
    ]
    assert total_of(rows, "principal") == principal
    owed = principal
    for row in rows:
        amounts = (row.principal, row.interest, row.total, row.balance_after)
        assert all(amount >= 0 for amount in amounts)
        assert all(amount.as_tuple().exponent == -2 for amount in amounts)
        assert row.total == row.principal + row.interest
        assert row.balance_after == owed - row.principal <= owed
        owed = row.balance_after
    assert rows[-1].balance_after == D("0.00")
    if method == "flat":
        months = 12 if rate_period == "year" else 1
        expected = (principal * rate * term / months).quantize(D("0.01"))
        assert total_of(rows, "interest") == expected
    if rate == 0:
        assert total_of(rows, "interest") == 0


@given(monthly=rates, method=st.sampled_from(METHODS), term=terms, principal=principals)
def test_a_rate_per_month_equals_twelve_times_it_per_year(monthly, method, term, principal):
    def quoted(rate, period):
        return loan_schedule(
            principal=principal,
            rate=rate,
            rate_period=period,
            method=method,
            term_months=term,
            first_due=FIRST_DUE,
        )

    assert quoted(monthly, "month") == quoted(monthly * 12, "year")


PARTS = ("penalty", "fees", "interest", "principal")
owed_amounts = st.one_of(st.just(D("0.00")), cents(1, 500_000))


@st.composite
def outstanding(draw):
    count = draw(st.integers(0, 8))
    numbers = sorted(draw(st.sets(st.integers(1, 60), min_size=count, max_size=count)))
    return [InstallmentOwed(number, *(draw(owed_amounts) for _ in PARTS)) for number in numbers]


@given(data=st.data(), installments=outstanding())
def test_a_repayment_is_allocated_exactly_and_oldest_first(data, installments):
    outstanding_total = sum(
        (getattr(item, part) for item in installments for part in PARTS), D("0.00")
    )
    amount = data.draw(cents(1, int(outstanding_total * 100) + 10_000), label="amount")

    allocations, excess = repayment_allocate(amount=amount, owed=installments)

    assert total_of(allocations, "total") + excess == amount
    assert excess == max(amount - outstanding_total, D("0.00"))
    assert all(a.total > 0 for a in allocations)
    received = {a.number: a for a in allocations}
    assert list(received) == sorted(received)
    # Read in payment order (installment by installment, penalty → principal), what each
    # part received is all it owed until the money ran out, then nothing.
    ran_out = False
    for item in installments:
        given_to = received.get(item.number, allocation(item.number))
        for part in PARTS:
            due, paid = getattr(item, part), getattr(given_to, part)
            assert D("0.00") <= paid <= due
            if ran_out:
                assert paid == 0
            elif paid < due:
                ran_out = True


@given(
    principal=cents(10_000, 100_000_000),
    rate=rates,
    method=st.sampled_from(METHODS),
    term=terms,
    rule=st.sampled_from(EARLY_REPAYMENT_RULES),
    rebate=st.integers(0, 10_000).map(lambda n: D(n).scaleb(-2)),
    paid_through=st.integers(0, 60),
    days=st.integers(0, 5 * 366),
)
def test_a_payoff_never_asks_more_than_the_schedule_and_parts_add_up(
    principal, rate, method, term, rule, rebate, paid_through, days
):
    rows = loan_schedule(
        principal=principal,
        rate=rate,
        rate_period="month",
        method=method,
        term_months=term,
        first_due=date(2026, 2, 15),
    )
    installments = standing(rows, paid_through=paid_through)
    on = DISBURSED + relativedelta(days=days)

    result = loan_payoff(
        rule=rule,
        method=method,
        principal=principal,
        rate=rate,
        rate_period="month",
        rebate_percent=rebate,
        installments=installments,
        accrues_from=DISBURSED,
        on=on,
    )

    unpaid_interest = sum((i.interest - i.interest_paid for i in installments), D("0.00"))
    assert result.interest + result.interest_waived == unpaid_interest
    assert result.principal == sum((i.principal_owed for i in installments), D("0.00"))
    assert result.interest >= 0
    assert all(w > 0 for w in result.waivers.values())
    assert sum(result.waivers.values(), D("0.00")) == result.interest_waived
    by_number = {i.number: i for i in installments}
    for number, waived in result.waivers.items():
        assert by_number[number].due_date > on  # only what is not yet due is let go
        assert waived <= by_number[number].interest - by_number[number].interest_paid
    if rule == "full_interest":
        assert result.interest_waived == 0
