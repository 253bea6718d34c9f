"""Governance's reads, one module per area (governance.selectors.constitution, ...)."""
