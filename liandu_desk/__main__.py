"""Entry point for `python -m liandu_desk`."""

import sys

from liandu_desk.cli import main

sys.exit(main())
