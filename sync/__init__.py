"""Sync: the wire protocol, the client engine, and (in sync.server) the central server."""
