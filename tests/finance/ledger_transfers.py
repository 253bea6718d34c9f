"""Books for the tests of transfers between a chama's own accounts, made only by services."""

from dataclasses import dataclass
from decimal import Decimal

from finance.choices import TransferAccount
from finance.models import Cycle, JournalEntry, LedgerTransfer, Posting
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_request
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint
from tests.finance.books import balance
from tests.finance.factories import merry_go_round, pay_by_mpesa, pay_in_cash

PAYBILL, BANK, CASH = TransferAccount.PAYBILL, TransferAccount.BANK, TransferAccount.CASH


@dataclass
class TransferBook:
    """A merry-go-round of 1,000 a month, all rotation. Seats 1 to 4 are the chair, the
    treasurer, the secretary and a plain member; the auditor joined after the cycle started."""

    chama: Chama
    cycle: Cycle
    chair: Membership
    treasurer: Membership
    secretary: Membership
    member: Membership
    auditor: Membership

    @property
    def seats(self) -> list[Membership]:
        return [self.chair, self.treasurer, self.secretary, self.member]


def transfer_book(*, mpesa: int = 0, cash: int = 0) -> TransferBook:
    """The first ``mpesa`` seats pay round 1 by M-Pesa (into the paybill), the next ``cash``
    seats in cash (into the cash box)."""
    chama, seats, cycle = merry_go_round(members=4, amount="1000.00")
    chair, treasurer, secretary, member = seats
    treasurer = appoint(treasurer, Role.TREASURER, by=None)
    secretary = appoint(secretary, Role.SECRETARY, by=None)
    auditor = add_member(chama, role=Role.AUDITOR)
    book = TransferBook(chama, cycle, chair, treasurer, secretary, member, auditor)
    if mpesa:
        # Receipts TB<chama code>00, 01, …: ten characters, unique across chamas.
        pay_by_mpesa(chama, book.seats[:mpesa], "1000.00", f"TB{chama.code}0")
    if cash:
        pay_in_cash(chama, book.seats[mpesa : mpesa + cash], "1000.00")
    return book


def requested(
    book: TransferBook,
    amount: str,
    from_account: str = PAYBILL,
    to_account: str = BANK,
    by: Membership | None = None,
    memo: str = "",
) -> LedgerTransfer:
    return ledger_transfer_request(
        chama=book.chama,
        acting=by or book.treasurer,
        from_account=from_account,
        to_account=to_account,
        amount=Decimal(amount),
        memo=memo,
    )


def completed(
    book: TransferBook, amount: str, from_account: str = PAYBILL, to_account: str = BANK
) -> LedgerTransfer:
    """Requested by the treasurer, approved by the chair."""
    transfer = requested(book, amount, from_account, to_account)
    return ledger_transfer_approve(transfer=transfer, acting=book.chair)


def cash_accounts(chama: Chama) -> dict[str, Decimal]:
    """What the paybill, the bank and the cash box hold."""
    return {code: balance(chama, code) for code in ("1010", "1020", "1030")}


def books_state() -> tuple[object, ...]:
    """Everything a refused request or decision must leave as it was."""
    return (
        list(
            LedgerTransfer.objects.order_by("pk").values_list(
                "pk", "status", "decided_by", "decided_at", "rejection_reason", "entry"
            )
        ),
        JournalEntry.objects.count(),
        Posting.objects.count(),
    )
