"""governance error codes: each area's enum in its own module, re-exported here."""

from governance.exceptions.votes import VoteError

__all__ = ["VoteError"]
