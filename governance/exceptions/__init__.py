"""Governance's error codes: one enum per area (each area's own module), re-exported here."""

from governance.exceptions.constitution import ConstitutionError

__all__ = ["ConstitutionError"]
