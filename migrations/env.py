"""Alembic environment: the URL comes from the caller (service.migrate) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from service import config as service_config
from service.db import make_engine
from service.models import Base

target_metadata = Base.metadata


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
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
