"""Merge the module branches (audit chain, houses, elevators, communities, documents, import, home) into one head.

Revision ID: 0003
Revises: 0002, c0001, d0002, e0001, h0001, i0001, t0001
Create Date: 2026-11-24
"""

revision = "0003"
down_revision = ("0002", "c0001", "d0002", "e0001", "h0001", "i0001", "t0001")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch separate tables."""


def downgrade() -> None:
    """Nothing to change."""
