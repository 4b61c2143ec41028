"""Imports every model module so Base.metadata knows all tables (for Alembic and tests)."""

from liandu_desk.domain import audit, registry, settings  # noqa: F401
from liandu_desk.domain.base import Base

metadata = Base.metadata
