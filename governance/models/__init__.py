"""Governance's models, one module per area, re-exported here."""

from governance.models.constitution import ConstitutionAcceptance, ConstitutionVersion

__all__ = ["ConstitutionAcceptance", "ConstitutionVersion"]
