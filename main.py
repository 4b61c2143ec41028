"""Start Liandu Desk from a source checkout: `python main.py [subcommand]`."""

import sys

from liandu_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
