"""What happens to income a maturity realised when the chama's constitution says
``on_maturity: distribute``.

The profit split (declaring the income to members by share, Dr 3300 · Cr 2300-M) is built
in ``investments.services.profits``; until it is wired here, ``on_income_realised`` does
nothing and the proceeds stay in the bank (1020) with the income in 4300, as with ``keep``.
It runs inside the maturity's durable transaction, after the maturity entry is posted.
"""

from finance.models import JournalEntry
from investments.models import Holding


def on_income_realised(holding: Holding, entry: JournalEntry) -> None:
    """The matured ``holding``'s income, booked by ``entry``, is to be distributed."""
    return None
