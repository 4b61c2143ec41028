"""Administration: login, settings, audit and log viewers, backups, server connection, imports."""
