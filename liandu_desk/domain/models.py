"""Imports every model module so Base.metadata knows all tables (for Alembic and tests)."""

import liandu_desk.domain.attachments
import liandu_desk.domain.communities
import liandu_desk.domain.community_lists
import liandu_desk.domain.documents
import liandu_desk.domain.elevators
import liandu_desk.domain.home
import liandu_desk.domain.house_cases
import liandu_desk.domain.houses
import liandu_desk.domain.import_mappings  # noqa: F401
from liandu_desk.domain import audit, registry, settings  # noqa: F401
from liandu_desk.domain.base import Base

metadata = Base.metadata
