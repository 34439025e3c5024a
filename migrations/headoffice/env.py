"""Alembic environment for head office's PostgreSQL (counter_app/headoffice/versions.py).

The connection comes from the caller, inside its transaction: ``admin.init`` (under its
advisory lock), the drift test and ``scripts/new_headoffice_migration.py``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from counter_app.headoffice.versions import migration_options

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("pass the connection in config.attributes['connection']")
    if connection.dialect.name != "postgresql":
        raise RuntimeError("head office's migrations are for PostgreSQL only")
    context.configure(connection=connection, **migration_options())
    with context.begin_transaction():  # the caller's transaction when it has one
        context.run_migrations()


run_migrations_online()
