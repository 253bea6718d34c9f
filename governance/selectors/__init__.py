"""Governance's reads, one module per area."""
