"""Sync protocol, client engine and server (not built yet: see issue 3)."""
