"""What every tab and dialog receives: the database, the job runner and the current clerk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from liandu_desk.services.clerks import ClerkInfo
from liandu_desk.storage import Database
from liandu_desk.ui.jobs import JobRunner


@dataclass
class AppContext:
    """Shared by the main window, its tabs and dialogs."""

    db: Database
    jobs: JobRunner
    clerk: ClerkInfo
    open_record: Callable[[str, int], None] = field(default=lambda _kind, _id: None)

    def session_scope(self):
        """One short unit of work; pass the session to a service and return plain data."""
        return self.db.session_scope()
