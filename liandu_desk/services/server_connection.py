"""Connecting to the shared server: the URL from the clerk's settings, a bounded connection test, Chinese reasons.

Every server connection carries `connect_timeout` (CONNECT_TIMEOUT seconds), so an unreachable server costs the
clerk at most that long, never a hung program. The password is part of the URL in memory only; the settings a
clerk's computer remembers (host, port, database, user, TLS mode, CA file) never include it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, NoSuchModuleError

from liandu_desk.storage.database import CONNECT_TIMEOUT

log = logging.getLogger(__name__)

TLS_MODES = {"disable": "不加密", "require": "加密（TLS）", "verify-full": "加密并核验服务器证书"}
DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class ServerSettings:
    """Where the shared database is and how to reach it (no password)."""

    host: str = ""
    port: int = 5432
    database: str = "liandu_desk"
    user: str = ""
    tls: str = "disable"
    ca_file: str = ""

    def problem(self) -> str:
        """What is missing before a connection can be tried ('' when complete)."""
        if not self.host.strip():
            return "请填写服务器地址"
        if not 1 <= int(self.port) <= 65535:
            return "端口应在1至65535之间"
        if not self.database.strip():
            return "请填写数据库名"
        if not self.user.strip():
            return "请填写用户名（信息科为您建立的数据库登录名）"
        if self.tls not in TLS_MODES:
            return "加密方式不正确"
        if self.tls == "verify-full" and not self.ca_file.strip():
            return "核验服务器证书需要选择信息科提供的根证书（CA）文件"
        return ""


def build_url(settings: ServerSettings, password: str = "") -> str:
    """The connection URL: TLS mode, CA file and a bounded connect timeout as libpq parameters."""
    query = {"connect_timeout": str(CONNECT_TIMEOUT), "sslmode": settings.tls}
    if settings.tls == "verify-full" and settings.ca_file.strip():
        query["sslrootcert"] = settings.ca_file.strip()
    url = URL.create(
        DRIVER,
        username=settings.user.strip() or None,
        password=password or None,
        host=settings.host.strip(),
        port=int(settings.port),
        database=settings.database.strip(),
        query=query,
    )
    return url.render_as_string(hide_password=False)


REASONS = (  # (text in libpq's message, what the clerk is told); first match wins
    ("password authentication failed", "用户名或密码不正确。"),
    ("root certificate file", "找不到或读不了所选的根证书（CA）文件。"),
    ("no password supplied", "请输入密码。"),
    ('role "', "服务器上没有这个用户名，请向信息科确认您的数据库登录名。"),
    ("does not exist", "服务器上没有这个数据库，请核对数据库名。"),
    ("permission denied for database", "此用户名无权连接该数据库，请联系信息科。"),
    ("no pg_hba.conf entry", "服务器不接受本机的连接（访问控制或加密要求不符），请联系信息科。"),
    ("certificate verify failed", "服务器证书无法用所选的根证书核验：可能连到了冒充的服务器，请联系信息科。"),
    ("does not match host name", "服务器证书上的名称与服务器地址不符：请使用证书上的地址，或联系信息科。"),
    ("server does not support ssl", "服务器未启用加密（TLS）：请联系信息科，或改用信息科要求的加密方式。"),
    ("timeout expired", f"连接超时（{CONNECT_TIMEOUT}秒内无响应）：服务器可能未开机、地址有误或网络不通。"),
    ("connection refused", "无法连接到服务器：该地址和端口上没有数据库服务在运行，请核对地址和端口，或联系信息科。"),
    ("could not translate host name", "找不到该服务器地址，请核对服务器名称或IP地址。"),
    ("name or service not known", "找不到该服务器地址，请核对服务器名称或IP地址。"),
    ("no route to host", "网络不通，无法到达服务器。"),
    ("network is unreachable", "网络不通，无法到达服务器。"),
    ("too many connections", "服务器连接数已满，请稍后重试。"),
)


def explain(exc: BaseException) -> str:
    """A clerk's reading of a failed connection, in Chinese."""
    if isinstance(exc, NoSuchModuleError | ModuleNotFoundError):
        return "本程序缺少 PostgreSQL 驱动（psycopg），请联系信息科安装共享服务器版。"
    detail = str(getattr(exc, "orig", None) or exc)
    lowered = detail.lower()
    for needle, reason in REASONS:
        if needle in lowered:
            return reason
    return f"连接失败：{detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__}"


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of a connection test."""

    ok: bool
    message: str
    seconds: float


def try_connection(url: str) -> ConnectionCheck:
    """Connect once (bounded by the connect timeout), ask the server its version; say what happened in Chinese."""
    began = time.monotonic()
    engine = None
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
        message = f"连接成功：PostgreSQL {version}"
        ok = True
    except (DBAPIError, NoSuchModuleError, ModuleNotFoundError, OSError, ValueError) as exc:
        log.info("connection test failed: %s", exc)
        message, ok = explain(exc), False
    finally:
        if engine is not None:
            engine.dispose()
    return ConnectionCheck(ok, message, time.monotonic() - began)
