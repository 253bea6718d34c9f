"""Governance writes, one module per area."""
