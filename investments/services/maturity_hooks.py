"""What happens to income a maturity realised when the chama's constitution says
``on_maturity: distribute``: it is declared to the members by share (Dr 3300 · Cr 2300-M,
investments.services.profits).

It runs inside the maturity's durable transaction, after the maturity entry is posted. A
declaration the books refuse (no member with a weight, or the income already declared by
hand) must not undo the maturity itself nor the other chamas' in the same run: it is tried
in a savepoint and, refused, leaves the proceeds in the bank and the income in 4300 for the
officials to declare, as with ``keep``.
"""

import logging

from core.exceptions import DomainError
from finance.models import JournalEntry
from investments.models import Holding, ProfitDeclaration
from investments.services.profits import profit_declare_from_holding

logger = logging.getLogger(__name__)


def on_income_realised(holding: Holding, entry: JournalEntry) -> ProfitDeclaration | None:
    """Declare the matured ``holding``'s income, booked by ``entry``; None when refused."""
    try:
        # A savepoint in the job's durable transaction: refused, only the declaration is undone.
        return profit_declare_from_holding(holding=holding, entry=entry, nested=True)
    except DomainError as exc:
        logger.warning(
            "investment income not declared",
            extra={"holding": str(holding.pk), "entry": str(entry.pk), "code": exc.code},
        )
        return None
