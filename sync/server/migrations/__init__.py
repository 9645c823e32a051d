"""Alembic migrations of the server database (forward-only)."""
