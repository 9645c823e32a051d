"""A server stuck for good: it accepts TCP connections on 127.0.0.1 and never sends a byte.

What a sync meets behind a dead proxy or a hung server: only a lock (or a stop) ends the wait
when the client's timeouts are long. Used by the thread tests of the engine and of the app.
"""

from __future__ import annotations

import contextlib
import socket
import threading

PATIENCE = 60.0  # seconds the accepting thread may take to end on a loaded machine


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte (a server stuck for good)."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self._listener.getsockname()[1]}"
        self.accepted = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            self._held.append(conn)
            self.accepted.set()

    def close(self) -> None:
        with contextlib.suppress(OSError):  # shutdown wakes the accept() that close would not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for conn in self._held:
            conn.close()
        self._thread.join(PATIENCE)
