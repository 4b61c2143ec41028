"""Alembic environment: runs migrations on the connection Liandu Desk hands over, or on the configured URL."""

from alembic import context
from sqlalchemy import create_engine

from liandu_desk.domain.models import metadata

config = context.config


def _include_name(name, type_, _parent_names) -> bool:
    """Autogenerate ignores the SQLite FTS5 search index of houses (created by hand in migration h0001)."""
    return not (type_ == "table" and name is not None and name.startswith("house_fts"))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the caller's connection (start-up) or open one from sqlalchemy.url (alembic CLI)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run migrations against a database.")
run_migrations_online()
