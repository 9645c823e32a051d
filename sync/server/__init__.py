"""The central sync server: FastAPI on uvicorn over SQLAlchemy Core (SQLite or PostgreSQL)."""
