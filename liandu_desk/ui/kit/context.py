"""What every tab and dialog receives: the database, the job runner and the current clerk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from liandu_desk.services.clerks import ClerkInfo
from liandu_desk.storage import Database
from liandu_desk.ui.kit.jobs import JobRunner


@dataclass
class AppContext:
    """Shared by the main window, its tabs and dialogs."""

    db: Database
    jobs: JobRunner
    clerk: ClerkInfo
    # Opens any record by kind and id (house, elevator_project, community, document, audit), over an optional parent
    # widget: the one way a feature room shows another room's record.
    open_record: Callable[..., object] = field(default=lambda _kind, _id, _parent=None: None)

    def session_scope(self):
        """One short unit of work; pass the session to a service and return plain data."""
        return self.db.session_scope()
