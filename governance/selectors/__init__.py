"""Governance reads, one module per area."""
