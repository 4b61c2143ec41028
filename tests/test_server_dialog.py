"""连接服务器: an unreachable or silent server is said in Chinese within the connect timeout (the window stays
responsive), the URL carries the TLS mode, CA file and timeout, the settings are remembered without the password,
and at start-up the clerk can open the local desk instead."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest

from liandu_desk.services.server_connection import CONNECT_TIMEOUT, ServerSettings, explain
from liandu_desk.ui.admin.server_dialog import ServerDialog, load_settings, save_settings
from liandu_desk.ui.kit.prefs import Prefs

pytest.importorskip("psycopg", reason="the PostgreSQL driver comes with the [pg] extra")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port on loopback that accepts connections and never answers (a hung server, or a black-holed link)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def _dialog(qtbot, jobs=None, **kwargs) -> ServerDialog:
    dialog = ServerDialog(prefs=Prefs(), jobs=jobs, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _fill(dialog: ServerDialog, port: int, password: str = "秘密口令123") -> None:
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(port)
    dialog.database.setText("liandu_desk")
    dialog.user.setText("wang")
    dialog.password.setText(password)


def test_an_unreachable_port_is_said_in_chinese_at_once(qtbot, jobs) -> None:
    dialog = _dialog(qtbot, jobs)
    _fill(dialog, _free_port())
    began = time.monotonic()
    dialog.test_button.click()
    assert "无法连接到服务器" in dialog.error_label.text()
    assert time.monotonic() - began < CONNECT_TIMEOUT


def test_a_silent_server_times_out_within_the_bound_and_the_window_stays_responsive(qtbot, silent_server) -> None:
    dialog = _dialog(qtbot)  # the real job runner: the test runs on a worker thread
    _fill(dialog, silent_server)
    began = time.monotonic()
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled()  # the GUI thread is free; the buttons wait for the answer
    qtbot.waitUntil(lambda: "连接超时" in dialog.error_label.text(), timeout=(CONNECT_TIMEOUT + 5) * 1000)
    assert time.monotonic() - began < CONNECT_TIMEOUT + 3
    assert dialog.test_button.isEnabled()
    dialog.jobs.shutdown()


def test_the_url_carries_tls_mode_ca_file_and_timeout(qtbot, tmp_path) -> None:
    dialog = _dialog(qtbot)
    _fill(dialog, 5433)
    assert not dialog.ca_file.isEnabled()
    dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
    assert dialog.ca_file.isEnabled() and dialog.browse.isEnabled()
    assert "根证书" in dialog.settings().problem()
    ca = tmp_path / "bureau-ca.crt"
    dialog.ca_file.setText(str(ca))
    url = dialog.built_url()
    assert url.startswith("postgresql+psycopg://wang:") and "@127.0.0.1:5433/liandu_desk?" in url
    assert "sslmode=verify-full" in url and "sslrootcert=" in url and "bureau-ca.crt" in url
    assert f"connect_timeout={CONNECT_TIMEOUT}" in url
    dialog.tls.setCurrentIndex(dialog.tls.findData("require"))
    assert "sslmode=require" in dialog.built_url() and "sslrootcert" not in dialog.built_url()


def test_settings_are_remembered_per_user_without_the_password(qtbot, isolated_home) -> None:
    from liandu_desk.paths import data_dir

    settings = ServerSettings("db.liandu.local", 5433, "liandu_desk", "wang", "verify-full", "/etc/ca.crt")
    save_settings(Prefs(), settings)
    dialog = _dialog(qtbot)
    assert dialog.settings() == settings and load_settings(Prefs()) == settings
    dialog.password.setText("秘密口令123")
    save_settings(dialog.prefs, dialog.settings())
    assert "秘密口令123" not in (data_dir() / "ui.ini").read_text(encoding="utf-8")
    assert dialog.password.text() == "秘密口令123" and dialog.password.echoMode() == dialog.password.EchoMode.Password


@pytest.mark.parametrize(
    ("libpq", "said"),
    [
        ('connection failed: FATAL:  password authentication failed for user "wang"', "用户名或密码不正确"),
        ("connection failed: fe_sendauth: no password supplied", "请输入密码"),
        ('connection failed: FATAL:  database "liandu" does not exist', "没有这个数据库"),
        ("connection failed: server does not support SSL, but SSL was required", "服务器未启用加密"),
        ('connection failed: root certificate file "/x.crt" does not exist', "根证书"),
        ("connection failed: timeout expired", "连接超时"),
    ],
)
def test_what_the_server_said_is_explained_in_chinese(libpq: str, said: str) -> None:
    assert said in explain(RuntimeError(libpq))


def test_at_start_an_unreachable_server_offers_the_local_desk(qtbot, monkeypatch) -> None:
    from liandu_desk.ui import app

    save_settings(Prefs(), ServerSettings("127.0.0.1", _free_port(), "liandu_desk", "wang"))
    seen: list[str] = []

    def clerk_tries_then_opens_local(dialog: ServerDialog) -> int:
        dialog.jobs = type(dialog.jobs)(dialog, synchronous=True)
        dialog.password.setText("秘密口令123")
        dialog.connect_button.click()  # unreachable: the dialog stays open and says so
        seen.append(dialog.error_label.text())
        dialog.local_button.click()
        return dialog.result()

    monkeypatch.setattr(ServerDialog, "exec", clerk_tries_then_opens_local)
    assert app.server_choice(None) == (None, True)  # the default local database, and go on
    assert "无法连接到服务器" in seen[0] and "打开本机数据库" in seen[0]
    assert app.server_choice("other.sqlite3") == ("other.sqlite3", True)  # --db wins without asking


@pytest.mark.skipif(not os.environ.get("LIANDU_DESK_TEST_PG"), reason="needs a PostgreSQL server")
def test_connecting_to_a_reachable_server_remembers_it(qtbot, jobs) -> None:
    from sqlalchemy.engine import make_url

    server = make_url(os.environ["LIANDU_DESK_TEST_PG"])
    dialog = _dialog(qtbot, jobs)
    _fill(dialog, server.port or 5432, server.password or "")
    dialog.user.setText(server.username or "")
    dialog.database.setText(server.database or "postgres")
    dialog.connect_server()
    assert dialog.result() == ServerDialog.DialogCode.Accepted and "连接成功" in dialog.status.text()
    assert dialog.url and Prefs().get("server/use") == "yes" and Prefs().get("server/user") == server.username
