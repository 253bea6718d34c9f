"""A stateful property test: random sequences of contributions (partial, exact, over,
duplicate; into the paybill, the bank or the cash box), reversals, pot payouts and welfare
claims paid from any of the chama's accounts, against a pure-Python model of the books.

An outflow its account cannot cover is refused with ``insufficient_funds`` and changes
nothing. After every step: the trial balance is zero, every account equals the model, no
account breaks its balance rule, a paid round's pot is zero and the balance cache matches the
postings.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from core.exceptions import ConflictError
from finance import chart
from finance.choices import BalanceRule, PaymentMethod, PayoutMethod, WelfareClaimType
from finance.models import LedgerAccount
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record, contribution_reverse
from finance.services.cycles import cycle_create
from finance.services.ledger import ledger_balance_proof
from finance.services.payouts import payout_approve, payout_reject, payout_request
from finance.services.welfare import welfare_claim_approve, welfare_claim_pay, welfare_claim_submit
from groups.choices import CycleFrequency, Plan, Role
from groups.services import membership_update
from tests.factories import add_member, make_chama

ZERO = Decimal("0.00")
SPLIT = {"rotation": Decimal("600.00"), "welfare": Decimal("100.00"), "savings": Decimal("300.00")}
ORDER = ("rotation", "welfare", "savings")  # the order the product fills a due's parts
CLAIMS = [Decimal(a) for a in ("50.00", "100.00", "250.00", "1000.00")]
AMOUNTS = [Decimal(a) for a in ("0.01", "250.00", "700.00", "1000.00", "2300.00", "3999.99")]
RECEIPTS = count(1)
# Where money comes in and goes out by hand: M-Pesa's own outflow (B2C) is two-phase.
PAID_INTO = {
    PaymentMethod.MPESA: chart.MPESA_PAYBILL,
    PaymentMethod.BANK: chart.BANK,
    PaymentMethod.CASH: chart.CASH,
}
PAID_FROM = {PayoutMethod.BANK: chart.BANK, PayoutMethod.CASH: chart.CASH}


class Books(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chama = make_chama(
            name="Model Group",
            contribution_amount=Decimal("1000.00"),
            cycle_frequency=CycleFrequency.MONTHLY,
            plan=Plan.PREMIUM,
            **{f"{part}_amount": amount for part, amount in SPLIT.items()},
        )
        self.members = [
            self.chama.memberships.get(),
            add_member(self.chama),
            add_member(self.chama),
        ]
        membership_update(
            membership=self.members[1], actor=self.members[0], data={"role": Role.TREASURER}
        )
        self.members[1].refresh_from_db()
        cycle = cycle_create(chama=self.chama, start_date=date(2026, 1, 1))
        self.rounds = list(cycle.rounds.order_by("number"))
        # The model: what each member still owes per round and part, and expected balances.
        self.owed = {m.pk: [dict(SPLIT) for _ in self.rounds] for m in self.members}
        self.paid_rounds: set[int] = set()
        self.expected: dict[tuple[str, object], Decimal] = defaultdict(lambda: ZERO)
        self.contributions: list[tuple[object, dict[str, object]]] = []
        self.used_receipts: list[str] = []

    # --- helpers -------------------------------------------------------------------------
    def post(self, code: str, owner: object, delta: Decimal) -> None:
        self.expected[(code, owner)] += delta

    def allocate(self, member_pk: object, amount: Decimal) -> tuple[list, Decimal]:
        left, parts = amount, []
        for index, due in enumerate(self.owed[member_pk]):
            for part in ORDER:
                take = min(due[part], left)
                if take:
                    parts.append((index, part, take))
                    due[part] -= take
                    left -= take
        return parts, left

    # --- rules ---------------------------------------------------------------------------
    def holds(self, code: str) -> Decimal:
        return self.expected[(code, None)]

    @rule(
        member=st.integers(0, 2),
        amount=st.sampled_from(AMOUNTS),
        replay=st.booleans(),
        method=st.sampled_from(list(PAID_INTO)),
    )
    def contribute(self, member: int, amount: Decimal, replay: bool, method: str) -> None:
        membership = self.members[member]
        if method != PaymentMethod.MPESA:
            contribution = contribution_record(
                chama=self.chama, membership=membership, amount=amount, method=method
            )
            self.book_contribution(contribution, membership, amount, method)
            return
        if replay and self.used_receipts:
            receipt = self.used_receipts[-1]
            with pytest.raises(ConflictError):
                contribution_record(
                    chama=self.chama,
                    membership=membership,
                    amount=amount,
                    method=PaymentMethod.MPESA,
                    mpesa_receipt=receipt,
                )
            return
        receipt = f"SM{next(RECEIPTS):08d}"
        contribution = contribution_record(
            chama=self.chama,
            membership=membership,
            amount=amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=receipt,
        )
        self.used_receipts.append(receipt)
        self.book_contribution(contribution, membership, amount, method)

    def book_contribution(self, contribution, membership, amount: Decimal, method: str) -> None:
        parts, leftover = self.allocate(membership.pk, amount)
        self.post(PAID_INTO[method], None, amount)
        for index, part, take in parts:
            if part == "rotation":
                self.post(chart.POT_PAYABLE, self.rounds[index].pk, -take)
            elif part == "welfare":
                self.post(chart.WELFARE_FUND, None, -take)
            else:
                self.post(chart.MEMBER_SAVINGS, membership.pk, -take)
        self.post(chart.MEMBER_CREDIT, membership.pk, -leftover)
        self.contributions.append(
            (
                contribution,
                {
                    "member": membership.pk,
                    "parts": parts,
                    "leftover": leftover,
                    "amount": amount,
                    "account": PAID_INTO[method],
                    "reversed": False,
                },
            )
        )

    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        if not self.contributions:
            return
        contribution, record = data.draw(st.sampled_from(self.contributions))
        member = record["member"]
        credit_left = -self.expected[(chart.MEMBER_CREDIT, member)]
        welfare_part = sum((take for _, part, take in record["parts"] if part == "welfare"), ZERO)
        refused = (
            record["reversed"]
            or any(
                part == "rotation" and index in self.paid_rounds
                for index, part, _ in record["parts"]
            )
            or credit_left < record["leftover"]
            or -self.expected[(chart.WELFARE_FUND, None)] < welfare_part
            or self.holds(record["account"]) < record["amount"]  # since paid out
        )
        if refused:
            with pytest.raises(ConflictError):
                contribution_reverse(
                    contribution=contribution, acting=self.members[1], reason="model"
                )
            return
        contribution_reverse(contribution=contribution, acting=self.members[1], reason="model")
        record["reversed"] = True
        self.post(record["account"], None, -record["amount"])
        for index, part, take in record["parts"]:
            self.owed[member][index][part] += take
            if part == "rotation":
                self.post(chart.POT_PAYABLE, self.rounds[index].pk, take)
            elif part == "welfare":
                self.post(chart.WELFARE_FUND, None, take)
            else:
                self.post(chart.MEMBER_SAVINGS, member, take)
        self.post(chart.MEMBER_CREDIT, member, record["leftover"])

    @rule(index=st.integers(0, 2), method=st.sampled_from(list(PAID_FROM)))
    def pay_out(self, index: int, method: str) -> None:
        rnd = self.rounds[index]
        disbursable = all(self.owed[m.pk][index]["rotation"] == ZERO for m in self.members)
        if index in self.paid_rounds or not disbursable:
            with pytest.raises(ConflictError):
                payout_request(round=rnd, acting=self.members[1], method=method)
            return
        payout = payout_request(round=rnd, acting=self.members[1], method=method)
        pot = -self.expected[(chart.POT_PAYABLE, rnd.pk)]
        assert payout.amount == pot
        if self.holds(PAID_FROM[method]) < pot:
            with pytest.raises(ConflictError) as refused:
                payout_approve(payout=payout, acting=self.members[0])
            assert refused.value.code == "insufficient_funds"
            payout_reject(payout=payout, acting=self.members[0], reason="short")
            return
        payout_approve(payout=payout, acting=self.members[0])
        self.post(chart.POT_PAYABLE, rnd.pk, pot)
        self.post(PAID_FROM[method], None, -pot)
        self.paid_rounds.add(index)

    @rule(
        member=st.integers(0, 2),
        amount=st.sampled_from(CLAIMS),
        method=st.sampled_from(list(PAID_FROM)),
    )
    def welfare_claim(self, member: int, amount: Decimal, method: str) -> None:
        claimant = self.members[member]
        claim = welfare_claim_submit(
            chama=self.chama,
            membership=claimant,
            claim_type=WelfareClaimType.HOSPITAL,
            amount=amount,
            description="model",
            acting=claimant,
        )
        approver = self.members[1] if member == 0 else self.members[0]
        welfare_claim_approve(claim=claim, acting=approver)
        available = -self.expected[(chart.WELFARE_FUND, None)]
        if available < amount or self.holds(PAID_FROM[method]) < amount:
            with pytest.raises(ConflictError) as refused:
                welfare_claim_pay(claim=claim, acting=approver, method=method)
            assert refused.value.code == "insufficient_funds"
            return
        welfare_claim_pay(claim=claim, acting=approver, method=method)
        self.post(chart.WELFARE_FUND, None, amount)
        self.post(PAID_FROM[method], None, -amount)

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def books_match_the_model(self) -> None:
        assert trial_balance_get(chama=self.chama) == ZERO
        actual = {}
        for account in LedgerAccount.objects.filter(chama=self.chama):
            owner = account.member_id or account.round_id
            actual[(account.code, owner)] = account.cached_balance
        for key, balance in self.expected.items():
            assert actual.get(key, ZERO) == balance, key
        for key, balance in actual.items():
            assert balance == self.expected.get(key, ZERO), key
        for index in self.paid_rounds:
            assert actual.get((chart.POT_PAYABLE, self.rounds[index].pk), ZERO) == ZERO
        for account in LedgerAccount.objects.filter(chama=self.chama):
            rule = account.balance_rule
            if rule == BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS:
                assert account.cached_balance >= ZERO, account
            elif rule == BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS:
                assert account.cached_balance <= ZERO, account
        assert ledger_balance_proof(chama=self.chama) == []


@pytest.mark.django_db
def test_the_books_always_match_a_pure_python_model():
    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
