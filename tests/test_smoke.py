"""Smoke test: the package imports and the CLI answers --version."""

import pytest

from liandu_desk import __version__
from liandu_desk.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out
