"""Command line: `liandu-desk` starts the GUI; subcommands come from the core and from each module."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence

from liandu_desk import APP_TITLE, __version__
from liandu_desk.domain.errors import LianduError
from liandu_desk.logs import setup_logging
from liandu_desk.plugins import load, with_hook

log = logging.getLogger(__name__)
CORE_COMMANDS = (
    "liandu_desk.cli.core",
    "liandu_desk.cli.maintenance",
    "liandu_desk.cli.io_commands",
    "liandu_desk.cli.documents",
    "liandu_desk.cli.calendar",
    "liandu_desk.cli.figures",
    "liandu_desk.cli.clerks",
    "liandu_desk.cli.server",
)


def build_parser(only_core: bool = False) -> argparse.ArgumentParser:
    """The full parser: global options, core subcommands, then each module's. With `only_core`, the core subcommands
    only (`gui`, `init`, `demo`, `stats`): enough to run the GUI without importing every other command's module."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="SQLite 文件路径或数据库 URL（默认：用户数据目录）")
    parser = argparse.ArgumentParser(prog="liandu-desk", description=APP_TITLE, parents=[common])
    parser.add_argument("--version", action="version", version=f"Liandu Desk {__version__}")
    # No default for db here: set_defaults would change the --db action that every subcommand shares
    # (argparse copies parent actions by reference) and so override a --db given before the command.
    parser.set_defaults(handler=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for provider in CORE_COMMANDS[:1] if only_core else CORE_COMMANDS:
        load(provider).register(subparsers, common)
    if not only_core:
        for _module, commands in with_hook("cli"):
            commands.resolve().register(subparsers, common)
    return parser


def starts_gui(argv: Sequence[str]) -> bool:
    """True when these arguments run the GUI: the command is `gui`, or there is none and no help or version is asked
    for. The GUI then needs only the core subcommands' parser (it parses the same as the full one)."""
    position = 0
    while position < len(argv):
        word = argv[position]
        if word == "--db":
            position += 2
        elif word.startswith("--db="):
            position += 1
        elif word.startswith("-"):
            return False  # help, version, or an option the full parser should judge
        else:
            return word == "gui"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; with no command, start the GUI.

    The GUI starts with Python's cycle collector paused: importing the program makes a few hundred thousand objects
    that live as long as it does, and collecting while they pile up cost about a tenth of the start. The GUI resumes
    it (with those objects frozen out of later collections) once the main window is shown; here it is resumed in
    any case when the command ends."""
    gui = starts_gui(sys.argv[1:] if argv is None else argv)
    if gui:
        gc.disable()
    try:
        return _run(build_parser(only_core=gui), argv)
    finally:
        gc.enable()


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    args = parser.parse_args(argv)
    setup_logging()
    if args.handler is None:
        args = parser.parse_args(["gui", *(argv if argv is not None else sys.argv[1:])])
    if not hasattr(args, "db"):
        args.db = None
    try:
        return int(args.handler(args) or 0)
    except LianduError as exc:
        log.warning("command %s failed: %s", args.command, exc.message)
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
