"""Dialogs: settings, about, errors, log viewer."""
