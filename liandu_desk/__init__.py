"""Liandu Desk: offline case management for the Liandu District Housing and Construction Bureau."""

__version__ = "0.1.0"
APP_NAME = "Liandu Desk"
APP_TITLE = "莲都区建设局案件管理系统"
APP_ID = "liandu-desk"
