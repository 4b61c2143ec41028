"""What every tab and dialog receives: the database, the job runner and the current clerk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from liandu_desk.services.clerks import ClerkInfo
from liandu_desk.storage import Database
from liandu_desk.ui.kit.changes import ChangeBus
from liandu_desk.ui.kit.jobs import JobRunner


@dataclass
class AppContext:
    """Shared by the main window, its tabs and dialogs."""

    db: Database
    jobs: JobRunner
    clerk: ClerkInfo
    # The shell's router: (ctx, kind, record_id, parent) shows the record; None until the shell sets it.
    router: Callable[..., object] | None = field(default=None, repr=False)
    changes: ChangeBus = field(default_factory=ChangeBus, repr=False)

    def session_scope(self):
        """One short unit of work, for job functions only (kit.ops opens it on the right worker)."""
        return self.db.session_scope()

    def changed(self, kind: str, ids=()) -> None:
        """Announce committed changes to records of a kind; views following that kind refresh."""
        self.changes.announce(kind, ids)

    def open_record(self, kind: str, record_id: int, parent: object = None) -> object:
        """Show any record by kind and id (house, elevator_project, community, document, audit), over `parent`:
        the one way a feature room shows another room's record. It acts as this context's clerk."""
        return self.router(self, kind, record_id, parent) if self.router else None
