"""Alembic's entry: always run with the connection that :func:`pitchcraft.web.db.migrate` hands over."""

from alembic import context

from pitchcraft.web.db import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
