"""Governance's writes, one module per area (governance.services.constitution, ...)."""
