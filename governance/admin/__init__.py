"""governance back office, one module per area."""

from governance.admin import votes

__all__ = ["votes"]
