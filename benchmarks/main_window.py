"""Benchmark child process: from QApplication to the main window's first tab with its data on screen.

Usage: python -m benchmarks.main_window DB_PATH — builds the window offscreen the way `gui --screenshot` does (the
viewer clerk, the database opened and checked for migrations, 首页 loading in its background jobs), waits until
every job has delivered and the window is painted, and prints {"seconds": …, "cpu_seconds": …} as the last line.
The clock starts just before QApplication is made: importing Python and PySide6 is left out; importing the
program's own modules, opening the database and loading the tab are counted.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time


def main(db_path: str) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    began, cpu = time.perf_counter(), time.process_time()
    gc.disable()  # as `liandu-desk gui` starts (cli.main), resumed once the window is shown (ui/app.py)
    app = QApplication(sys.argv[:1])
    from liandu_desk.ui.app import (
        _resume_collector,
        build_main_window,
        identify_clerk,
        install_translators,
        open_database,
    )

    install_translators(app)
    db = open_database(db_path)
    window = build_main_window(db, identify_clerk(db, interactive=False), app)
    window.resize(1280, 800)
    window.show()
    _resume_collector()
    window.ctx.jobs.wait_idle()
    app.processEvents()
    window.grab()
    figures = {"seconds": time.perf_counter() - began, "cpu_seconds": time.process_time() - cpu}
    window.close()
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
