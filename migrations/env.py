"""Alembic environment: the URL comes from the caller (service.migrate) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from service import config as service_config
from service.db import make_engine
from service.models import Base, sqlite_only_table

target_metadata = Base.metadata


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Leave SQLite's text index tables (migration 0010, not models) out of autogenerate's comparison."""
    return not (type_ == "table" and name is not None and sqlite_only_table(name))


def database_url() -> str:
    return context.config.attributes.get("database_url") or service_config.from_environment()["DATABASE_URL"]


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch rebuild drops and recreates a table; with foreign keys on, that drop would
            # cascade to the rows referencing it. The pragma only takes effect outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            if broken:
                raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
